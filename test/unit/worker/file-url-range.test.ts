/**
 * Reading a range of a file: URL (Chrome: the download being written, the tail of a finished
 * one). Chromium's loader answers a Range with status 200 and just those bytes; a file shorter
 * than the range gives fewer. Exactly the asked-for bytes must arrive, or the read fails.
 */
import { describe, expect, it } from 'vitest';
import { openFileUrl } from '../../../src/worker/file-url-reader.js';
import { createHashWorkerHandler } from '../../../src/worker/hash-handler.js';
import type { WorkerResponse } from '../../../src/wire/worker-protocol.js';
import { IncrementalHash } from '../../../src/core/hash/incremental-hash.js';
import { wasmEngine } from '../../../src/core/hash/wasm-engine.js';
import { nodeDigest, prngBytes } from '../hash/helpers.js';

async function readAll(stream: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) n += chunk.byteLength;
  return n;
}

function loader(data: Uint8Array<ArrayBuffer>, honourRange = true) {
  const ranges: (string | null)[] = [];
  const fetchImpl = (async (_url: string, init?: RequestInit) => {
    const range = new Headers(init?.headers).get('range');
    ranges.push(range);
    const m = /^bytes=(\d+)-(\d+)$/.exec(range ?? '');
    const body = m && honourRange ? data.slice(Number(m[1]), Math.min(Number(m[2]) + 1, data.length)) : data;
    return new Response(new Blob([body]).stream());
  }) as unknown as typeof fetch;
  return { fetchImpl, ranges };
}

describe('openFileUrl with a range', () => {
  it('asks for the bytes with a Range header and passes exactly them', async () => {
    const { fetchImpl, ranges } = loader(prngBytes(1000, 1));
    expect(await readAll(await openFileUrl('file:///a', { fetchImpl, range: { start: 100, end: 600 } }))).toBe(500);
    expect(ranges).toEqual(['bytes=100-599']);
  });

  it('fails on a short read (the file is shorter than the range) and on a loader that ignored the range', async () => {
    const short = loader(prngBytes(300, 2));
    await expect(
      readAll(await openFileUrl('file:///a', { fetchImpl: short.fetchImpl, range: { start: 100, end: 600 } })),
    ).rejects.toMatchObject({ code: 'io-failed' });
    const ignoring = loader(prngBytes(1000, 3), false);
    await expect(
      readAll(await openFileUrl('file:///a', { fetchImpl: ignoring.fetchImpl, range: { start: 100, end: 600 } })),
    ).rejects.toMatchObject({ code: 'io-failed' });
  });

  it('refuses an empty or negative range before reading', async () => {
    const { fetchImpl, ranges } = loader(prngBytes(10, 4));
    for (const range of [
      { start: 5, end: 5 },
      { start: -1, end: 3 },
      { start: 0, end: Number.NaN },
    ]) {
      await expect(openFileUrl('file:///a', { fetchImpl, range })).rejects.toMatchObject({
        code: 'input-invalid-value',
      });
    }
    expect(ranges).toEqual([]);
  });
});

describe('hash worker: a range continued from saved states', () => {
  it('gives the digests of the whole file', async () => {
    const data = prngBytes(3 * 1024 * 1024 + 5, 5);
    const split = 1024 * 1024 + 3;
    const head = await IncrementalHash.create(['sha256', 'sha512'], wasmEngine);
    head.update(data.subarray(0, split));
    const { states } = head.checkpoint();
    const { fetchImpl } = loader(data);
    const messages: WorkerResponse[] = [];
    await createHashWorkerHandler((m) => messages.push(m), wasmEngine, { fetchImpl }).handle({
      type: 'hash',
      id: 't',
      url: 'file:///t.img',
      algorithms: ['sha256', 'sha512'],
      range: { start: split, end: data.length },
      resumeFrom: { offset: split, states },
    });
    expect(messages.at(-1)).toMatchObject({
      type: 'done',
      result: {
        bytes: data.length,
        digests: { sha256: nodeDigest('sha256', data), sha512: nodeDigest('sha512', data) },
      },
    });
  });

  it('refuses states that do not end where the range starts, and a later range without states', async () => {
    const { fetchImpl, ranges } = loader(prngBytes(100, 6));
    const messages: WorkerResponse[] = [];
    const handler = createHashWorkerHandler((m) => messages.push(m), wasmEngine, { fetchImpl });
    await handler.handle({
      type: 'hash',
      id: 'a',
      url: 'file:///t.img',
      algorithms: ['sha256'],
      range: { start: 10, end: 20 },
    });
    expect(messages.at(-1)).toMatchObject({ type: 'error', id: 'a', error: { code: 'input-invalid-value' } });
    await handler.handle({
      type: 'hash',
      id: 'b',
      url: 'file:///t.img',
      algorithms: ['sha256'],
      range: { start: 10, end: 20 },
      resumeFrom: { offset: 5, states: {} },
    });
    expect(messages.at(-1)).toMatchObject({ type: 'error', id: 'b', error: { code: 'input-invalid-value' } });
    expect(ranges).toEqual([]);
  });
});
