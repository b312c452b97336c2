/**
 * An image file on disk checked against the signed release with the command line's release
 * inputs: what `verify` does for a file, and what `attest` does before it signs. Every local
 * input is checked before anything is fetched or hashed; then the one pipeline (verifyImage)
 * fetches the release data while the file is hashed once (SHA-256 + SHA-512) and decides.
 */
import path from 'node:path';
import type { HashResult } from '../core/hash/types.js';
import type { Profile } from '../core/profile.js';
import type { ReproStatus } from '../core/repro/types.js';
import type { Verdict } from '../core/verdict.js';
import { parseImageFileName, verifyImage } from '../core/verify/index.js';
import { usageError } from './args.js';
import type { CliContext } from './context.js';
import { createFileTrustState, type FileTrustState } from './file-trust-state.js';
import { hashFile } from './hash-file.js';
import { regularFileSize, resolvePath } from './local-files.js';
import { nativeEngine } from './native-engine.js';
import { createNodeFetcher, isUrl, offlineFetcher } from './node-fetcher.js';
import { loadProfileOption } from './profile-option.js';
import { checkLocalInputs, offlineOptionFor, requireLocalFile, type ReleaseInputs } from './release-options.js';
import { userAgent } from './user-agent.js';

export interface LocalImage {
  profile: Profile;
  /** Absolute path of the image. */
  path: string;
  /** Its name as saved. */
  fileName: string;
}

/**
 * The profile and the image, after every local input named on the command line was found: a
 * typo is a usage error ("no such file") naming the option, said before gigabytes are hashed.
 */
export async function prepareLocalImage(
  command: string,
  context: CliContext,
  image: string,
  inputs: ReleaseInputs,
): Promise<LocalImage> {
  if (isUrl(image) && !image.startsWith('file:')) {
    throw usageError(
      `${command}: the image must be a local file, not a URL ('${image}'): download it first, then give its path`,
    );
  }
  if (inputs.profile !== undefined && /[\\/]|\.json$/i.test(inputs.profile))
    await requireLocalFile(command, '--profile', resolvePath(context.cwd, inputs.profile));
  const profile = await loadProfileOption(inputs.profile, context.cwd);
  const imagePath = resolvePath(context.cwd, image);
  const fileName = path.basename(imagePath);
  await requireLocalFile(command, '<image>', imagePath);
  await regularFileSize(imagePath);
  await checkLocalInputs(command, inputs, context.cwd);
  signatureForThisFile(command, profile, fileName, inputs.overrides.imageSignature);
  return { profile, path: imagePath, fileName };
}

/**
 * `--image-signature tails-amd64-7.2.iso.sig` for `tails-amd64-7.2.img` is a mix-up, not a
 * forgery: said as such before hashing, instead of a red "signature does not match".
 */
function signatureForThisFile(
  command: string,
  profile: Profile,
  fileName: string,
  signature: string | undefined,
): void {
  if (signature === undefined) return;
  let base = path.basename(signature);
  if (isUrl(signature)) {
    try {
      base = decodeURIComponent(new URL(signature).pathname.split('/').pop() ?? '');
    } catch {
      return;
    }
  }
  const signedName = base.replace(/\.(sig|asc|pgp)$/i, '');
  const signedFor = parseImageFileName(profile, signedName);
  const image = parseImageFileName(profile, fileName);
  // Only the other image type: the image signature names no version, so a signature under
  // another version's name is left to the signature itself (the bytes decide).
  if (!signedFor || !image || signedFor.type === image.type) return;
  throw usageError(
    `${command}: --image-signature: ${base} is the signature for another file (${signedFor.name}), not for ${image.name}`,
  );
}

export interface LocalVerification {
  verdict: Verdict;
  /** The file's hashes (SHA-256 and SHA-512), computed once for the verdict. */
  hashed: HashResult;
  /** The rebuilders' status, when asked for (never changes the verdict). */
  repro?: Promise<ReproStatus | undefined>;
  trustState: FileTrustState;
}

/**
 * Verify the image: release data from the profile's site or the inputs given (with `offline`,
 * URLs are refused and the error names the option that gives the input as a file), the
 * rollback state in `inputs.statePath`.
 */
export async function verifyLocalImage(
  context: CliContext,
  image: LocalImage,
  inputs: ReleaseInputs & { offline: boolean },
  options: { askRebuilders?: boolean } = {},
): Promise<LocalVerification> {
  const online = createNodeFetcher({
    fetch: context.fetch,
    cwd: context.cwd,
    userAgent: userAgent(),
    now: context.now,
  });
  const fetcher = inputs.offline ? offlineFetcher(online, offlineOptionFor(image.profile, inputs.keyOption)) : online;
  const trustState = createFileTrustState(inputs.statePath);
  let hashed: HashResult | undefined;
  const { verdict, repro } = await verifyImage({
    profile: image.profile,
    fileName: image.fileName,
    material: { fetcher, overrides: inputs.overrides },
    hash: async (signal) =>
      (hashed = await hashFile(image.path, {
        algorithms: ['sha256', 'sha512'],
        engine: nativeEngine,
        progressTo: context.stderr,
        signal,
      })),
    store: { rollback: trustState },
    now: context.now,
    signal: context.signal,
    // Rebuilders are a second signal beside the verdict, never changing it; not asked offline.
    ...(options.askRebuilders && !inputs.offline ? { repro: { fetcher } } : {}),
  });
  return { verdict, hashed: hashed!, ...(repro ? { repro } : {}), trustState };
}
