/**
 * Re-block a stream of byte chunks of arbitrary sizes into blocks of one size.
 *
 * Sources deliver very different chunk sizes (File.stream() ~64 KiB, Node streams whatever
 * highWaterMark says, network bodies a few KiB). Hashing in fixed blocks gives a steady cadence
 * for progress, abort checks and checkpoints. Copies are kept to the minimum: parts of large
 * chunks are yielded as zero-copy views, and only small chunks are gathered into a buffer.
 */
import { IsoVerifyError } from '../errors.js';

export const MIB = 1024 * 1024;
export const DEFAULT_BLOCK_SIZE = 2 * MIB;
export const MIN_BLOCK_SIZE = 1 * MIB;
export const MAX_BLOCK_SIZE = 4 * MIB;

/** The block size to hash with: default 2 MiB, must lie in 1–4 MiB. */
export function hashBlockSize(requested?: number): number {
  if (requested === undefined) return DEFAULT_BLOCK_SIZE;
  if (!Number.isSafeInteger(requested) || requested < MIN_BLOCK_SIZE || requested > MAX_BLOCK_SIZE) {
    throw new IsoVerifyError('input-invalid-value', `chunk size ${String(requested)} is outside 1–4 MiB`);
  }
  return requested;
}

export interface RechunkOptions {
  /** Bytes per block (every block but the last has exactly this size). Default 2 MiB. */
  blockSize?: number;
  /**
   * Gather small chunks into ONE reused buffer instead of a fresh one per block. Only safe when
   * the consumer is done with a block before asking for the next (a hasher is); saves an
   * allocation per block in the hot loop.
   */
  reuseBuffer?: boolean;
}

export async function* rechunk(
  source: AsyncIterable<Uint8Array>,
  options: RechunkOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
  if (!Number.isSafeInteger(blockSize) || blockSize <= 0) {
    throw new IsoVerifyError('input-invalid-value', `block size ${String(blockSize)} is not a positive integer`);
  }
  const reuse = options.reuseBuffer === true;
  let gather: Uint8Array | null = null;
  let filled = 0;

  for await (const chunk of source) {
    if (!(chunk instanceof Uint8Array)) {
      throw new IsoVerifyError('input-wrong-type', 'stream chunk is not a Uint8Array');
    }
    let pos = 0;
    if (filled > 0) {
      // Complete the partly gathered block first.
      const take = Math.min(blockSize - filled, chunk.length);
      gather!.set(chunk.subarray(0, take), filled);
      filled += take;
      pos = take;
      if (filled === blockSize) {
        const block = gather!;
        filled = 0;
        if (!reuse) gather = null;
        yield block;
      }
    }
    // Whole blocks straight from the chunk: views, no copy.
    while (chunk.length - pos >= blockSize) {
      yield chunk.subarray(pos, pos + blockSize);
      pos += blockSize;
    }
    if (pos < chunk.length) {
      gather ??= new Uint8Array(blockSize);
      gather.set(chunk.subarray(pos), 0);
      filled = chunk.length - pos;
    }
  }
  if (filled > 0) yield gather!.subarray(0, filled);
}
