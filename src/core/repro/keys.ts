/**
 * A rebuilder's pinned Ed25519 key: parsed from the PEM rebuilderd serves at
 * `/api/v1/meta/public-keys`, identified by its securesystemslib keyid, imported into WebCrypto.
 *
 * rebuilderd's PEM is not standard SPKI: its DER (46 bytes) carries an explicit NULL algorithm
 * parameter (`30 2c 30 07 06 03 2b6570 05 00 03 21 00 <32 bytes>`), which WebCrypto and Node
 * reject as SPKI. We accept exactly that layout and the standard SPKI layout
 * (`30 2a 30 05 06 03 2b6570 03 21 00 <32 bytes>`), and import the raw 32 bytes.
 */
import { fromBase64, toHex, equalBytes } from '../bytes.js';
import { IsoVerifyError } from '../errors.js';
import { canonicalJsonBytes } from './canonical-json.js';

export interface RebuilderKey {
  /** Hex SHA-256 of the canonical securesystemslib key JSON (what in-toto signatures name). */
  keyId: string;
  /** The raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  /** The key imported for `crypto.subtle.verify({ name: 'Ed25519' }, …)`. */
  cryptoKey: CryptoKey;
}

const REBUILDERD_DER_PREFIX = Uint8Array.of(
  0x30,
  0x2c,
  0x30,
  0x07,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x05,
  0x00,
  0x03,
  0x21,
  0x00,
);
const SPKI_DER_PREFIX = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00);
const ED25519_KEY_LENGTH = 32;
/** A PEM public key is ~120 characters; anything far larger is not one. */
const MAX_PEM_LENGTH = 4096;

function invalid(detail: string, cause?: unknown): IsoVerifyError {
  return new IsoVerifyError('rebuilder-key-invalid', detail, cause === undefined ? undefined : { cause });
}

/** Extract the raw Ed25519 public key from one `PUBLIC KEY` PEM block (rebuilderd or SPKI DER). */
export function parseRebuilderPublicKeyPem(pem: string): Uint8Array {
  if (typeof pem !== 'string') throw invalid('PEM text expected');
  if (pem.length > MAX_PEM_LENGTH) throw invalid('PEM text is too long');
  const match = /^\s*-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\s]+?)-----END PUBLIC KEY-----\s*$/.exec(pem);
  if (!match) throw invalid('not a single "PUBLIC KEY" PEM block');
  let der: Uint8Array;
  try {
    der = fromBase64(match[1]!.replace(/\s+/g, ''));
  } catch (e) {
    throw invalid('PEM body is not valid base64', e);
  }
  for (const prefix of [REBUILDERD_DER_PREFIX, SPKI_DER_PREFIX]) {
    if (der.length === prefix.length + ED25519_KEY_LENGTH && equalBytes(der.subarray(0, prefix.length), prefix)) {
      return der.slice(prefix.length);
    }
  }
  throw invalid(`DER is not an Ed25519 public key (${der.length} bytes)`);
}

/** The securesystemslib keyid of a raw Ed25519 public key. */
export async function ed25519KeyId(publicKey: Uint8Array): Promise<string> {
  if (publicKey.length !== ED25519_KEY_LENGTH) throw invalid(`Ed25519 key must be 32 bytes, got ${publicKey.length}`);
  const keyJson = {
    keyid_hash_algorithms: ['sha256', 'sha512'],
    keytype: 'ed25519',
    keyval: { public: toHex(publicKey) },
    scheme: 'ed25519',
  };
  const digest = await crypto.subtle.digest('SHA-256', canonicalJsonBytes(keyJson) as Uint8Array<ArrayBuffer>);
  return toHex(new Uint8Array(digest));
}

/** Parse, identify and import a rebuilder's pinned key. Throws `rebuilder-key-invalid`. */
export async function importRebuilderKey(pem: string): Promise<RebuilderKey> {
  const publicKey = parseRebuilderPublicKeyPem(pem);
  const keyId = await ed25519KeyId(publicKey);
  let cryptoKey: CryptoKey;
  try {
    cryptoKey = await crypto.subtle.importKey('raw', publicKey as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, [
      'verify',
    ]);
  } catch (e) {
    // Old browsers lack Ed25519 in WebCrypto; a point not on the curve also lands here.
    throw invalid(`WebCrypto could not import the Ed25519 key: ${e instanceof Error ? e.message : String(e)}`, e);
  }
  return { keyId, publicKey, cryptoKey };
}
