/**
 * The pinned key's life in a verdict (DESIGN.md "Time and keys"): a signature by a subkey this
 * copy does not know yet, and the warnings about the key's end. Signed times decide; the clock
 * only explains: no warning here is computed from a clock that a signature proves wrong, and
 * none changes a verdict.
 */
import type { ErrorInfo } from '../errors.js';
import { latestSigningEnd, KEY_EXPIRY_WARNING_DAYS } from '../openpgp/expiry.js';
import { keyringKnownUntil } from '../openpgp/index.js';
import { MAX_FUTURE_SKEW_MS } from '../openpgp/policy.js';
import type { SignatureDetails, VerdictWarning } from '../verdict.js';
import type { KeyStatus } from './description.js';
import { isUnknownKey } from './signature-outcome.js';

const DAY_MS = 86_400_000;

/**
 * `signature-key-newer` for a signature by a key the pinned copy does not know, made after
 * everything this copy knows, when no refresh was merged in this check: most likely a signing
 * subkey the project added since. Still not verified (could not verify, never red), but the
 * person learns what to do. With a refresh merged now the signer is simply unknown.
 */
export function newerKeyOutcome(
  error: ErrorInfo,
  signatures: readonly SignatureDetails[],
  status: KeyStatus,
): ErrorInfo | undefined {
  // A new primary key certified by the pinned one (Tails 2015): never trusted automatically.
  if (isUnknownKey(error)) {
    for (const s of signatures) {
      const successor = status.successors?.find(
        (k) => s.keyId !== undefined && k.keyIds.includes(s.keyId.toUpperCase()),
      );
      if (isUnknownKey(s.error) && successor) {
        return {
          code: 'signature-key-transition',
          detail: `signed ${s.signatureTime} by key ${s.keyId}, part of the new primary key ${successor.primaryFingerprint}, which the pinned key certified; a new primary key is only trusted with a new version of ISO Verify`,
        };
      }
    }
  }
  const knownUntil = keyringKnownUntil(status.keyring);
  // Made after this copy of the key ended: the project has most likely extended it since.
  if (error.code === 'signature-key-expired' && !status.refreshedNow) {
    const late = signatures.find(
      (s) => s.error?.code === 'signature-key-expired' && Date.parse(s.signatureTime ?? '') > knownUntil.getTime(),
    );
    if (late) {
      return {
        code: 'signature-key-newer',
        detail: `signed ${late.signatureTime}, after the copy of the pinned key here stopped signing (${late.error?.detail ?? ''}); ${refreshWhy(status)}`,
      };
    }
  }
  if (!isUnknownKey(error) || status.refreshedNow) return undefined;
  const newer = signatures.find(
    (s) => isUnknownKey(s.error) && Date.parse(s.signatureTime ?? '') > knownUntil.getTime(),
  );
  if (!newer) return undefined;
  const why = refreshWhy(status);
  return {
    code: 'signature-key-newer',
    detail: `signed ${newer.signatureTime} by key ${newer.keyId ?? '?'}, which the copy of the pinned key here does not know (it knows the key as of ${day(knownUntil)}); ${why}`,
  };
}

/** Warnings about the key's end, or about a clock past it. */
export async function keyLifeWarnings(
  status: KeyStatus,
  signatures: readonly SignatureDetails[],
  now: Date,
): Promise<VerdictWarning[]> {
  // A signature by the pinned key made after "now" proves the clock behind: nothing about the
  // key's future can be told from it (the verdict names the clock).
  const behind = signatures.some(
    (s) =>
      (s.good || s.error?.code === 'signature-in-future') &&
      Date.parse(s.signatureTime ?? '') > now.getTime() + MAX_FUTURE_SKEW_MS,
  );
  if (behind) return [];
  const until = await latestSigningEnd(status.keyring);
  if (until === null) return [];
  const refresh = status.refreshedAt ? `; last refreshed ${status.refreshedAt}` : '; never refreshed';
  if (now >= until) {
    const why = status.refreshError ? `, and it could not be refreshed (${status.refreshError.code})` : '';
    return [
      {
        code: 'clock-past-key-expiry',
        until: until.toISOString(),
        detail: `this computer's clock says ${now.toISOString()}, but the signing key known here can sign only until ${until.toISOString()}${why}${refresh}`,
      },
    ];
  }
  if (status.refreshedNow || until.getTime() - now.getTime() >= KEY_EXPIRY_WARNING_DAYS * DAY_MS) return [];
  const detail = `the signing key known here can sign until ${day(until)}${refresh}`;
  if (status.refreshError && status.refreshError.code.startsWith('fetch-')) {
    return [
      {
        code: 'signing-key-not-refreshed',
        until: until.toISOString(),
        detail: `${detail}; the refresh could not be fetched (${status.refreshError.code})`,
      },
    ];
  }
  return [
    {
      code: 'signing-key-expires-soon',
      until: until.toISOString(),
      detail: status.refreshError ? `${detail}; the refresh was refused (${status.refreshError.code})` : detail,
    },
  ];
}

function refreshWhy(status: KeyStatus): string {
  return status.refreshError
    ? `the key could not be refreshed from the official site (${status.refreshError.code}${status.refreshError.detail ? `: ${status.refreshError.detail}` : ''})`
    : 'this profile does not refresh its key';
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
