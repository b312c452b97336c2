import { describe, expect, it } from 'vitest';
import { createHashWorkerHandler } from '../../../src/worker/hash-handler.js';
import type { WorkerResponse } from '../../../src/wire/worker-protocol.js';
import { nodeDigest, prngBytes } from '../hash/helpers.js';

const MIB = 1024 * 1024;

/** A File-like Blob whose stream() is unusable: the worker must read it through slices. */
class SliceOnlyBlob extends Blob {
  slices = 0;
  override slice(start?: number, end?: number, type?: string): Blob {
    this.slices++;
    return super.slice(start, end, type);
  }
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    throw new Error('stream() used');
  }
}

describe('hash worker handler reading', () => {
  it('reads the file in 16 MiB slices rather than File.stream()', async () => {
    const data = prngBytes(33 * MIB, 9);
    const file = new SliceOnlyBlob([data]);
    const messages: WorkerResponse[] = [];
    await createHashWorkerHandler((m) => messages.push(m)).handle({
      type: 'hash',
      id: 'a',
      file,
      algorithms: ['sha256'],
    });
    const done = messages.at(-1)!;
    expect(done).toMatchObject({
      type: 'done',
      result: { bytes: data.length, digests: { sha256: nodeDigest('sha256', data) } },
    });
    expect(file.slices).toBe(3); // 16 + 16 + 1 MiB
  });

  it('cancel stops reading further slices', async () => {
    const file = new SliceOnlyBlob([prngBytes(160 * MIB, 10)]);
    const messages: WorkerResponse[] = [];
    const handler = createHashWorkerHandler((m) => messages.push(m));
    const running = handler.handle({ type: 'hash', id: 'c', file, algorithms: ['sha256', 'sha512'] });
    await new Promise((r) => setTimeout(r, 5));
    await handler.handle({ type: 'cancel', id: 'c' });
    await running;
    expect(messages.at(-1)).toMatchObject({ type: 'error', id: 'c', error: { code: 'aborted' } });
    expect(file.slices).toBeLessThan(10);
  });
});

describe('hash worker handler, a local file by its file: URL (Chrome offscreen document)', () => {
  it('reads the body the URL fetches and nothing but file: URLs', async () => {
    const data = prngBytes(3 * MIB + 7, 12);
    const fetched: string[] = [];
    const fetchImpl = (async (url: string) => {
      fetched.push(url);
      return new Response(new Blob([data]).stream());
    }) as unknown as typeof fetch;
    const messages: WorkerResponse[] = [];
    const handler = createHashWorkerHandler((m) => messages.push(m), undefined, { fetchImpl });
    await handler.handle({
      type: 'hash',
      id: 'u',
      url: 'file:///home/u/tails.img',
      algorithms: ['sha512'],
      total: data.length,
    });
    expect(messages.at(-1)).toMatchObject({
      type: 'done',
      id: 'u',
      result: { bytes: data.length, digests: { sha512: nodeDigest('sha512', data) } },
    });
    expect(messages.find((m) => m.type === 'progress')).toMatchObject({ progress: { total: data.length } });
    for (const url of ['https://mirror.example/tails.img', 'blob:https://x/1', 42]) {
      await handler.handle({ type: 'hash', id: 'n', url, algorithms: ['sha256'] });
      expect(messages.at(-1)).toMatchObject({ type: 'error', id: 'n', error: { code: 'input-wrong-type' } });
    }
    expect(fetched).toEqual(['file:///home/u/tails.img']);
  });

  it('a file that cannot be read is io-failed', async () => {
    const fetchImpl = (async () => new Response(null, { status: 404 })) as unknown as typeof fetch;
    const messages: WorkerResponse[] = [];
    await createHashWorkerHandler((m) => messages.push(m), undefined, { fetchImpl }).handle({
      type: 'hash',
      id: 'g',
      url: 'file:///gone.img',
      algorithms: ['sha256'],
    });
    expect(messages.at(-1)).toMatchObject({ type: 'error', id: 'g', error: { code: 'io-failed' } });
  });
});
