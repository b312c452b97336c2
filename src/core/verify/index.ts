/**
 * The public entry of verification for every surface: `verifyImage` (pipeline.ts) fetches the
 * release data while the file is hashed, decides with the one `decide`, records the trust
 * updates and, when asked, asks the reproducers. Surfaces do not compose those steps
 * themselves: `decide` and `recordDecision` are not exported here, and eslint.config.js keeps
 * surfaces from importing decide.ts, description.ts and repro/for-verdict.ts directly.
 */
export {
  verifyImage,
  bothOrNeither,
  type HashSource,
  type MaterialSource,
  type ReproRequest,
  type TrustStores,
  type VerifyImageInput,
  type VerifyImageResult,
} from './pipeline.js';
export type { HashedFile, TrustUpdate } from './decide.js';
/** The release hash reproducers are compared with: only one a signature proves (#20). */
export { signedSha256 } from '../repro/for-verdict.js';
/** Where a surface keeps and reads the refreshed signing key of a profile. */
export { signingKeyId } from './description.js';
export {
  fetchReleaseMaterial,
  fetchUpgradeDescriptions,
  imageSignatureUrl,
  previousVersions,
  siblingImageName,
  upgradeDescriptionUrls,
  type FetchedInput,
  type FetchMaterialOptions,
  type MaterialOverrides,
  type ReleaseMaterial,
  type UpgradeDescriptionInput,
} from './material.js';
export { parseImageFileName, type ImageFileName } from './file-name.js';
export { lookupFile, releaseVersion } from './expected-file.js';
export { releaseFileFacts, type ReleaseFileFacts } from './release-file.js';
