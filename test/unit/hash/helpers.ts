import { createHash } from 'node:crypto';

/** Deterministic pseudo-random bytes (xorshift32), so a failing size/split can be reproduced. */
export function prngBytes(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  const words = new Uint32Array(out.buffer, 0, Math.floor(length / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

/** A small seeded integer generator for choosing sizes and split points. */
export function prng(seed: number): (maxExclusive: number) => number {
  let x = seed >>> 0 || 1;
  return (maxExclusive) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % maxExclusive;
  };
}

export function nodeDigest(algorithm: 'sha256' | 'sha512', ...parts: Uint8Array[]): string {
  const h = createHash(algorithm);
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

export function splitEvery(data: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

/** Random split points; some chunks empty, some large. */
export function splitRandomly(data: Uint8Array, seed: number, maxChunk: number): Uint8Array[] {
  const next = prng(seed);
  const out: Uint8Array[] = [];
  let pos = 0;
  while (pos < data.length) {
    const size = next(10) === 0 ? 0 : 1 + next(maxChunk);
    out.push(data.subarray(pos, pos + size));
    pos += size;
  }
  return out;
}

export async function* fromChunks(chunks: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
}

export function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
  });
}
