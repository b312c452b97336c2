import { describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import { concatBytes } from '../../../src/core/bytes.js';
import { READ_CHUNK_BYTES, readBlobInSlices } from '../../../src/worker/blob-reader.js';
import { prngBytes } from '../hash/helpers.js';

/** A Blob that records its slice reads and how many are in flight at once. */
class CountingBlob extends Blob {
  reads: [number, number][] = [];
  inFlight = 0;
  maxInFlight = 0;
  failAt?: number;

  override slice(start = 0, end = this.size): Blob {
    const part = super.slice(start, end);
    this.reads.push([start, end]);
    return {
      size: part.size,
      arrayBuffer: async () => {
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        try {
          await new Promise((r) => setTimeout(r, 1));
          if (this.failAt !== undefined && start >= this.failAt) throw new Error('disk on fire');
          return await part.arrayBuffer();
        } finally {
          this.inFlight--;
        }
      },
    } as Blob;
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    throw new Error('File.stream() must not be used: the slice reader is faster in both browsers');
  }
}

async function collect(iterable: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of iterable) out.push(chunk.slice());
  return out;
}

describe('readBlobInSlices', () => {
  it('reads 16 MiB slices by default', () => {
    expect(READ_CHUNK_BYTES).toBe(16 * 1024 * 1024);
  });

  it('yields every byte in order, in slices of the chunk size and a short last one', async () => {
    const data = prngBytes(10_007, 3);
    const blob = new CountingBlob([data]);
    const chunks = await collect(readBlobInSlices(blob, { chunkBytes: 1000 }));
    expect(chunks.map((c) => c.length)).toEqual([...Array(10).fill(1000), 7]);
    expect(concatBytes(...chunks)).toEqual(data);
    expect(blob.reads[0]).toEqual([0, 1000]);
    expect(blob.reads.at(-1)).toEqual([10_000, 10_007]);
  });

  it('has the next read under way while the caller works, but never more than one ahead', async () => {
    const blob = new CountingBlob([prngBytes(8000, 4)]);
    const seenWhileHashing: number[] = [];
    for await (const chunk of readBlobInSlices(blob, { chunkBytes: 1000 })) {
      void chunk;
      seenWhileHashing.push(blob.reads.length);
    }
    // While the caller holds slice n, slice n+1 has been requested (constant memory: two slices).
    expect(seenWhileHashing).toEqual([2, 3, 4, 5, 6, 7, 8, 8]);
    expect(blob.maxInFlight).toBe(1);
  });

  it('reads nothing from an empty blob', async () => {
    const blob = new CountingBlob([]);
    expect(await collect(readBlobInSlices(blob))).toEqual([]);
    expect(blob.reads).toEqual([]);
  });

  it('turns a failed read into io-failed', async () => {
    const blob = new CountingBlob([prngBytes(5000, 5)]);
    blob.failAt = 3000;
    const error = await collect(readBlobInSlices(blob, { chunkBytes: 1000 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IsoVerifyError);
    expect((error as IsoVerifyError).code).toBe('io-failed');
  });

  it('starts no further read once the signal has fired', async () => {
    const blob = new CountingBlob([prngBytes(10_000, 6)]);
    const controller = new AbortController();
    const chunks: Uint8Array[] = [];
    for await (const chunk of readBlobInSlices(blob, { chunkBytes: 1000, signal: controller.signal })) {
      chunks.push(chunk);
      if (chunks.length === 2) controller.abort();
    }
    expect(blob.reads.length).toBe(3); // the two hashed, plus the one already ahead when aborting
  });

  it('rejects a read size that is not a positive byte count', async () => {
    const error = await collect(readBlobInSlices(new Blob([new Uint8Array(3)]), { chunkBytes: 0 })).catch(
      (e: unknown) => e,
    );
    expect((error as IsoVerifyError).code).toBe('input-invalid-value');
  });
});
