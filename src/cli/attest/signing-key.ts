/**
 * A reproducer's Ed25519 signing key on disk, in securesystemslib JSON — the format
 * `in-toto-keygen -t ed25519` writes, so one key works with `iso-verify attest`, `in-toto-run`
 * and `in-toto-sign`:
 *
 *   {"keytype":"ed25519","scheme":"ed25519","keyid":"<hex>","keyid_hash_algorithms":["sha256","sha512"],
 *    "keyval":{"public":"<64 hex>","private":"<64 hex seed>"}}
 *
 * Signing and key generation are Node's crypto (OpenSSL); nothing here implements Ed25519.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { IsoVerifyError } from '../../core/errors.js';
import { ed25519KeyId } from '../../core/repro/keys.js';

export interface SigningKey {
  keyId: string;
  publicKeyHex: string;
  privateKey: KeyObject;
}

const HEX32 = /^[0-9a-f]{64}$/;
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const MAX_KEY_FILE = 16 << 10;

function invalid(detail: string): IsoVerifyError {
  return new IsoVerifyError('signing-key-invalid', detail);
}

function publicHexOf(key: KeyObject): string {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw invalid('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url').toString('hex');
}

/** Parse a securesystemslib JSON Ed25519 private key; its public half must match its private one. */
export async function parseSigningKey(text: string, file: string): Promise<SigningKey> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid(
      `${file}: not JSON (expected a key from 'iso-verify attest --new-key' or 'in-toto-keygen -t ed25519')`,
    );
  }
  const doc = json as { keytype?: unknown; scheme?: unknown; keyval?: { public?: unknown; private?: unknown } };
  if (doc?.keytype !== 'ed25519' || (doc.scheme !== undefined && doc.scheme !== 'ed25519'))
    throw invalid(`${file}: keytype is not ed25519`);
  const pub = doc.keyval?.public;
  const priv = doc.keyval?.private;
  if (typeof priv !== 'string' || !HEX32.test(priv))
    throw invalid(`${file}: no private key (keyval.private must be 64 hex digits)`);
  if (typeof pub !== 'string' || !HEX32.test(pub)) throw invalid(`${file}: keyval.public must be 64 hex digits`);
  let privateKey: KeyObject;
  try {
    // PKCS#8 of the 32-byte seed (RFC 8410): OpenSSL derives the public half from it.
    privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(priv, 'hex')]),
      format: 'der',
      type: 'pkcs8',
    });
  } catch (e) {
    throw invalid(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  // A file whose halves disagree would sign under a keyid that is not its key's.
  if (publicHexOf(privateKey) !== pub) throw invalid(`${file}: keyval.public does not belong to keyval.private`);
  return { keyId: await ed25519KeyId(Buffer.from(pub, 'hex')), publicKeyHex: pub, privateKey };
}

export async function readSigningKey(file: string): Promise<SigningKey> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw invalid(`${file}: not a regular file`);
    if (info.size > MAX_KEY_FILE) throw invalid(`${file}: ${info.size} bytes is too large for a key`);
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof IsoVerifyError) throw e;
    throw new IsoVerifyError('io-failed', `${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseSigningKey(text, file);
}

/** Ed25519 signature (hex) over `message`. */
export function signHex(key: SigningKey, message: Uint8Array): string {
  return sign(null, message, key.privateKey).toString('hex');
}

/** The public key as a profile pins it: a standard SPKI "PUBLIC KEY" PEM. */
export function publicKeyPem(publicKeyHex: string): string {
  const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicKeyHex, 'hex')]);
  return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
}

function keyJson(keyId: string, publicHex: string, privateHex?: string): string {
  const keyval = privateHex === undefined ? { public: publicHex } : { public: publicHex, private: privateHex };
  return `${JSON.stringify({ keytype: 'ed25519', scheme: 'ed25519', keyid: keyId, keyid_hash_algorithms: ['sha256', 'sha512'], keyval })}\n`;
}

/** Create `file` with `text`, failing (never overwriting) when it exists. */
async function createExclusive(file: string, text: string, mode: number): Promise<void> {
  let handle;
  try {
    handle = await open(file, 'wx', mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new IsoVerifyError('output-exists', `${file}: already exists, not overwritten`);
    throw new IsoVerifyError('io-write-failed', `cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    await handle.chmod(mode); // whatever the umask, the private key is the owner's alone
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Make a key pair: `file` (private, mode 0600) and `file.pub` (public, securesystemslib JSON,
 * what `in-toto-sign --verify -t ed25519 -k` reads). Neither may exist yet.
 */
export async function createSigningKey(file: string): Promise<SigningKey & { publicFile: string }> {
  const publicFile = `${file}.pub`;
  for (const f of [file, publicFile]) {
    const exists = await stat(f).then(
      () => true,
      () => false,
    );
    if (exists) throw new IsoVerifyError('output-exists', `${f}: already exists, not overwritten`);
  }
  // A new directory for the key is the owner's alone (0700), like ~/.ssh.
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new IsoVerifyError('io-write-failed', `cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const privateHex = Buffer.from(jwk.d!, 'base64url').toString('hex');
  const publicHex = Buffer.from(jwk.x!, 'base64url').toString('hex');
  const keyId = await ed25519KeyId(Buffer.from(publicHex, 'hex'));
  await createExclusive(file, keyJson(keyId, publicHex, privateHex), 0o600);
  await createExclusive(publicFile, keyJson(keyId, publicHex), 0o644);
  return { keyId, publicKeyHex: publicHex, privateKey, publicFile };
}
