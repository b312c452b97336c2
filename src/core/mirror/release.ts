/**
 * What a mirror must serve, from the profile's release data: every image of the current release
 * (IMG and ISO) at the path it has below the mirror prefix, and the image signatures next to
 * them when the profile publishes some. Plus the judge that decides a fully hashed image exactly
 * as a user's download is decided (src/core/verify decideVerdict: signed description or image
 * signature by the pinned key, rollback protection).
 *
 * Anything that makes the release itself unknowable (no description, a bad description
 * signature, a rollback, an official image signature that cannot be fetched) throws: the mirror
 * check cannot run, and saying "the mirror is fine" would be a lie.
 */
import { errorInfo, IsoVerifyError } from '../errors.js';
import { checkFreshness, freshnessKey, MemoryTrustState, type TrustState } from '../freshness.js';
import type { HashResult } from '../hash/types.js';
import { LIMITS, type Fetcher } from '../net/types.js';
import { loadPinnedKeyring, mergeKeyRefresh, verifyDetached, type PinnedKeyring } from '../openpgp/index.js';
import type { Profile } from '../profile.js';
import { urlBasename } from '../release/fields.js';
import { parseImageDescription } from '../release/idf.js';
import { mirrorPathOf } from '../release/mirrors.js';
import type { ImageDescription } from '../release/types.js';
import type { SignatureDetails, Verdict } from '../verdict.js';
import { decideVerdict } from '../verify/decide.js';
import { fetchReleaseMaterial, imageSignatureUrl, type FetchedInput, type MaterialOverrides, type ReleaseMaterial } from '../verify/material.js';
import { releaseVersion } from '../verify/expected-file.js';
import type { ImageJudge, MirrorRelease, MirrorTargetFile } from './check.js';

export interface LoadMirrorReleaseOptions {
  signal?: AbortSignal;
  /** Replacements for the description, its signature and keys (the image signature is per file, so not taken). */
  overrides?: Omit<MaterialOverrides, 'imageSignature'>;
  /** Rollback protection; default: in memory (nothing remembered between runs). */
  trustState?: TrustState;
  now?: () => Date;
}

export interface LoadedMirrorRelease {
  release: MirrorRelease;
  /** For checkMirror's full mode. */
  judge: ImageJudge;
  /** Where the release data came from (for reports). */
  descriptionSource: string;
  /** The description signature, when the profile signs its description. */
  descriptionSignature?: SignatureDetails;
}

const DAY_MS = 86_400_000;

export async function loadMirrorRelease(profile: Profile, fetcher: Fetcher, options: LoadMirrorReleaseOptions = {}): Promise<LoadedMirrorRelease> {
  const { signal } = options;
  const now = options.now ?? (() => new Date());
  const trustState = options.trustState ?? new MemoryTrustState();
  const overrides: MaterialOverrides = { ...(options.overrides ?? {}) };
  delete overrides.imageSignature;

  // No file name yet: the material holds the description, its signature and the keys only.
  const base = await fetchReleaseMaterial(profile, '', fetcher, { signal, overrides });
  const descriptionBytes = base.description.bytes;
  if (!descriptionBytes) {
    const error = base.description.record.error ?? { code: 'fetch-failed' as const, detail: base.description.record.source };
    throw new IsoVerifyError(error.code, `image description: ${error.detail ?? base.description.record.source}`);
  }

  const descriptionSignature = base.descriptionSignature
    ? await checkDescriptionSignature(profile, base, descriptionBytes, now())
    : undefined;
  const description = parseImageDescription(descriptionBytes);
  checkTarget(description, profile);
  const version = releaseVersion(description);
  if (descriptionSignature) {
    // A replayed older description would make every stale mirror look current.
    const fresh = await checkFreshness(trustState, freshnessKey(profile.id, profile.product, profile.channel), {
      version,
      signatureTime: descriptionSignature.signatureTime!,
    });
    if (!fresh.ok) throw fresh.error;
  }

  const images = releaseImages(description, version);
  const signatures = new Map<string, FetchedInput>();
  await Promise.all(
    images.map(async (image) => {
      const url = imageSignatureUrl(profile, image.fileName);
      if (url === undefined) return;
      signatures.set(image.fileName, await fetchSignature(fetcher, url, signal));
    }),
  );
  if (signal?.aborted) throw new IsoVerifyError('aborted', 'loading the release');

  const files: MirrorTargetFile[] = [];
  for (const image of images) {
    files.push(image);
    const signature = signatures.get(image.fileName)?.bytes;
    if (signature) {
      files.push({ fileName: `${image.fileName}.sig`, kind: 'signature', path: `${image.path}.sig`, size: signature.length, bytes: signature });
    }
  }

  const judge: ImageJudge = (target: MirrorTargetFile, hash: HashResult): Promise<Verdict> => {
    const material: ReleaseMaterial = { ...base, fileName: target.fileName };
    const imageSignature = signatures.get(target.fileName);
    if (imageSignature) material.imageSignature = imageSignature;
    const sha256 = hash.digests.sha256;
    if (sha256 === undefined) throw new IsoVerifyError('internal', 'the image was hashed without SHA-256');
    return decideVerdict({
      profile,
      material,
      file: { name: target.fileName, size: hash.bytes, sha256, ...(hash.digests.sha512 ? { sha512: hash.digests.sha512 } : {}) },
      continuations: hash.continuations,
      trustState,
      now: now(),
    });
  };

  const loaded: LoadedMirrorRelease = {
    release: { product: description.product, version, signed: descriptionSignature !== undefined, files },
    judge,
    descriptionSource: base.description.record.source,
  };
  if (descriptionSignature) loaded.descriptionSignature = descriptionSignature;
  return loaded;
}

/** The images of `version`, each at its path in the mirrored tree. */
function releaseImages(description: ImageDescription, version: string): MirrorTargetFile[] {
  const installation = description.installations.find((i) => i.version === version)!;
  const images: MirrorTargetFile[] = [];
  for (const installationPath of installation.paths) {
    for (const file of installationPath.files) {
      const path = mirrorPathOf(file.url);
      const fileName = urlBasename(file.url);
      if (path === undefined || !fileName) {
        throw new IsoVerifyError('descriptor-malformed', `${file.url}: not a URL of the mirrored tree (no "/tails/" part)`);
      }
      if (images.some((i) => i.path === path)) continue;
      images.push({ fileName, kind: 'image', path, size: file.size, sha256: file.sha256 });
    }
  }
  if (images.length === 0) throw new IsoVerifyError('descriptor-no-release', `release ${version} lists no files`);
  return images;
}

/** The pinned keyring (plus a refresh merged into the pinned key), then the description's signature. */
async function checkDescriptionSignature(profile: Profile, material: ReleaseMaterial, description: Uint8Array, now: Date): Promise<SignatureDetails> {
  const sigBytes = material.descriptionSignature?.bytes;
  if (!sigBytes) {
    const error = material.descriptionSignature?.record.error;
    throw new IsoVerifyError(error?.code ?? 'signature-missing', `description signature: ${error?.detail ?? material.descriptionSignature?.record.source ?? 'none'}`);
  }
  const extra = material.extraKeys.flatMap((k) => (k.bytes ? [k.bytes] : []));
  let keyring: PinnedKeyring = await loadPinnedKeyring([profile.signingKey, ...extra], material.fingerprints ?? profile.pinnedFingerprints);
  if (material.keyRefresh?.bytes) {
    try {
      keyring = await mergeKeyRefresh(keyring, material.keyRefresh.bytes);
    } catch {
      // As in decideVerdict: the shipped key still works without the refresh.
    }
  }
  let details: SignatureDetails;
  try {
    details = await verifyDetached(keyring, description, sigBytes, { over: 'description', now });
  } catch (error) {
    details = { over: 'description', good: false, error: errorInfo(error) };
  }
  if (!details.good) {
    const error = details.error ?? { code: 'signature-bad' as const };
    throw new IsoVerifyError(error.code, `description signature: ${error.detail ?? 'not accepted'}`);
  }
  const signed = Date.parse(details.signatureTime ?? '');
  if (!Number.isFinite(signed)) throw new IsoVerifyError('signature-malformed', 'description signature: no signature time');
  if (profile.maxDescriptionAgeDays > 0 && now.getTime() - signed > profile.maxDescriptionAgeDays * DAY_MS) {
    throw new IsoVerifyError('descriptor-expired', `signed ${details.signatureTime}, more than ${profile.maxDescriptionAgeDays} days ago`);
  }
  return details;
}

function checkTarget(description: ImageDescription, profile: Profile): void {
  const wrong =
    description.product !== profile.product ? `product "${description.product}", expected "${profile.product}"`
    : description.channel !== profile.channel ? `channel "${description.channel}", expected "${profile.channel}"`
    : description.buildTarget !== profile.architecture ? `build target "${description.buildTarget}", expected "${profile.architecture}"`
    : undefined;
  if (wrong) throw new IsoVerifyError('descriptor-wrong-product', wrong);
}

/** The official image signature: what every mirror's copy must equal byte for byte. */
async function fetchSignature(fetcher: Fetcher, url: string, signal: AbortSignal | undefined): Promise<FetchedInput> {
  try {
    const got = await fetcher(url, { maxBytes: LIMITS.signature, timeoutMs: LIMITS.fetchTimeoutMs, ...(signal ? { signal } : {}) });
    if (!(got?.bytes instanceof Uint8Array) || got.bytes.length > LIMITS.signature) {
      throw new IsoVerifyError('fetch-failed', `${url}: no usable bytes`);
    }
    return { record: { role: 'image-signature', source: got.source || url, fetchedAt: got.fetchedAt, bytes: got.bytes.length }, bytes: got.bytes };
  } catch (error) {
    const info = errorInfo(error);
    if (signal?.aborted) throw new IsoVerifyError('aborted', url);
    throw new IsoVerifyError(info.code, `official image signature ${url}: ${info.detail ?? info.code}`);
  }
}
