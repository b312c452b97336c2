/**
 * Messages between a page and the hashing worker (src/worker/hash-worker.ts).
 * Everything here survives structured clone: File/Blob, plain objects, strings.
 */
import type { ErrorInfo } from '../core/errors.js';
import type { HashAlgorithm, HashProgress } from '../core/hash/types.js';

/** Hash a File or Blob; `id` ties replies to the request. */
export interface HashRequest {
  type: 'hash';
  id: string;
  file: Blob;
  algorithms: HashAlgorithm[];
  /** Expected total size; defaults to file.size. */
  total?: number;
}

export interface CancelRequest {
  type: 'cancel';
  id: string;
}

export type WorkerRequest = HashRequest | CancelRequest;

export interface WorkerHashResult {
  bytes: number;
  digests: Partial<Record<HashAlgorithm, string>>;
  /**
   * Base64 saved states (hash-wasm) of the continuations, taken just before the final digest,
   * so the page can rebuild them with wasmEngine.restore and append a suffix.
   */
  states: Partial<Record<HashAlgorithm, string>>;
}

export type WorkerResponse =
  | { type: 'progress'; id: string; progress: HashProgress }
  | { type: 'done'; id: string; result: WorkerHashResult }
  | { type: 'error'; id: string; error: ErrorInfo };
