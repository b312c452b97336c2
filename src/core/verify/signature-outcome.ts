/** How a failed signature check maps onto the verdict vocabulary. */
import type { ErrorCode, ErrorInfo } from '../errors.js';
import type { SignatureDetails, UnverifiableReason } from '../verdict.js';

/** Nothing could be checked: the signer is simply not one of ours. */
const UNKNOWN_KEY_CODES: ReadonlySet<ErrorCode> = new Set(['signature-unknown-key', 'signature-key-not-pinned']);

/** The bytes and the signature disagree: proof that one of them was changed. */
const BAD_CODES: ReadonlySet<ErrorCode> = new Set(['signature-bad']);

/** The signature file cannot be read at all (empty, truncated, an HTML page): nothing was checked. */
const UNREADABLE_CODES: ReadonlySet<ErrorCode> = new Set(['signature-malformed']);

export function isUnreadable(error: ErrorInfo | undefined): boolean {
  return error !== undefined && UNREADABLE_CODES.has(error.code);
}

export function isUnknownKey(error: ErrorInfo | undefined): boolean {
  return error !== undefined && UNKNOWN_KEY_CODES.has(error.code);
}

export function isBadSignature(error: ErrorInfo | undefined): boolean {
  return error !== undefined && BAD_CODES.has(error.code);
}

/**
 * The unverifiable reason for a signature that is not good. Everything that is neither a
 * mismatch nor an unknown signer — expired, revoked or weak keys, weak hashes, unsupported
 * formats, signatures in the future or expired — is a key/policy problem ('key-invalid').
 */
export function reasonForSignature(error: ErrorInfo | undefined): UnverifiableReason {
  if (error?.code === 'signature-in-future') return 'clock-wrong';
  if (error?.code === 'signature-key-newer' || error?.code === 'signature-key-transition') return 'signature-newer-key';
  if (isBadSignature(error)) return 'signature-bad';
  if (isUnreadable(error)) return 'signature-unreadable';
  if (isUnknownKey(error)) return 'signature-unknown-key';
  return 'key-invalid';
}

/** The error of a not-good signature (never undefined, so verdicts always say why). */
export function signatureError(details: SignatureDetails): ErrorInfo {
  return details.error ?? { code: 'signature-bad', detail: 'the signature was not accepted' };
}
