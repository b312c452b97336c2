/**
 * Read a device once, up to the longest candidate image length, hashing SHA-256 and SHA-512 on
 * two cores, with the hashes taken at each candidate length (so an ISO and a USB image of
 * different lengths are both checked in one pass). Optionally compares every byte with a
 * reference copy of the image, to locate the first difference (the release's whole-image
 * hashes cannot locate one).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { IsoVerifyError } from '../core/errors.js';
import type { HashedFile } from '../core/verify/index.js';
import type { OutputStream } from './context.js';
import { DEVICE_CHUNK, DEVICE_SLOTS, readChunk, type DeviceChunk, type OpenedDevice } from './device.js';
import { createProgressBar } from './progress-bar.js';
import { SplitHash } from './split-hash.js';

export interface DeviceReadOptions {
  /** Image lengths to take hashes at (any order). */
  lengths: number[];
  /** A copy of the image to compare byte by byte (first difference). */
  compare?: string | undefined;
  progressTo?: OutputStream | undefined;
  label: string;
  signal?: AbortSignal | undefined;
  singleThread?: boolean | undefined;
  clock?: () => number;
}

export interface ComparedWith {
  path: string;
  /** Offset of the first byte that differs, within the bytes read; undefined when none did. */
  firstDifference?: number;
  /** The reference file ended before the device bytes did (at this length). */
  endedAt?: number;
}

export interface DeviceRead {
  /** Bytes read before the end of the device (or the longest length). */
  bytesRead: number;
  /** True when the device ended before the longest length. */
  ended: boolean;
  /** The hash at each length (or at the end of the device, for lengths beyond it). */
  at(length: number): HashedFile;
  /** The first 64 KiB of the device (partition tables), for explaining a difference. */
  head: Uint8Array;
  compared?: ComparedWith;
  /** Whether a second thread hashed (SHA-512). */
  parallel: boolean;
  /** Seconds spent reading and hashing. */
  seconds: number;
  /** Ends the hashing thread: call after the decision (its continuations need it). */
  close(): Promise<void>;
}

const HEAD_BYTES = 64 * 1024;
const READ_DEPTH = DEVICE_SLOTS / 2;

export async function readDevice(device: OpenedDevice, options: DeviceReadOptions): Promise<DeviceRead> {
  const clock = options.clock ?? Date.now;
  const lengths = [...new Set(options.lengths)].sort((a, b) => a - b);
  const max = lengths.at(-1) ?? 0;
  const hash = new SplitHash({
    algorithms: ['sha256', 'sha512'],
    data: device.memory,
    singleThread: options.singleThread,
  });
  const snapshots = new Map<number, HashedFile>();
  const head = new Uint8Array(Math.min(HEAD_BYTES, max));
  const bar = options.progressTo ? createProgressBar(options.progressTo, options.label) : undefined;
  let reference: FileHandle | undefined;
  let compared: ComparedWith | undefined;
  const referenceBuffer = new Uint8Array(options.compare === undefined ? 0 : DEVICE_CHUNK);
  if (options.compare !== undefined) {
    try {
      reference = await open(options.compare, 'r');
    } catch (error) {
      await hash.close();
      throw new IsoVerifyError('io-failed', `${options.compare}: ${(error as Error).message}`, { cause: error });
    }
    compared = { path: options.compare };
  }
  const started = clock();
  let position = 0;
  let ended = false;
  let boundary = 0;
  // The hashes at `at` stand for every length up to `at` (or beyond it, at the end of the device).
  const take = (at: number, end = false) => {
    const snap = hash.snapshot();
    while (boundary < lengths.length && (end || lengths[boundary]! <= at)) {
      snapshots.set(lengths[boundary]!, { bytes: at, ...snap });
      boundary += 1;
    }
  };
  // Reads in flight, oldest first: READ_DEPTH of them, so the device always has the next
  // requests while this thread hashes (the other slots: one hashed here, the rest the hashing
  // thread may still be on). Read-ahead absorbs scheduling delays on a loaded machine.
  const inflight: Array<{ wanted: number; promise: Promise<DeviceChunk> }> = [];
  let nextPosition = 0;
  let nextSlot = 0;
  const issue = async () => {
    while (inflight.length < READ_DEPTH && nextPosition < max) {
      await hash.whenFree(nextSlot);
      const wanted = Math.min(DEVICE_CHUNK, max - nextPosition);
      const promise = readChunk(device, nextSlot, nextPosition, wanted);
      promise.catch(() => undefined); // awaited in order below; a later one may fail first
      inflight.push({ wanted, promise });
      nextPosition += wanted;
      nextSlot = (nextSlot + 1) % DEVICE_SLOTS;
    }
  };
  try {
    if (max === 0) take(0);
    await issue();
    while (inflight.length > 0) {
      const { wanted, promise } = inflight.shift()!;
      const chunk = await promise;
      if (options.signal?.aborted) throw new IsoVerifyError('aborted', 'interrupted');
      const after = position + chunk.bytes;
      // Ask for the next block before hashing this one, so the device never waits for the CPU.
      if (chunk.bytes === wanted) await issue();
      const current = chunk.slot;
      const view = new Uint8Array(device.memory, chunk.offset, chunk.bytes);
      if (position < head.length) head.set(view.subarray(0, Math.min(chunk.bytes, head.length - position)), position);
      let done = 0;
      while (done < chunk.bytes) {
        const stop = Math.min(chunk.bytes, lengths[boundary]! - position);
        hash.update(current, chunk.offset + done, stop - done);
        done = stop;
        if (position + done === lengths[boundary]) take(position + done);
      }
      if (reference && compared && compared.firstDifference === undefined && compared.endedAt === undefined) {
        const { bytesRead } = await reference.read(referenceBuffer, 0, chunk.bytes, position);
        const ref = referenceBuffer.subarray(0, bytesRead);
        const firstDiff = firstDifference(view.subarray(0, bytesRead), ref);
        if (firstDiff !== undefined) compared.firstDifference = position + firstDiff;
        else if (bytesRead < chunk.bytes) compared.endedAt = position + bytesRead;
      }
      position = after;
      const seconds = (clock() - started) / 1000;
      const rate = seconds > 0 ? position / seconds : 0;
      bar?.update({ bytes: position, total: max, rate, ...(rate > 0 ? { etaSeconds: (max - position) / rate } : {}) });
      if (chunk.bytes < wanted) {
        ended = true;
        break;
      }
    }
    if (boundary < lengths.length) take(position, true);
    // Let the hashing thread finish before the caller decides.
    for (let s = 0; s < DEVICE_SLOTS; s++) await hash.whenFree(s);
  } catch (error) {
    await hash.close();
    throw error instanceof IsoVerifyError
      ? error
      : new IsoVerifyError('io-failed', `${device.path}: ${(error as Error).message}`, { cause: error });
  } finally {
    // Reads past the end (or after a failure) settle before the caller closes the device.
    for (const read of inflight) await read.promise.catch(() => undefined);
    bar?.finish();
    await reference?.close();
  }
  const seconds = (clock() - started) / 1000;
  return {
    bytesRead: position,
    ended,
    head: head.subarray(0, Math.min(head.length, position)),
    ...(compared ? { compared } : {}),
    parallel: hash.parallel,
    seconds,
    at(length: number): HashedFile {
      const snap = snapshots.get(length);
      if (!snap) throw new IsoVerifyError('internal', `no hash taken at ${length} bytes`);
      return snap;
    },
    close: () => hash.close(),
  };
}

/** Index of the first differing byte of two equally long views, or undefined. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number | undefined {
  const A = Buffer.from(a.buffer, a.byteOffset, a.length);
  const B = Buffer.from(b.buffer, b.byteOffset, b.length);
  const n = Math.min(A.length, B.length);
  if (A.subarray(0, n).equals(B.subarray(0, n))) return n < Math.max(A.length, B.length) ? n : undefined;
  // Narrow down by halves with the fast native comparison, then byte by byte.
  let lo = 0;
  let hi = n;
  while (hi - lo > 64) {
    const mid = (lo + hi) >>> 1;
    if (A.subarray(lo, mid).equals(B.subarray(lo, mid))) lo = mid;
    else hi = mid;
  }
  for (let i = lo; i < hi; i++) if (A[i] !== B[i]) return i;
  return undefined;
}
