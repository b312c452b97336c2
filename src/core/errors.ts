/**
 * Typed error codes shared by every surface. The human message for a code lives in
 * `public/_locales/<lang>/messages.json` under the key `err_<code with - replaced by _>`;
 * `detail` carries the specific fact (a field name, a URL, a size) and is shown after it.
 *
 * Adding a code: add it to ERROR_CODES and add `err_…` to every locale (a unit test checks).
 */
export const ERROR_CODES = [
  // generic input problems
  'input-too-large',
  'input-malformed',
  'input-missing-field',
  'input-wrong-type',
  'input-invalid-value',
  // release data
  'descriptor-malformed',
  'descriptor-no-release',
  'descriptor-wrong-product',
  'descriptor-expired',
  'upgrade-description-malformed',
  'mirror-pool-malformed',
  'profile-invalid',
  // OpenPGP
  'signature-malformed',
  'signature-bad',
  'signature-unknown-key',
  'signature-key-not-pinned',
  'signature-key-newer', // by a key this copy of the pinned key does not know yet (made after it)
  'signature-key-transition', // by a new primary key that the pinned key certified: needs a new ISO Verify
  'signature-key-expired',
  'signature-key-revoked',
  'signature-key-not-signing',
  'signature-weak-hash',
  'signature-weak-key',
  'signature-unsupported',
  'signature-in-future',
  'signature-expired',
  'signature-missing',
  'key-malformed',
  'key-wrong-primary',
  'key-no-pinned',
  'key-refresh-too-large', // a refresh offering more user IDs, subkeys or signatures than any real key
  // freshness
  'rollback',
  // network and I/O
  'fetch-failed',
  'fetch-offline', // not fetched on purpose (CLI --offline): a fact, not a failure
  'fetch-timeout',
  'fetch-too-large',
  'fetch-http-status',
  'fetch-insecure-url',
  'io-failed',
  'io-write-failed', // a file could not be written (a directory missing and not creatable, permissions)
  'output-exists', // a file that is never overwritten already exists
  'aborted',
  // hashing
  'hash-state-invalid',
  // rebuilders
  'attestation-malformed',
  'attestation-bad-signature',
  'attestation-unsigned',
  'rebuilder-key-invalid',
  'signing-key-invalid',
  // extension: tracked downloads and messages to the background
  'download-unknown',
  'download-gone',
  'download-busy',
  'download-not-resumable',
  'no-other-mirror',
  'link-not-handled',
  'takeover-no-host-access',
  'takeover-failed',
  'sender-rejected',
  'request-not-allowed',
  // usage (CLI)
  'usage',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class IsoVerifyError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${code}: ${detail}` : code, options);
    this.name = 'IsoVerifyError';
    this.code = code;
    this.detail = detail;
  }
}

export function isIsoVerifyError(value: unknown): value is IsoVerifyError {
  return value instanceof IsoVerifyError;
}

/** The locale key for a code, e.g. `signature-key-expired` → `err_signature_key_expired`. */
export function messageKey(code: ErrorCode): string {
  return `err_${code.replace(/-/g, '_')}`;
}

/** Wrap anything thrown into a typed error; unknown failures become `internal`, never success. */
export function toIsoVerifyError(value: unknown, fallback: ErrorCode = 'internal'): IsoVerifyError {
  if (value instanceof IsoVerifyError) return value;
  if (value instanceof Error && value.name === 'AbortError') return new IsoVerifyError('aborted', value.message);
  const detail = value instanceof Error ? value.message : String(value);
  return new IsoVerifyError(fallback, detail, { cause: value });
}

/** A serialisable form of an error, for messages between worker, background and pages. */
export interface ErrorInfo {
  code: ErrorCode;
  detail?: string | undefined;
}

export function errorInfo(error: unknown): ErrorInfo {
  const e = toIsoVerifyError(error);
  return e.detail === undefined ? { code: e.code } : { code: e.code, detail: e.detail };
}
