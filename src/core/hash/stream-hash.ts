/**
 * Hash a whole stream in one pass with every requested algorithm, with progress, abort and
 * resumable checkpoints. Memory stays constant: one block at a time, never the whole input.
 */
import { IsoVerifyError, toIsoVerifyError } from '../errors.js';
import { IncrementalHash, normaliseAlgorithms } from './incremental-hash.js';
import { ProgressTracker } from './progress.js';
import { hashBlockSize, rechunk } from './rechunk.js';
import { iterateSource, throwIfAborted, type ByteSource } from './source.js';
import type { HashAlgorithm, HashCheckpoint, HashEngine, HashProgress, HashResult } from './types.js';
import { wasmEngine } from './wasm-engine.js';

/** Default distance between two checkpoints (when onCheckpoint is given). */
export const DEFAULT_CHECKPOINT_EVERY = 64 * 1024 * 1024;

export interface HashStreamOptions {
  algorithms: HashAlgorithm[];
  /** Defaults to the hash-wasm engine. */
  engine?: HashEngine | undefined;
  signal?: AbortSignal | undefined;
  /** Throttled (about every 100 ms) plus one report at the start and one at the end. */
  onProgress?: ((progress: HashProgress) => void) | undefined;
  /** Total size of the whole input (including a resumed prefix), for ETA. */
  total?: number | undefined;
  /** Hash block size in bytes, 1–4 MiB (default 2 MiB). */
  chunkSize?: number;
  /** Continue an interrupted hash: `source` then supplies only the bytes after its offset. */
  resumeFrom?: HashCheckpoint;
  onCheckpoint?: (checkpoint: HashCheckpoint) => void;
  /** Bytes between checkpoints (taken at block boundaries). Default 64 MiB. */
  checkpointEvery?: number;
  /** Injectable millisecond clock for progress (tests). */
  now?: (() => number) | undefined;
}

function sameAlgorithms(a: readonly HashAlgorithm[], b: readonly HashAlgorithm[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export async function hashStream(source: ByteSource, options: HashStreamOptions): Promise<HashResult> {
  try {
    return await hashStreamUnwrapped(source, options);
  } catch (error) {
    throw toIsoVerifyError(error);
  }
}

async function hashStreamUnwrapped(source: ByteSource, options: HashStreamOptions): Promise<HashResult> {
  const { signal, onProgress, onCheckpoint, resumeFrom } = options;
  const engine = options.engine ?? wasmEngine;
  const algorithms = normaliseAlgorithms(options.algorithms);
  const blockSize = hashBlockSize(options.chunkSize);
  const checkpointEvery = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  if (onCheckpoint && (!Number.isSafeInteger(checkpointEvery) || checkpointEvery <= 0)) {
    throw new IsoVerifyError(
      'input-invalid-value',
      `checkpointEvery ${String(checkpointEvery)} is not a positive byte count`,
    );
  }
  throwIfAborted(signal);

  let hash: IncrementalHash;
  if (resumeFrom !== undefined) {
    hash = await IncrementalHash.resume(resumeFrom, engine);
    if (!sameAlgorithms(hash.algorithms, algorithms)) {
      throw new IsoVerifyError(
        'hash-state-invalid',
        `checkpoint holds ${hash.algorithms.join('+')}, requested ${algorithms.join('+')}`,
      );
    }
  } else {
    hash = await IncrementalHash.create(algorithms, engine);
  }
  if (onCheckpoint && !hash.canCheckpoint) {
    throw new IsoVerifyError('input-invalid-value', `engine ${engine.name} cannot save checkpoints`);
  }

  const tracker = new ProgressTracker({ total: options.total, startOffset: hash.offset, now: options.now });
  onProgress?.(tracker.report(hash.offset));
  let lastCheckpointAt = hash.offset;

  for await (const block of rechunk(iterateSource(source, signal), { blockSize, reuseBuffer: true })) {
    throwIfAborted(signal);
    hash.update(block);
    if (onProgress) {
      const progress = tracker.due(hash.offset);
      if (progress) onProgress(progress);
    }
    if (onCheckpoint && hash.offset - lastCheckpointAt >= checkpointEvery) {
      lastCheckpointAt = hash.offset;
      onCheckpoint(hash.checkpoint());
    }
  }
  throwIfAborted(signal);
  onProgress?.(tracker.report(hash.offset));
  return hash.finish();
}
