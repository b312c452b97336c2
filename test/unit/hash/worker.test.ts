import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/bytes.js';
import { IsoVerifyError } from '../../../src/core/errors.js';
import type { HashProgress } from '../../../src/core/hash/types.js';
import { hashFileInWorker, type WorkerLike } from '../../../src/worker/client.js';
import { createHashWorkerHandler } from '../../../src/worker/hash-handler.js';
import type { WorkerRequest, WorkerResponse } from '../../../src/wire/worker-protocol.js';
import { nodeDigest, prngBytes } from './helpers.js';

const MIB = 1024 * 1024;

function collectingHandler() {
  const messages: WorkerResponse[] = [];
  const handler = createHashWorkerHandler((m) => messages.push(structuredClone(m)));
  return { messages, handler };
}

describe('hash worker handler', () => {
  it('hashes a Blob, reports progress, returns digests and restorable states', async () => {
    const data = prngBytes(5 * MIB + 3, 12);
    const { messages, handler } = collectingHandler();
    await handler.handle({ type: 'hash', id: 'a', file: new Blob([data]), algorithms: ['sha256', 'sha512'] });
    const done = messages.at(-1)!;
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    expect(done.id).toBe('a');
    expect(done.result.bytes).toBe(data.length);
    expect(done.result.digests).toEqual({ sha256: nodeDigest('sha256', data), sha512: nodeDigest('sha512', data) });
    const progress = messages.filter((m) => m.type === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const last = progress.at(-1)!;
    if (last.type === 'progress') expect(last.progress).toMatchObject({ bytes: data.length, total: data.length });
    expect(Object.keys(done.result.states).sort()).toEqual(['sha256', 'sha512']);
  });

  it('answers bad requests with typed errors', async () => {
    const { messages, handler } = collectingHandler();
    await handler.handle({ type: 'hash', id: 'b', file: 'not a blob', algorithms: ['sha256'] });
    await handler.handle({ type: 'hash', id: 'c', file: new Blob([]), algorithms: ['md5'] });
    await handler.handle({ type: 'explode', id: 'd' });
    await handler.handle({ type: 'hash' }); // no id: nothing to answer
    await handler.handle(null);
    expect(messages).toEqual([
      { type: 'error', id: 'b', error: { code: 'input-wrong-type', detail: expect.any(String) } },
      { type: 'error', id: 'c', error: { code: 'input-invalid-value', detail: expect.any(String) } },
      { type: 'error', id: 'd', error: { code: 'input-invalid-value', detail: expect.any(String) } },
    ]);
  });

  it('cancel aborts a running hash', async () => {
    const { messages, handler } = collectingHandler();
    const big = new Blob([prngBytes(64 * MIB, 1)]);
    const running = handler.handle({ type: 'hash', id: 'x', file: big, algorithms: ['sha256'] });
    await new Promise((r) => setTimeout(r, 5));
    await handler.handle({ type: 'cancel', id: 'x' });
    await running;
    const last = messages.at(-1)!;
    expect(last).toMatchObject({ type: 'error', id: 'x', error: { code: 'aborted' } });
  });
});

/** A fake Worker running the real handler in this thread, with structured-clone semantics. */
function inProcessWorker(): WorkerLike & { terminated: boolean } {
  const fake = {
    onmessage: null as ((event: MessageEvent) => void) | null,
    onerror: null as ((event: ErrorEvent) => void) | null,
    terminated: false,
    postMessage(message: WorkerRequest) {
      if (fake.terminated) return;
      void handler.handle(message);
    },
    terminate() {
      fake.terminated = true;
    },
  };
  const handler = createHashWorkerHandler((m) => {
    const data = structuredClone(m);
    queueMicrotask(() => {
      if (!fake.terminated) fake.onmessage?.({ data } as MessageEvent);
    });
  });
  return fake;
}

describe('hashFileInWorker', () => {
  it('returns digests and working continuations', async () => {
    const data = prngBytes(3 * MIB + 99, 4);
    const suffix = new TextEncoder().encode('trailer');
    const worker = inProcessWorker();
    const progress: HashProgress[] = [];
    const result = await hashFileInWorker(new Blob([data]), {
      algorithms: ['sha256', 'sha512'],
      onProgress: (p) => progress.push(p),
      createWorker: () => worker,
    });
    expect(worker.terminated).toBe(true);
    expect(result.bytes).toBe(data.length);
    expect(result.digests.sha256).toBe(nodeDigest('sha256', data));
    for (const algorithm of ['sha256', 'sha512'] as const) {
      const c = result.continuations[algorithm]!;
      c.update(suffix);
      expect(toHex(c.digest())).toBe(nodeDigest(algorithm, data, suffix));
    }
    expect(progress.at(-1)?.bytes).toBe(data.length);
  });

  it("rejects with the worker's typed error", async () => {
    const error = await hashFileInWorker(new Blob([]), { algorithms: [], createWorker: inProcessWorker }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(IsoVerifyError);
    expect((error as IsoVerifyError).code).toBe('input-invalid-value');
  });

  it('abort terminates the worker and rejects with aborted', async () => {
    const worker = inProcessWorker();
    const controller = new AbortController();
    const pending = hashFileInWorker(new Blob([prngBytes(32 * MIB, 2)]), {
      algorithms: ['sha256'],
      signal: controller.signal,
      createWorker: () => worker,
    });
    controller.abort();
    const error = await pending.catch((e) => e);
    expect((error as IsoVerifyError).code).toBe('aborted');
    expect(worker.terminated).toBe(true);
  });
});
