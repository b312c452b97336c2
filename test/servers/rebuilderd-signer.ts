/**
 * TEST-ONLY: makes real in-toto link attestations with Debian's in-toto tools (an independent
 * implementation of key generation, canonical JSON and Ed25519 signing), so the verifier under
 * test is never checked only against itself.
 *
 * - keys: `in-toto-keygen -t ed25519 <path>` (securesystemslib JSON, unencrypted)
 * - links: `in-toto-run -n "rebuild <file>" -p <file> -k <key> -t ed25519 -x` (no command run,
 *   so `signed` is deterministic and several keys' signatures over it can be combined, as
 *   rebuilderd combines the worker's and its own)
 * The public key is also written in rebuilderd's non-standard PEM (DER with explicit NULL).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LinkSigner {
  /** Path of the securesystemslib JSON private key. */
  keyPath: string;
  keyId: string;
  publicKeyHex: string;
  /** rebuilderd-style PEM (what /api/v1/meta/public-keys serves). */
  publicKeyPem: string;
}

const REBUILDERD_DER_PREFIX = Buffer.from('302c300706032b65700500032100', 'hex');

/** rebuilderd's PEM for a raw Ed25519 public key. */
export function rebuilderdPem(publicKeyHex: string): string {
  const der = Buffer.concat([REBUILDERD_DER_PREFIX, Buffer.from(publicKeyHex, 'hex')]);
  return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
}

/** Standard SPKI PEM for the same key (for tests of the other accepted layout). */
export function spkiPem(publicKeyHex: string): string {
  const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicKeyHex, 'hex')]);
  return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
}

/** Load a signer from an in-toto-keygen private key file. */
export async function loadSigner(keyPath: string): Promise<LinkSigner> {
  const key = JSON.parse(await readFile(keyPath, 'utf8')) as { keyid: string; keyval: { public: string } };
  return { keyPath, keyId: key.keyid, publicKeyHex: key.keyval.public, publicKeyPem: rebuilderdPem(key.keyval.public) };
}

/** Generate a fresh Ed25519 signer with in-toto-keygen into `dir`. */
export async function generateSigner(dir: string, name: string): Promise<LinkSigner> {
  await mkdir(dir, { recursive: true });
  const keyPath = path.join(dir, name);
  await run('in-toto-keygen', ['-t', 'ed25519', keyPath]);
  return loadSigner(keyPath);
}

export interface LinkDocument {
  signatures: { keyid: string; sig: string }[];
  signed: Record<string, unknown>;
}

/**
 * Sign "rebuild <fileName>" with every signer over the bytes at `filePath` (or `bytes`),
 * recorded as product AND material (as rebuilderd does). Returns the combined link.
 */
export async function signRebuildLink(opts: {
  signers: LinkSigner[];
  fileName: string;
  filePath?: string;
  bytes?: Uint8Array;
}): Promise<LinkDocument> {
  if (opts.signers.length === 0) throw new Error('at least one signer');
  const work = await mkdtemp(path.join(tmpdir(), 'iso-verify-link-'));
  try {
    const artifact = path.join(work, opts.fileName);
    if (opts.bytes) await writeFile(artifact, opts.bytes);
    else if (opts.filePath)
      await symlink(path.resolve(opts.filePath), artifact); // in-toto follows symlinks
    else throw new Error('filePath or bytes required');
    const links: LinkDocument[] = [];
    for (const [i, signer] of opts.signers.entries()) {
      const out = path.join(work, `out-${i}`);
      await mkdir(out);
      await run(
        'in-toto-run',
        [
          '-n',
          `rebuild ${opts.fileName}`,
          '-m',
          opts.fileName,
          '-p',
          opts.fileName,
          '-k',
          signer.keyPath,
          '-t',
          'ed25519',
          '--base-path',
          work,
          '-d',
          out,
          '-q',
          '-x',
        ],
        { cwd: work },
      );
      const file = path.join(out, `rebuild ${opts.fileName}.${signer.keyId.slice(0, 8)}.link`);
      links.push(JSON.parse(await readFile(file, 'utf8')) as LinkDocument);
    }
    const first = links[0]!;
    for (const other of links.slice(1)) {
      // Combining is only honest if every signer signed the same statement.
      if (JSON.stringify(other.signed) !== JSON.stringify(first.signed))
        throw new Error('in-toto-run produced different statements');
    }
    return { signatures: links.flatMap((l) => l.signatures), signed: first.signed };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Corrupt the signature(s) by `keyId` (first bytes changed), as the INVALID real fixture does. */
export function corruptSignature(link: LinkDocument, keyId: string): LinkDocument {
  return {
    signed: link.signed,
    signatures: link.signatures.map((s) =>
      s.keyid === keyId ? { keyid: s.keyid, sig: (s.sig.startsWith('00') ? 'ff' : '00') + s.sig.slice(2) } : s,
    ),
  };
}

export function encodeLink(link: LinkDocument): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(link));
}
