/** OpenPGP for ISO Verify: pinned keyrings, detached-signature parsing and policy-checked verification. */
export {
  armoredKeys,
  keyringKnownUntil,
  loadPinnedKeyring,
  mergeKeyRefresh,
  successorKeys,
  type PinnedKeyring,
  type SuccessorKey,
} from './keyring.js';
export { readDetachedSignature, type ParsedSignature } from './signature.js';
export { verifyDetached, verifyDetachedFromHash, type VerifyOptions } from './verify.js';
export { normalizeFingerprint } from './fingerprint.js';
export {
  ACCEPTED_DOCUMENT_HASHES,
  ACCEPTED_ECDSA_CURVES,
  MAX_FUTURE_SKEW_MS,
  MAX_KEY_MATERIAL_BYTES,
  MAX_SIGNATURE_BYTES,
  MIN_RSA_BITS,
} from './policy.js';
