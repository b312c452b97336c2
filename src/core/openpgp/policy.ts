import { config as defaultConfig, enums, type Config } from 'openpgp';
import type { ErrorCode } from '../errors.js';

/**
 * The OpenPGP policy of ISO Verify, in one place (docs/design.md "Trust model": a signature by a
 * signing-capable key bound to the pinned primary key, valid at signature time, not revoked,
 * using an accepted algorithm — no SHA-1, RSA ≥ 2048).
 *
 * Decisions, and why:
 * - Document signatures: only binary (0x00) and text (0x01) types; anything else is not a
 *   statement about a file.
 * - Hashes accepted for document signatures: SHA-2 (224/256/384/512) and SHA-3 (256/512).
 *   SHA-1, MD5 and RIPEMD-160 are rejected although GnuPG still accepts SHA-1 data signatures.
 * - Key self-signatures (user-ID certifications, subkey bindings) may still use SHA-1, as
 *   GnuPG and openpgp.js accept it there: they are made by the pinned key's owner over data the
 *   owner chose, so collision attacks do not apply; MD5 and RIPEMD-160 stay rejected.
 * - Key algorithms: RSA ≥ 2048 bits, EdDSA (legacy Ed25519, Ed25519, Ed448) and ECDSA on
 *   NIST or Brainpool curves. DSA, ElGamal, secp256k1 and everything else are "weak".
 *   The pinned primary key must meet this too: a binding is only as strong as its certifier.
 * - Key validity is judged at the signature's creation time (a key that expired later does
 *   not invalidate signatures made while it was valid — the real Tails data is this case).
 * - Revocations: a "hard" revocation (no reason, key compromised, or any unknown reason) is
 *   honoured whenever it was made, so every signature by that key fails. A "soft" revocation
 *   (key superseded or retired) only affects signatures made after the revocation: the key
 *   owner told us the key was fine until then. This is openpgp.js's own rule and RFC 9580
 *   5.2.3.31's intent.
 * - A signing subkey must carry the "sign data" flag in its binding signature and a valid
 *   primary-key binding (back-)signature; a primary key only signs if its self-signature has
 *   the flag. Missing key flags mean "not allowed to sign".
 * - Signatures created more than MAX_FUTURE_SKEW_MS after `now` are rejected; a signature
 *   whose own expiration time has passed is rejected.
 */

/** Clock skew tolerated between the signer and this computer. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

export const MIN_RSA_BITS = 2048;

/** Upper bounds on inputs, so hostile data cannot exhaust memory (the Tails key is 1.3 MB). */
export const MAX_KEY_MATERIAL_BYTES = 8 * 1024 * 1024;
export const MAX_SIGNATURE_BYTES = 64 * 1024;

export const ACCEPTED_SIGNATURE_TYPES: ReadonlySet<number> = new Set([enums.signature.binary, enums.signature.text]);

export const ACCEPTED_DOCUMENT_HASHES: ReadonlySet<number> = new Set([
  enums.hash.sha224,
  enums.hash.sha256,
  enums.hash.sha384,
  enums.hash.sha512,
  enums.hash.sha3_256,
  enums.hash.sha3_512,
]);

/** Digest sizes (bytes) of the accepted hashes, for the EdDSA minimum-digest rule below. */
const DIGEST_BYTES: ReadonlyMap<number, number> = new Map([
  [enums.hash.sha224, 28],
  [enums.hash.sha256, 32],
  [enums.hash.sha384, 48],
  [enums.hash.sha512, 64],
  [enums.hash.sha3_256, 32],
  [enums.hash.sha3_512, 64],
]);

export const ACCEPTED_ECDSA_CURVES: ReadonlySet<string> = new Set([
  enums.curve.nistP256,
  enums.curve.nistP384,
  enums.curve.nistP521,
  enums.curve.brainpoolP256r1,
  enums.curve.brainpoolP384r1,
  enums.curve.brainpoolP512r1,
]);

/**
 * Configuration handed to openpgp.js wherever it takes one, so its built-in checks are never
 * looser than ours (they may not be the only check: we test the policy explicitly as well).
 */
export const OPENPGP_CONFIG: Config = Object.freeze({
  ...defaultConfig,
  minRSABits: MIN_RSA_BITS,
  rejectHashAlgorithms: new Set([enums.hash.md5, enums.hash.ripemd]),
  rejectMessageHashAlgorithms: new Set([enums.hash.md5, enums.hash.ripemd, enums.hash.sha1]),
  rejectPublicKeyAlgorithms: new Set([enums.publicKey.elgamal, enums.publicKey.dsa]),
  rejectCurves: new Set([enums.curve.secp256k1]),
  allowMissingKeyFlags: false,
  allowInsecureVerificationWithReformattedKeys: false,
  enableParsingV5Entities: false,
  ignoreMalformedPackets: false,
}) as Config;

export interface PolicyViolation {
  code: ErrorCode;
  detail: string;
}

/** The document signature's type and hash, before any key is looked at. */
export function checkSignatureAlgorithms(
  signatureType: number,
  hashAlgorithm: number,
  hashName: string,
): PolicyViolation | null {
  if (!ACCEPTED_SIGNATURE_TYPES.has(signatureType)) {
    return {
      code: 'signature-unsupported',
      detail: `signature type 0x${signatureType.toString(16).padStart(2, '0')} is not a binary or text document signature`,
    };
  }
  if (!ACCEPTED_DOCUMENT_HASHES.has(hashAlgorithm)) {
    return {
      code: 'signature-weak-hash',
      detail: `hash algorithm ${hashName} is not accepted (accepted: SHA-224/256/384/512, SHA3-256/512)`,
    };
  }
  return null;
}

/** The shape of a key packet's algorithm info that the policy needs (from openpgp.js getAlgorithmInfo). */
export interface KeyAlgorithmFacts {
  algorithm: number;
  bits?: number;
  curve?: string;
}

/** Is this key (primary or subkey) strong enough, and can its algorithm sign with this hash? */
export function checkKeyAlgorithm(
  key: KeyAlgorithmFacts,
  hashAlgorithm: number,
  role: 'signing key' | 'primary key',
): PolicyViolation | null {
  const p = enums.publicKey;
  switch (key.algorithm) {
    case p.rsaEncryptSign:
    case p.rsaSign:
      if (key.bits === undefined || key.bits < MIN_RSA_BITS) {
        return {
          code: 'signature-weak-key',
          detail: `${role} is RSA ${key.bits ?? '?'} bits; at least ${MIN_RSA_BITS} are required`,
        };
      }
      return null;
    case p.eddsaLegacy:
      if (key.curve !== enums.curve.ed25519Legacy) {
        return { code: 'signature-weak-key', detail: `${role} uses EdDSA on unaccepted curve ${key.curve ?? '?'}` };
      }
      return checkEdDsaDigest(32, hashAlgorithm);
    case p.ed25519:
      return checkEdDsaDigest(32, hashAlgorithm);
    case p.ed448:
      return checkEdDsaDigest(64, hashAlgorithm);
    case p.ecdsa:
      if (key.curve === undefined || !ACCEPTED_ECDSA_CURVES.has(key.curve)) {
        return { code: 'signature-weak-key', detail: `${role} uses ECDSA on unaccepted curve ${key.curve ?? '?'}` };
      }
      return null;
    default:
      return {
        code: 'signature-weak-key',
        detail: `${role} algorithm ${publicKeyAlgorithmName(key.algorithm)} is not accepted`,
      };
  }
}

/** RFC 9580 5.2.3.4/5: EdDSA signatures need a digest at least as long as the curve's security. */
function checkEdDsaDigest(minBytes: number, hashAlgorithm: number): PolicyViolation | null {
  const bytes = DIGEST_BYTES.get(hashAlgorithm) ?? 0;
  if (bytes < minBytes) {
    return { code: 'signature-weak-hash', detail: `a ${bytes * 8}-bit digest is too short for this EdDSA key` };
  }
  return null;
}

const PUBLIC_KEY_NAMES: ReadonlyMap<number, string> = new Map([
  [enums.publicKey.rsaEncryptSign, 'rsa'],
  [enums.publicKey.rsaEncrypt, 'rsa-encrypt-only'],
  [enums.publicKey.rsaSign, 'rsa'],
  [enums.publicKey.elgamal, 'elgamal'],
  [enums.publicKey.dsa, 'dsa'],
  [enums.publicKey.ecdh, 'ecdh'],
  [enums.publicKey.ecdsa, 'ecdsa'],
  // RFC 9580 9.1: the legacy EdDSA id (22) is only for Ed25519 (curve Ed25519Legacy). Name it
  // like the key does (describeKeyAlgorithm), so one signature is not shown as "eddsa-legacy"
  // when read from the packet alone and "ed25519" once its key is found.
  [enums.publicKey.eddsaLegacy, 'ed25519'],
  [enums.publicKey.x25519, 'x25519'],
  [enums.publicKey.x448, 'x448'],
  [enums.publicKey.ed25519, 'ed25519'],
  [enums.publicKey.ed448, 'ed448'],
]);

const HASH_NAMES: ReadonlyMap<number, string> = new Map([
  [enums.hash.md5, 'md5'],
  [enums.hash.sha1, 'sha1'],
  [enums.hash.ripemd, 'ripemd160'],
  [enums.hash.sha256, 'sha256'],
  [enums.hash.sha384, 'sha384'],
  [enums.hash.sha512, 'sha512'],
  [enums.hash.sha224, 'sha224'],
  [enums.hash.sha3_256, 'sha3-256'],
  [enums.hash.sha3_512, 'sha3-512'],
]);

export function publicKeyAlgorithmName(id: number): string {
  return PUBLIC_KEY_NAMES.get(id) ?? `unknown-${id}`;
}

export function hashAlgorithmName(id: number): string {
  return HASH_NAMES.get(id) ?? `unknown-${id}`;
}

export function signatureTypeName(id: number): string {
  if (id === enums.signature.binary) return 'binary';
  if (id === enums.signature.text) return 'text';
  return `0x${id.toString(16).padStart(2, '0')}`;
}

/** A key's algorithm as people know it: `rsa4096`, `ed25519`, `ecdsa-nistP256`. */
export function describeKeyAlgorithm(key: KeyAlgorithmFacts): string {
  const p = enums.publicKey;
  switch (key.algorithm) {
    case p.rsaEncryptSign:
    case p.rsaSign:
      return `rsa${key.bits ?? ''}`;
    case p.eddsaLegacy:
      return key.curve === enums.curve.ed25519Legacy ? 'ed25519' : `eddsa-${key.curve ?? '?'}`;
    case p.ecdsa:
      return `ecdsa-${key.curve ?? '?'}`;
    default:
      return publicKeyAlgorithmName(key.algorithm);
  }
}
