/** Public API of the core's hashing. */
export type { HashAlgorithm, HashCheckpoint, HashEngine, Hasher, HashProgress, HashResult } from './types.js';
export { wasmEngine } from './wasm-engine.js';
export { IncrementalHash, HASH_ALGORITHMS, normaliseAlgorithms } from './incremental-hash.js';
export { hashStream, DEFAULT_CHECKPOINT_EVERY, type HashStreamOptions } from './stream-hash.js';
export { ProgressTracker, DEFAULT_PROGRESS_INTERVAL_MS, type ProgressTrackerOptions } from './progress.js';
export {
  rechunk,
  hashBlockSize,
  DEFAULT_BLOCK_SIZE,
  MIN_BLOCK_SIZE,
  MAX_BLOCK_SIZE,
  type RechunkOptions,
} from './rechunk.js';
export { iterateSource, type ByteSource } from './source.js';
export { restoreHashResult } from './restore.js';
