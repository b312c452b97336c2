/**
 * Verification of one image file: fetch the release data (can run while the file downloads),
 * then `decide` — the one decision every surface calls.
 */
export { decide, fileFacts, recordDecision, type Decision, type DecisionInput, type HashedFile, type TrustUpdate } from './decide.js';
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
