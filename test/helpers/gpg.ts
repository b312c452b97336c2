/**
 * GnuPG, the reference OpenPGP implementation, driven from tests in a throw-away GNUPGHOME.
 *
 *   const home = await createGpgHome();
 *   const fpr = await home.genKey({ uid: 'Test <t@example.org>', algo: 'rsa2048', usage: 'cert' });
 *   const sub = await home.addSubkey(fpr, { algo: 'ed25519', usage: 'sign' });
 *   const sig = await home.detachSign(bytes, { keyId: sub });
 *   const ref = await home.verifyWithGpg(sig, bytes); // { good, keyword, signingFingerprint, … }
 *   await home.cleanup();
 *
 * Keys are created without a passphrase. `fakedTime` runs gpg with --faked-system-time (its
 * clock stopped at that time), to make keys and signatures "in the past" or "in the future".
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface GpgRunOptions {
  /** Data for gpg's stdin. */
  input?: string | Uint8Array;
  /** Run with gpg's clock stopped at this time. */
  fakedTime?: Date | undefined;
  /** Resolve instead of rejecting when gpg exits non-zero. */
  allowFailure?: boolean;
}

export interface GpgResult {
  code: number;
  stdout: Buffer;
  stderr: string;
  /** `[GNUPG:] …` status lines (without the prefix). */
  status: string[];
}

export interface GenKeyOptions {
  uid: string;
  /** gpg algorithm string: rsa2048, rsa1024, ed25519, nistp256, … */
  algo: string;
  /** gpg usage: cert, sign, 'cert,sign', … */
  usage?: string;
  /** gpg expiry: 0 (never), 1y, 2025-01-01, seconds=… */
  expire?: string;
  fakedTime?: Date;
}

export interface SubkeyOptions {
  algo: string;
  usage: string;
  expire?: string;
  fakedTime?: Date;
}

export interface KeyListingEntry {
  fingerprint: string;
  keyId: string;
  /** usage letters as gpg prints them (s, e, a, c; capitals for the whole key). */
  usage: string;
  /** gpg validity letter: u, r (revoked), e (expired), … */
  validity: string;
  created: Date;
  expires?: Date;
}

export interface KeyListing {
  primary: KeyListingEntry;
  subkeys: KeyListingEntry[];
}

export interface SignOptions {
  /** Signer: fingerprint or key ID; a `!` is appended so gpg uses exactly this (sub)key. */
  keyId: string;
  /** --digest-algo, e.g. SHA256, SHA512, SHA1. */
  digestAlgo?: string;
  armor?: boolean;
  /** Text-mode signature (type 0x01). */
  textMode?: boolean;
  fakedTime?: Date;
}

export interface GpgVerification {
  /** gpg's verdict: a GOODSIG status line (good signature by a currently valid key). */
  good: boolean;
  /** The decisive status keyword: GOODSIG, EXPSIG, EXPKEYSIG, REVKEYSIG, BADSIG, ERRSIG, or NODATA. */
  keyword: string;
  /** From VALIDSIG: fingerprint of the (sub)key that made the signature. */
  signingFingerprint?: string;
  /** From VALIDSIG: fingerprint of its primary key. */
  primaryFingerprint?: string;
  code: number;
  /** Status lines and gpg's messages, for assertion messages. */
  output: string;
}

/** RFC 4880 5.2.3.23 reason codes: 0 none, 1 superseded, 2 compromised, 3 retired (no longer used). */
export type RevocationReason = 0 | 1 | 2 | 3;

/** gpg's revocation menu orders them differently: 1 compromised, 2 superseded, 3 no longer used. */
const GPG_REVOCATION_MENU: Record<RevocationReason, number> = { 0: 0, 1: 2, 2: 1, 3: 3 };

export interface GpgHome {
  readonly dir: string;
  gpg(args: string[], options?: GpgRunOptions): Promise<GpgResult>;
  genKey(options: GenKeyOptions): Promise<string>;
  /**
   * Unattended key generation from a parameter block (gpg's "Key-Type: …" format, for what
   * --quick-generate-key cannot do, e.g. an ECDSA signing key). Name-Email must be unique.
   */
  genKeyFromParameters(parameters: Record<string, string>, options?: { fakedTime?: Date }): Promise<string>;
  addSubkey(primaryFingerprint: string, options: SubkeyOptions): Promise<string>;
  listKey(fingerprint: string): Promise<KeyListing>;
  importKey(material: string | Uint8Array): Promise<void>;
  exportKey(fingerprint: string, options?: { secret?: boolean; armor?: boolean }): Promise<Buffer>;
  detachSign(data: Uint8Array | { file: string }, options: SignOptions): Promise<Buffer>;
  verifyWithGpg(
    signature: Uint8Array | string,
    data: Uint8Array | { file: string },
    options?: { fakedTime?: Date },
  ): Promise<GpgVerification>;
  revokeSubkey(
    primaryFingerprint: string,
    subkeyFingerprint: string,
    reason: RevocationReason,
    options?: { fakedTime?: Date },
  ): Promise<void>;
  /** Revoke a primary key (and with it the whole key). */
  revokeKey(primaryFingerprint: string, reason: RevocationReason, options?: { fakedTime?: Date }): Promise<void>;
  cleanup(): Promise<void>;
}

const BASE_ARGS = [
  '--batch',
  '--yes',
  '--no-tty',
  '--pinentry-mode',
  'loopback',
  '--passphrase',
  '',
  '--no-auto-key-locate',
];

/** gpg's --faked-system-time format: 20240101T000000. */
export function gpgTime(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, '');
}

export async function createGpgHome(): Promise<GpgHome> {
  // Short path: gpg-agent's socket path must stay under ~108 bytes.
  const dir = await mkdtemp(path.join(tmpdir(), 'gpgt-'));
  await writeFile(path.join(dir, 'gpg.conf'), 'no-greeting\ntrust-model always\n');
  await writeFile(path.join(dir, 'gpg-agent.conf'), 'allow-loopback-pinentry\n');

  const gpg = (args: string[], options: GpgRunOptions = {}): Promise<GpgResult> =>
    new Promise((resolve, reject) => {
      // The trailing '!' freezes gpg's clock, so signature times are exactly the faked time.
      const faked = options.fakedTime ? ['--faked-system-time', `${gpgTime(options.fakedTime)}!`] : [];
      const child = spawn('gpg', [...BASE_ARGS, '--status-fd', '2', ...faked, ...args], {
        env: { ...process.env, GNUPGHOME: dir, LC_ALL: 'C', LANGUAGE: 'C' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.on('error', reject);
      child.on('close', (code) => {
        const stderr = Buffer.concat(err).toString('utf8');
        const status = stderr
          .split('\n')
          .filter((l) => l.startsWith('[GNUPG:] '))
          .map((l) => l.slice(9));
        const result: GpgResult = { code: code ?? -1, stdout: Buffer.concat(out), stderr, status };
        if (result.code !== 0 && !options.allowFailure) {
          reject(new Error(`gpg ${args.join(' ')} exited ${result.code}:\n${stderr}`));
        } else {
          resolve(result);
        }
      });
      child.stdin.on('error', () => undefined); // gpg may exit before reading all input
      child.stdin.end(options.input ?? '');
    });

  const listKey = async (fingerprint: string): Promise<KeyListing> => {
    const { stdout } = await gpg(['--with-colons', '--fixed-list-mode', '--list-keys', fingerprint]);
    const entries: KeyListingEntry[] = [];
    let pending: Omit<KeyListingEntry, 'fingerprint'> | null = null;
    for (const line of stdout.toString('utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === 'pub' || f[0] === 'sub') {
        pending = {
          keyId: f[4]!,
          usage: f[11]!,
          validity: f[1]!,
          created: new Date(Number(f[5]) * 1000),
          ...(f[6] ? { expires: new Date(Number(f[6]) * 1000) } : {}),
        };
      } else if (f[0] === 'fpr' && pending) {
        entries.push({ fingerprint: f[9]!, ...pending });
        pending = null;
      }
    }
    const [primary, ...subkeys] = entries;
    if (!primary) throw new Error(`gpg lists no key ${fingerprint}`);
    return { primary, subkeys };
  };

  const dataArgs = async (data: Uint8Array | { file: string }, name: string): Promise<string> => {
    if ('file' in data) return data.file;
    const file = path.join(dir, `${name}-${Math.random().toString(36).slice(2)}`);
    await writeFile(file, data);
    return file;
  };

  const home: GpgHome = {
    dir,
    gpg,

    async genKey({ uid, algo, usage = 'cert,sign', expire = '0', fakedTime }) {
      await gpg(['--quick-generate-key', uid, algo, usage, expire], { fakedTime });
      const { stdout } = await gpg(['--with-colons', '--list-keys', `=${uid}`]);
      const fpr = stdout
        .toString('utf8')
        .split('\n')
        .find((l) => l.startsWith('fpr:'));
      if (!fpr) throw new Error(`no key for ${uid}`);
      return fpr.split(':')[9]!;
    },

    async genKeyFromParameters(parameters, { fakedTime } = {}) {
      const email = parameters['Name-Email'];
      if (!email) throw new Error('genKeyFromParameters needs a Name-Email');
      const lines = Object.entries(parameters).map(([k, v]) => `${k}: ${v}`);
      await gpg(['--generate-key'], { input: [...lines, '%no-protection', '%commit', ''].join('\n'), fakedTime });
      const { stdout } = await gpg(['--with-colons', '--list-keys', `<${email}>`]);
      const fpr = stdout
        .toString('utf8')
        .split('\n')
        .find((l) => l.startsWith('fpr:'));
      if (!fpr) throw new Error(`no key for ${email}`);
      return fpr.split(':')[9]!;
    },

    async addSubkey(primaryFingerprint, { algo, usage, expire = '0', fakedTime }) {
      const before = new Set((await listKey(primaryFingerprint)).subkeys.map((s) => s.fingerprint));
      await gpg(['--quick-add-key', primaryFingerprint, algo, usage, expire], { fakedTime });
      const added = (await listKey(primaryFingerprint)).subkeys.find((s) => !before.has(s.fingerprint));
      if (!added) throw new Error('gpg added no subkey');
      return added.fingerprint;
    },

    listKey,

    async importKey(material) {
      await gpg(['--import'], { input: material });
    },

    async exportKey(fingerprint, { secret = false, armor = true } = {}) {
      const args = [...(armor ? ['--armor'] : []), secret ? '--export-secret-keys' : '--export', fingerprint];
      return (await gpg(args)).stdout;
    },

    async detachSign(data, { keyId, digestAlgo, armor = false, textMode = false, fakedTime }) {
      const file = await dataArgs(data, 'data');
      const out = `${file}.${Math.random().toString(36).slice(2)}.sig`;
      await gpg(
        [
          '--local-user',
          keyId.endsWith('!') ? keyId : `${keyId}!`,
          ...(digestAlgo ? ['--digest-algo', digestAlgo] : []),
          ...(armor ? ['--armor'] : []),
          ...(textMode ? ['--textmode'] : []),
          '--output',
          out,
          '--detach-sign',
          file,
        ],
        { fakedTime },
      );
      const signature = await readFile(out);
      await rm(out, { force: true });
      if (!('file' in data)) await rm(file, { force: true });
      return signature;
    },

    async verifyWithGpg(signature, data, { fakedTime } = {}) {
      const sigFile = path.join(dir, `sig-${Math.random().toString(36).slice(2)}`);
      await writeFile(sigFile, signature);
      const file = await dataArgs(data, 'verify');
      const result = await gpg(['--verify', sigFile, file], { allowFailure: true, fakedTime });
      await rm(sigFile, { force: true });
      if (!('file' in data)) await rm(file, { force: true });
      const keywords = ['GOODSIG', 'EXPSIG', 'EXPKEYSIG', 'REVKEYSIG', 'BADSIG', 'ERRSIG', 'NODATA'];
      const decisive = result.status.map((l) => l.split(' ')[0]!).find((k) => keywords.includes(k)) ?? 'NONE';
      const validsig = result.status.find((l) => l.startsWith('VALIDSIG '))?.split(' ');
      const verification: GpgVerification = {
        good: result.status.some((l) => l.startsWith('GOODSIG ')),
        keyword: decisive,
        code: result.code,
        output: result.stderr,
      };
      if (validsig) {
        verification.signingFingerprint = validsig[1]!;
        verification.primaryFingerprint = validsig[10] ?? validsig[1]!;
      }
      return verification;
    },

    async revokeSubkey(primaryFingerprint, subkeyFingerprint, reason, { fakedTime } = {}) {
      const index = (await listKey(primaryFingerprint)).subkeys.findIndex((s) => s.fingerprint === subkeyFingerprint);
      if (index < 0) throw new Error(`no subkey ${subkeyFingerprint}`);
      // --edit-key answers: select the subkey, revoke, confirm, reason, empty description, confirm, save.
      const script = `key ${index + 1}\nrevkey\ny\n${GPG_REVOCATION_MENU[reason]}\n\ny\nsave\n`;
      await gpg(['--command-fd', '0', '--edit-key', primaryFingerprint], { input: script, fakedTime });
      const after = (await listKey(primaryFingerprint)).subkeys[index];
      if (after?.validity !== 'r') throw new Error(`gpg did not revoke ${subkeyFingerprint}`);
    },

    async revokeKey(primaryFingerprint, reason, { fakedTime } = {}) {
      // "revkey" with no subkey selected revokes the primary key.
      const script = `revkey\ny\n${GPG_REVOCATION_MENU[reason]}\n\ny\nsave\n`;
      await gpg(['--command-fd', '0', '--edit-key', primaryFingerprint], { input: script, fakedTime });
      if ((await listKey(primaryFingerprint)).primary.validity !== 'r')
        throw new Error(`gpg did not revoke ${primaryFingerprint}`);
    },

    async cleanup() {
      await new Promise<void>((resolve) => {
        const kill = spawn('gpgconf', ['--kill', 'gpg-agent'], {
          env: { ...process.env, GNUPGHOME: dir },
          stdio: 'ignore',
        });
        kill.on('close', () => resolve());
        kill.on('error', () => resolve());
      });
      await rm(dir, { recursive: true, force: true });
    },
  };
  return home;
}
