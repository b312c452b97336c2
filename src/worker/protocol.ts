/**
 * Messages between a page and the hashing worker (src/worker/hash-worker.ts).
 * Everything here survives structured clone: File/Blob, plain objects, strings.
 */
import type { ErrorInfo } from '../core/errors.js';
import type { HashAlgorithm, HashProgress } from '../core/hash/types.js';

/**
 * What a worker hashes: a File or Blob (read in slices), or a local file by its file: URL
 * (Chrome's offscreen document, which has no File for a finished download, only its path).
 */
export type HashInput = { file: Blob; url?: undefined } | { url: string; file?: undefined };

/** Hash one input; `id` ties replies to the request. */
export type HashRequest = HashInput & {
  type: 'hash';
  id: string;
  algorithms: HashAlgorithm[];
  /** Expected total size; defaults to file.size (a URL has no size until read). */
  total?: number;
};

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
