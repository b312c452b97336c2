/** Reproducibility status from independent rebuilders: the public surface of src/core/repro. */
export { checkReproducibility, DEFAULT_REBUILDER_TIMEOUT_MS, type ReproCheckOptions } from './status.js';
export { reproForVerdict } from './for-verdict.js';
export { verifyAttestation, type VerifiedAttestation, type ArtifactDigests } from './attestation.js';
export { importRebuilderKey, parseRebuilderPublicKeyPem, ed25519KeyId, type RebuilderKey } from './keys.js';
export { canonicalJsonBytes, canonicalJsonString } from './canonical-json.js';
export { buildLogUrl } from './rebuilderd.js';
export { staticLinkUrl, staticLinkPath, type ReleaseRef } from './static-reproducer.js';
export { reproducerLinkSigned, linkRelease, type ReproducerStatement } from './reproducer-link.js';
export { newPersonReproducer, readPersonReproSettings, checkThreshold, type PersonReproducer, type PersonReproSettings } from './person.js';
export type { RebuilderState, RebuilderResult, RebuilderSource, ReproStatus } from './types.js';
