/** Streaming-hash continuations from the product's hash-wasm engine, for verifyDetachedFromHash. */
import { createReadStream } from 'node:fs';
import { hashStream } from '../../../src/core/hash/index.js';
import type { HashResult } from '../../../src/core/hash/types.js';

export async function continuationsOfBytes(data: Uint8Array): Promise<HashResult['continuations']> {
  async function* once(): AsyncGenerator<Uint8Array> {
    yield data;
  }
  return (await hashStream(once(), { algorithms: ['sha256', 'sha512'] })).continuations;
}

export async function hashFile(file: string): Promise<HashResult> {
  const stream = createReadStream(file, { highWaterMark: 4 * 1024 * 1024 });
  return hashStream(stream as AsyncIterable<Uint8Array>, { algorithms: ['sha256', 'sha512'] });
}
