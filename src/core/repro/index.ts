/** Reproducibility status from independent rebuilders: the public surface of src/core/repro. */
export { checkReproducibility, DEFAULT_REBUILDER_TIMEOUT_MS, type ReproCheckOptions } from './status.js';
export { reproForVerdict } from './for-verdict.js';
export { verifyAttestation, type VerifiedAttestation, type ArtifactDigests } from './attestation.js';
export { importRebuilderKey, parseRebuilderPublicKeyPem, ed25519KeyId, type RebuilderKey } from './keys.js';
export { canonicalJsonBytes, canonicalJsonString } from './canonical-json.js';
export { buildLogUrl } from './rebuilderd.js';
export type { RebuilderState, RebuilderResult, ReproStatus } from './types.js';
