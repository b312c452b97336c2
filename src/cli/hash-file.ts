/**
 * Hash one local file in a single streamed pass (constant memory), with an optional TTY
 * progress bar and cancellation. Used by `hash`, `verify` and `check-signature`.
 */
import path from 'node:path';
import { hashStream } from '../core/hash/index.js';
import type { HashAlgorithm, HashEngine, HashResult } from '../core/hash/types.js';
import type { OutputStream } from './context.js';
import { openImage } from './local-files.js';
import { createProgressBar } from './progress-bar.js';

export interface HashFileOptions {
  algorithms: HashAlgorithm[];
  engine: HashEngine;
  /** Where to draw progress (only if it is a TTY). */
  progressTo?: OutputStream;
  signal?: AbortSignal | undefined;
}

export async function hashFile(file: string, options: HashFileOptions): Promise<HashResult> {
  const { size, chunks } = await openImage(file, options.signal);
  const bar = options.progressTo ? createProgressBar(options.progressTo, `hashing ${path.basename(file)}`) : undefined;
  try {
    return await hashStream(chunks, {
      algorithms: options.algorithms,
      engine: options.engine,
      total: size,
      signal: options.signal,
      onProgress: bar ? (p) => bar.update(p) : undefined,
    });
  } finally {
    bar?.finish();
  }
}
