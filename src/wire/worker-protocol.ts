/**
 * Messages between a page and the hashing worker (src/worker/hash-worker.ts).
 * Everything here survives structured clone: File/Blob, plain objects, strings, and the
 * transferred chunk buffers of a relay.
 *
 * Relay (two algorithms, two workers, the file read once): the lead worker reads and hashes
 * with its algorithm, and after each chunk posts it (`chunk`, transferred) to the page, which
 * transfers it to the follower; the follower hashes it and `ack`s, which the page passes back.
 * The lead keeps at most RELAY_AHEAD chunks un-acked, so memory stays bounded.
 */
import type { ErrorInfo } from '../core/errors.js';
import type { HashAlgorithm, HashProgress } from '../core/hash/types.js';

/**
 * What a worker hashes: a File or Blob (read in slices), or a local file by its file: URL
 * (Chrome's offscreen document, which has no File for a finished download, only its path).
 */
export type HashInput =
  { file: Blob; url?: undefined; range?: undefined } | { url: string; file?: undefined; range?: ByteRange };

/**
 * Bytes [start, end) of a file: URL (Chrome: a download still being written, or the tail of a
 * finished one). The read must return exactly end − start bytes, or it fails.
 */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Saved hash states of the bytes before `offset` (base64 hash-wasm states, one per algorithm
 * of the request): the hash continues from there instead of from the empty input.
 */
export interface ResumeStates {
  offset: number;
  states: Partial<Record<HashAlgorithm, string>>;
}

/** Hash one input; `id` ties replies to the request. */
export type HashRequest = HashInput & {
  type: 'hash';
  id: string;
  algorithms: HashAlgorithm[];
  /** Expected total size; defaults to file.size (a URL has no size until read). */
  total?: number;
  /** Lead of a relay: hand every chunk on after hashing it. */
  relay?: boolean;
  /** Continue from these states (their offset must be the range's start). */
  resumeFrom?: ResumeStates;
};

/** Follower of a relay: hash the chunks the page forwards, until `relay-end`. */
export interface RelayedHashRequest {
  type: 'hash-relayed';
  id: string;
  algorithms: HashAlgorithm[];
  total?: number;
  resumeFrom?: ResumeStates;
}

/** Chunks a lead may have handed on that the follower has not acknowledged. */
export const RELAY_AHEAD = 2;

/** The relay's traffic, page → worker (the lead's chunks to the follower, the follower's acks to the lead). */
export type RelayMessage =
  | { type: 'relay-chunk'; id: string; buffer: ArrayBuffer }
  | { type: 'relay-end'; id: string }
  | { type: 'relay-ack'; id: string };

export interface CancelRequest {
  type: 'cancel';
  id: string;
}

export type WorkerRequest = HashRequest | RelayedHashRequest | CancelRequest | RelayMessage;

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
  | RelayMessage
  | { type: 'progress'; id: string; progress: HashProgress }
  | { type: 'done'; id: string; result: WorkerHashResult }
  | { type: 'error'; id: string; error: ErrorInfo };
