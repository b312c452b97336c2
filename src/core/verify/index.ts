/**
 * Verification of one image file: fetch the release data (can run while the file downloads),
 * then decide. `verifyImage` does both for callers that have the hashes already.
 */
import type { TrustState } from '../freshness.js';
import type { HashAlgorithm, Hasher } from '../hash/types.js';
import type { Fetcher } from '../net/types.js';
import type { Profile } from '../profile.js';
import type { FileFacts, Verdict } from '../verdict.js';
import { decideVerdict } from './decide.js';
import { fetchReleaseMaterial, type MaterialOverrides } from './material.js';

export { decideVerdict, type DecideInput } from './decide.js';
export {
  fetchReleaseMaterial,
  imageSignatureUrl,
  type FetchedInput,
  type FetchMaterialOptions,
  type MaterialOverrides,
  type ReleaseMaterial,
} from './material.js';
export { parseImageFileName, type ImageFileName } from './file-name.js';
export { lookupFile, releaseVersion } from './expected-file.js';

export interface VerifyImageInput {
  profile: Profile;
  file: FileFacts;
  continuations: Partial<Record<HashAlgorithm, Hasher>>;
  fetcher: Fetcher;
  trustState: TrustState;
  now?: Date | undefined;
  signal?: AbortSignal | undefined;
  overrides?: MaterialOverrides | undefined;
}

export async function verifyImage(input: VerifyImageInput): Promise<Verdict> {
  const options = input.overrides ? { signal: input.signal, overrides: input.overrides } : { signal: input.signal };
  const material = await fetchReleaseMaterial(input.profile, input.file.name, input.fetcher, options);
  return decideVerdict({
    profile: input.profile,
    material,
    file: input.file,
    continuations: input.continuations,
    trustState: input.trustState,
    now: input.now,
  });
}
