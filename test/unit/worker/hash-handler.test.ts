import { describe, expect, it } from 'vitest';
import { createHashWorkerHandler } from '../../../src/worker/hash-handler.js';
import type { WorkerResponse } from '../../../src/worker/protocol.js';
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
    await createHashWorkerHandler((m) => messages.push(m)).handle({ type: 'hash', id: 'a', file, algorithms: ['sha256'] });
    const done = messages.at(-1)!;
    expect(done).toMatchObject({ type: 'done', result: { bytes: data.length, digests: { sha256: nodeDigest('sha256', data) } } });
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
