/**
 * Steps shared by every use of a release description (a user's file in decideVerdict, a
 * mirror check in src/core/mirror/release.ts): the pinned keyring, the description's signature
 * when the profile declares one (checked over the raw bytes before anything is read from
 * them), parsing, the product/channel/architecture it is for, its age, and rollback.
 */
import { errorInfo, type ErrorInfo } from '../errors.js';
import { checkFreshness, freshnessKey, type StoredSigningKey, type TrustStateReader } from '../freshness.js';
import { latestSigningEnd } from '../openpgp/expiry.js';
import {
  armoredKeys,
  loadPinnedKeyring,
  mergeKeyRefresh,
  successorKeys,
  verifyDetached,
  type PinnedKeyring,
  type SuccessorKey,
} from '../openpgp/index.js';
import type { Profile } from '../profile.js';
import { parseImageDescription } from '../release/idf.js';
import type { ImageDescription } from '../release/types.js';
import type { SignatureDetails, UnverifiableReason, VerdictWarning } from '../verdict.js';
import { releaseVersion } from './expected-file.js';
import type { FetchedInput, ReleaseMaterial } from './material.js';
import { reasonForSignature, signatureError } from './signature-outcome.js';

const DAY_MS = 86_400_000;

export interface TrustedDescription {
  keyring: PinnedKeyring;
  description: ImageDescription;
  /** The release version the description names. */
  release: string;
  /** Rollback-protection key for this profile, product and channel. */
  stateKey: string;
  /** The good signature, when the profile signs its description. */
  signature?: SignatureDetails;
}

export type DescriptionCheck = (
  { ok: true; trusted: TrustedDescription } | { ok: false; reason: UnverifiableReason; error: ErrorInfo }
) & {
  /** Signatures checked on the way (good or bad), for the evidence. */
  signatures: SignatureDetails[];
  /** Why a fetched key refresh could not be merged (not fatal: the shipped key still works). */
  keyRefreshError?: ErrorInfo;
  /** Shown with the verdict. */
  warnings: VerdictWarning[];
  /** What is known of the pinned key's life (for the warnings and the "newer key" outcome). */
  keyStatus?: KeyStatus;
};

/** The pinned key as used by this check: shipped, kept from an earlier refresh, refreshed now. */
export interface KeyStatus {
  keyring: PinnedKeyring;
  /** A refresh from the site was merged in this check. */
  refreshedNow: boolean;
  /** Why no refresh was merged: it could not be fetched (offline), or was refused. Absent when the profile has no keyUrl. */
  refreshError?: ErrorInfo;
  /** When the key was last refreshed (now, or the kept key's time). */
  refreshedAt?: string;
  /** New primary keys certified by the pinned one, offered by the refresh: never trusted, only named. */
  successors?: SuccessorKey[];
  /** The key to keep for later checks (after a refresh merged now). */
  keep?: { id: string; key: StoredSigningKey };
}

/** Where a refreshed key is kept: one per trust domain (profile, or profile + CLI --fingerprint pins). */
export function signingKeyId(profile: Profile, fingerprints?: readonly string[]): string {
  return fingerprints ? `${profile.id}+pins:${[...fingerprints].sort().join(',')}` : profile.id;
}

export async function checkDescription(input: {
  profile: Profile;
  material: ReleaseMaterial;
  trustState: TrustStateReader;
  now: Date;
}): Promise<DescriptionCheck> {
  const { profile, material, trustState, now } = input;
  const signatures: SignatureDetails[] = [];
  const warnings: VerdictWarning[] = [];
  let keyRefreshError: ErrorInfo | undefined;
  let keyStatus: KeyStatus | undefined = undefined;
  const fail = (reason: UnverifiableReason, error: ErrorInfo): DescriptionCheck => ({
    ok: false,
    reason,
    error,
    signatures,
    warnings,
    ...(keyRefreshError ? { keyRefreshError } : {}),
    ...(keyStatus ? { keyStatus } : {}),
  });

  // The pinned keyring, plus a refresh merged into the pinned primary key. A profile that ships
  // no key (the website widget's: its key comes from the site) has only the fetched one.
  let keyring: PinnedKeyring;
  let refreshed = false;
  let kept: StoredSigningKey | undefined;
  const keyId = signingKeyId(profile, material.fingerprints);
  const pins = material.fingerprints ?? profile.pinnedFingerprints;
  const extra = material.extraKeys.flatMap((k) => (k.bytes ? [k.bytes] : []));
  const shipped = profile.signingKey.trim() === '' ? [] : [profile.signingKey];
  if (shipped.length === 0 && extra.length === 0) {
    const failed = material.keyRefresh?.record.error ?? material.extraKeys.find((k) => k.record.error)?.record.error;
    if (!material.keyRefresh?.bytes)
      return fail('offline', failed ?? { code: 'fetch-failed', detail: 'no signing key could be obtained' });
    try {
      keyring = await loadPinnedKeyring([material.keyRefresh.bytes], pins);
      refreshed = true;
    } catch (error) {
      return fail('key-invalid', errorInfo(error));
    }
  } else {
    try {
      keyring = await loadPinnedKeyring([...shipped, ...extra], pins);
    } catch (error) {
      return fail('key-invalid', errorInfo(error));
    }
    // The key kept from an earlier refresh goes through the same merge as a refresh: it can only
    // add what the pinned primary certifies. A kept key that cannot be read is ignored.
    try {
      kept = await trustState.getSigningKey?.(keyId);
      for (const armored of kept?.keys ?? []) keyring = await mergeKeyRefresh(keyring, armored, 'kept refreshed key');
    } catch {
      kept = undefined;
    }
    if (material.keyRefresh?.bytes) {
      try {
        keyring = await mergeKeyRefresh(keyring, material.keyRefresh.bytes);
        refreshed = true;
      } catch (error) {
        keyRefreshError = errorInfo(error);
      }
    }
  }
  keyStatus = { keyring, refreshedNow: refreshed };
  if (material.keyRefresh?.bytes) {
    const successors = await successorKeys(keyring, material.keyRefresh.bytes).catch(() => []);
    if (successors.length > 0) keyStatus.successors = successors;
  }
  if (!refreshed && profile.keyUrl !== undefined) {
    const refreshError = keyRefreshError ?? material.keyRefresh?.record.error;
    if (refreshError) keyStatus.refreshError = refreshError;
  }
  if (refreshed && shipped.length > 0) {
    const end = await latestSigningEnd(keyring);
    const signingUntil = end === null ? null : end.toISOString();
    keyStatus.refreshedAt = now.toISOString();
    keyStatus.keep = { id: keyId, key: { keys: armoredKeys(keyring), refreshedAt: now.toISOString(), signingUntil } };
  } else if (kept) {
    keyStatus.refreshedAt = kept.refreshedAt;
  }

  const bytes = material.description.bytes;
  if (!bytes)
    return fail(
      'offline',
      material.description.record.error ?? { code: 'fetch-failed', detail: material.description.record.source },
    );

  // The signature, when the profile declares one, before anything is read from the bytes.
  let signature: SignatureDetails | undefined;
  if (material.descriptionSignature) {
    const sigBytes = material.descriptionSignature.bytes;
    if (!sigBytes)
      return fail('no-signature', material.descriptionSignature.record.error ?? missing(material.descriptionSignature));
    try {
      signature = await verifyDetached(keyring, bytes, sigBytes, { over: 'description', now });
    } catch (error) {
      signature = { over: 'description', good: false, error: errorInfo(error) };
    }
    signatures.push(signature);
    if (!signature.good) {
      const error = signatureError(signature);
      return fail(reasonForSignature(error), error);
    }
  }

  let description: ImageDescription;
  try {
    description = parseImageDescription(bytes);
  } catch (error) {
    return fail('descriptor-invalid', errorInfo(error));
  }
  const wrongFor = describesOtherTarget(description, profile);
  if (wrongFor) return fail('descriptor-invalid', { code: 'descriptor-wrong-product', detail: wrongFor });
  const release = releaseVersion(description);
  // Pins replaced by the caller (CLI --fingerprint) make another trust domain: its records must
  // neither block nor be blocked by the profile's own.
  const pinsId = signingKeyId(profile, material.fingerprints);
  const stateKey = freshnessKey(pinsId, profile.product, profile.channel);

  if (signature) {
    const signed = Date.parse(signature.signatureTime ?? '');
    if (!Number.isFinite(signed))
      return fail('signature-bad', { code: 'signature-malformed', detail: 'no signature time' });
    if (profile.maxDescriptionAgeDays > 0 && now.getTime() - signed > profile.maxDescriptionAgeDays * DAY_MS) {
      const days = Math.floor((now.getTime() - signed) / DAY_MS);
      return fail('descriptor-expired', {
        code: 'descriptor-expired',
        detail: `signed ${signature.signatureTime}, ${days} days ago (limit ${profile.maxDescriptionAgeDays})`,
      });
    }
    // A replayed older description would present an old release as current.
    const fresh = await checkFreshness(trustState, stateKey, {
      version: release,
      signatureTime: signature.signatureTime!,
    });
    if (!fresh.ok) return fail('rollback', errorInfo(fresh.error));
  }

  const trusted: TrustedDescription = { keyring, description, release, stateKey, ...(signature ? { signature } : {}) };
  return { ok: true, trusted, signatures, warnings, keyStatus, ...(keyRefreshError ? { keyRefreshError } : {}) };
}

/** Why the description does not belong to this profile, or undefined when it does. */
function describesOtherTarget(description: ImageDescription, profile: Profile): string | undefined {
  if (description.product !== profile.product) return `product "${description.product}", expected "${profile.product}"`;
  if (description.channel !== profile.channel) return `channel "${description.channel}", expected "${profile.channel}"`;
  if (description.buildTarget !== profile.architecture) {
    return `build target "${description.buildTarget}", expected "${profile.architecture}"`;
  }
  return undefined;
}

function missing(input: FetchedInput): ErrorInfo {
  return { code: 'signature-missing', detail: input.record.source };
}
