import { describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import { hashBlockSize, rechunk } from '../../../src/core/hash/rechunk.js';
import { fromChunks, prngBytes, splitEvery, splitRandomly } from './helpers.js';

async function collect(source: AsyncIterable<Uint8Array>, copy: boolean): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const block of source) out.push(copy ? block.slice() : block);
  return out;
}

function join(parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

describe('rechunk', () => {
  it.each([[1], [7], [64], [1000]])('exact blocks of %i bytes from any split', async (blockSize) => {
    for (const size of [0, 1, blockSize - 1, blockSize, blockSize + 1, 5 * blockSize + 3]) {
      if (size < 0) continue;
      const data = prngBytes(size, size + blockSize);
      for (const chunks of [[data], splitEvery(data, 1), splitRandomly(data, size, 3 * blockSize)]) {
        for (const reuseBuffer of [false, true]) {
          const blocks = await collect(rechunk(fromChunks(chunks), { blockSize, reuseBuffer }), reuseBuffer);
          expect(join(blocks)).toEqual(data);
          blocks.slice(0, -1).forEach((b) => expect(b.length).toBe(blockSize));
          if (blocks.length > 0) {
            expect(blocks.at(-1)!.length).toBeGreaterThan(0);
            expect(blocks.at(-1)!.length).toBeLessThanOrEqual(blockSize);
          }
        }
      }
    }
  });

  it('passes whole blocks of large chunks through as views (no copy)', async () => {
    const data = prngBytes(4096 + 10, 1);
    const blocks = await collect(rechunk(fromChunks([data]), { blockSize: 1024 }), false);
    expect(blocks.length).toBe(5);
    for (const block of blocks.slice(0, 4)) expect(block.buffer).toBe(data.buffer);
  });

  it('validates sizes', async () => {
    await expect(collect(rechunk(fromChunks([]), { blockSize: 0 }), false)).rejects.toThrow(IsoVerifyError);
    expect(hashBlockSize()).toBe(2 * 1024 * 1024);
    expect(hashBlockSize(4 * 1024 * 1024)).toBe(4 * 1024 * 1024);
    expect(() => hashBlockSize(1024 * 1024 - 1)).toThrow(IsoVerifyError);
    expect(() => hashBlockSize(Number.NaN)).toThrow(IsoVerifyError);
  });
});
