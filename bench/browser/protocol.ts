/** Messages between the browser bench page and its reference worker (raw-worker.ts). */

export type RawReader =
  /** File.stream(), whatever chunk size the browser gives (64 KiB in both engines). */
  | { kind: 'stream' }
  /** `await file.slice(a, a + chunk).arrayBuffer()`, one read at a time, or with the next read started before hashing (prefetch). */
  | { kind: 'slice'; chunk: number; prefetch: boolean }
  /** FileReaderSync.readAsArrayBuffer of slices (workers only). */
  | { kind: 'sync'; chunk: number };

export type RawAlgorithm = 'sha256' | 'sha512';

export interface RawRequest {
  file: Blob;
  reader: RawReader;
  /** hash-wasm algorithms to update in one pass, or node-forge SHA-256. */
  impl: { kind: 'hash-wasm'; algorithms: RawAlgorithm[] } | { kind: 'forge' };
  /** Hash only the first `limit` bytes. */
  limit?: number | undefined;
}

/**
 * One file read once, two algorithms in two workers: the reader hashes each chunk with its
 * algorithm, then hands the same buffer (transferred, not copied) to the follower over `port`.
 */
export type RelayRequest =
  | { role: 'reader'; file: Blob; reader: RawReader; algorithm: RawAlgorithm; port?: MessagePort }
  | { role: 'follower'; algorithm: RawAlgorithm; port?: MessagePort };

/** Relay messages when there is no port: they go through the page (worker ↔ page ↔ worker). */
export type RelayMessage = { relay: 'chunk'; buffer: ArrayBuffer } | { relay: 'end' } | { relay: 'ack' };

export type RawResponse =
  | { ok: true; bytes: number; digests: Partial<Record<RawAlgorithm, string>>; ms: number }
  | { ok: false; error: string };
