/**
 * What a mirror must serve, from the profile's release data: every image of the current release
 * (IMG and ISO) at the path it has below the mirror prefix, and the image signatures next to
 * them when the profile publishes some. Plus the judge that decides a fully hashed image exactly
 * as a user's download is decided (src/core/verify/pipeline.ts verifyImage: signed description or
 * image signature by the pinned key, rollback protection).
 *
 * Anything that makes the release itself unknowable (no description, a bad description
 * signature, a rollback, an official image signature that cannot be fetched) throws: the mirror
 * check cannot run, and saying "the mirror is fine" would be a lie.
 */
import { errorInfo, IsoVerifyError } from '../errors.js';
import { MemoryTrustState, type TrustState } from '../freshness.js';
import type { HashResult } from '../hash/types.js';
import { LIMITS, type Fetcher } from '../net/types.js';
import type { Profile } from '../profile.js';
import { urlBasename } from '../release/fields.js';
import { mirrorLayoutOf, mirrorPathOf, type MirrorLayout } from '../release/mirrors.js';
import type { ImageDescription } from '../release/types.js';
import type { SignatureDetails, Verdict } from '../verdict.js';
import { signedUpgradeFiles } from '../verify/decide.js';
import { checkDescription } from '../verify/description.js';
import {
  fetchReleaseMaterial,
  fetchUpgradeDescriptions,
  imageSignatureUrl,
  type FetchedInput,
  type MaterialOverrides,
  type ReleaseMaterial,
} from '../verify/material.js';
import { verifyImage } from '../verify/pipeline.js';
import type { ImageJudge, MirrorRelease, MirrorTargetFile } from './check.js';

export interface LoadMirrorReleaseOptions {
  signal?: AbortSignal | undefined;
  /**
   * Replacements for the description, its signature, keys and the signed upgrade description
   * (which signs the ISO's size and SHA-256); the image signature is per file, so not taken.
   */
  overrides?: Omit<MaterialOverrides, 'imageSignature'>;
  /** Rollback protection; default: in memory (nothing remembered between runs). */
  trustState?: TrustState;
  /**
   * Where to read an image's official signature instead of the profile's imageSignatureUrl
   * (a local copy, for checking a tree offline); undefined for a file means the profile's URL.
   */
  imageSignatureSource?: (fileName: string) => string | undefined;
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

const SIGNATURE_REASONS = new Set<string>([
  'no-signature',
  'signature-bad',
  'signature-unknown-key',
  'signature-newer-key',
  'key-invalid',
]);

export async function loadMirrorRelease(
  profile: Profile,
  fetcher: Fetcher,
  options: LoadMirrorReleaseOptions = {},
): Promise<LoadedMirrorRelease> {
  const { signal } = options;
  const now = options.now ?? (() => new Date());
  const trustState = options.trustState ?? new MemoryTrustState();
  const overrides: MaterialOverrides = { ...(options.overrides ?? {}) };
  delete overrides.imageSignature;

  // No file name yet: the material holds the description, its signature and the keys only.
  const base = await fetchReleaseMaterial(profile, '', fetcher, { signal, overrides });
  // The same checks as for a user's file: keyring, signature, target, age, rollback.
  const checked = await checkDescription({ profile, material: base, trustState, now: now() });
  if (!checked.ok) {
    const what = SIGNATURE_REASONS.has(checked.reason) ? 'description signature' : 'image description';
    throw new IsoVerifyError(checked.error.code, `${what}: ${checked.error.detail ?? checked.reason}`);
  }
  const { description, release: version, signature: descriptionSignature, keyring } = checked.trusted;

  const images = releaseImages(description, version, mirrorLayoutOf(profile));
  // Which sizes and hashes a signature vouches for (#20): all, when the description is signed;
  // else the ISO's when an earlier release's signed upgrade description names it. An unsigned
  // size or hash never makes a mirror bad: there the image's own signature decides (full mode).
  const udfInputs =
    overrides.upgradeDescription !== undefined
      ? base.upgradeDescriptions
      : await fetchUpgradeDescriptions(profile, images[0]!.fileName, fetcher, { signal, overrides }); // one version: the same URLs for every image
  const upgrades = descriptionSignature ? [] : await signedUpgradeFiles(profile, udfInputs, keyring, now());
  for (const image of images) {
    if (descriptionSignature) {
      image.sizeSigned = true;
      continue;
    }
    const signed = upgrades.find((c) => c.expected.name === image.fileName && c.expected.version === version);
    image.sizeSigned = signed !== undefined;
    if (signed) {
      image.size = signed.expected.size;
      image.sha256 = signed.expected.sha256;
    }
  }
  const signatures = new Map<string, FetchedInput>();
  await Promise.all(
    images.map(async (image) => {
      const url = options.imageSignatureSource?.(image.fileName) ?? imageSignatureUrl(profile, image.fileName);
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
      files.push({
        fileName: `${image.fileName}.sig`,
        kind: 'signature',
        path: `${image.path}.sig`,
        size: signature.length,
        bytes: signature,
      });
    }
  }

  const judge: ImageJudge = async (target: MirrorTargetFile, hash: HashResult): Promise<Verdict> => {
    const material: ReleaseMaterial = { ...base, fileName: target.fileName, upgradeDescriptions: udfInputs };
    const imageSignature = signatures.get(target.fileName);
    if (imageSignature) material.imageSignature = imageSignature;
    const { verdict } = await verifyImage({
      profile,
      fileName: target.fileName,
      material: { material },
      hash,
      store: { rollback: trustState },
      now,
    });
    return verdict;
  };

  const loaded: LoadedMirrorRelease = {
    release: { product: description.product, version, signed: descriptionSignature !== undefined, files },
    judge,
    descriptionSource: base.description.record.source,
  };
  if (descriptionSignature) loaded.descriptionSignature = descriptionSignature;
  return loaded;
}

/** The images of `version`, each at its path in the mirrored tree (the profile's layout). */
function releaseImages(description: ImageDescription, version: string, layout: MirrorLayout): MirrorTargetFile[] {
  const installation = description.installations.find((i) => i.version === version)!;
  const images: MirrorTargetFile[] = [];
  for (const installationPath of installation.paths) {
    for (const file of installationPath.files) {
      const path = mirrorPathOf(file.url, layout);
      const fileName = urlBasename(file.url);
      if (path === undefined || !fileName) {
        const expected =
          layout.treePath !== undefined
            ? `"${layout.treePath}" (the profile's mirrorTreePath)`
            : `"/${layout.channel}/" directory (the profile's channel; or set mirrorTreePath)`;
        throw new IsoVerifyError(
          'descriptor-malformed',
          `${file.url}: not a URL of the mirrored tree: its path has no ${expected}`,
        );
      }
      if (images.some((i) => i.path === path)) continue;
      images.push({ fileName, kind: 'image', path, size: file.size, sha256: file.sha256 });
    }
  }
  if (images.length === 0) throw new IsoVerifyError('descriptor-no-release', `release ${version} lists no files`);
  return images;
}

/** The official image signature: what every mirror's copy must equal byte for byte. */
async function fetchSignature(fetcher: Fetcher, url: string, signal: AbortSignal | undefined): Promise<FetchedInput> {
  try {
    const got = await fetcher(url, {
      maxBytes: LIMITS.signature,
      timeoutMs: LIMITS.fetchTimeoutMs,
      ...(signal ? { signal } : {}),
    });
    if (!(got?.bytes instanceof Uint8Array) || got.bytes.length > LIMITS.signature) {
      throw new IsoVerifyError('fetch-failed', `${url}: no usable bytes`);
    }
    return {
      record: { role: 'image-signature', source: got.source || url, fetchedAt: got.fetchedAt, bytes: got.bytes.length },
      bytes: got.bytes,
    };
  } catch (error) {
    const info = errorInfo(error);
    if (signal?.aborted) throw new IsoVerifyError('aborted', url);
    throw new IsoVerifyError(info.code, `official image signature ${url}: ${info.detail ?? info.code}`);
  }
}
