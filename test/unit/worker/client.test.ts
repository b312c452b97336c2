import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/bytes.js';
import { IsoVerifyError } from '../../../src/core/errors.js';
import type { HashProgress } from '../../../src/core/hash/types.js';
import { hashFileInWorker, workerGroups, workerPlan, type WorkerLike } from '../../../src/worker/client.js';
import { createHashWorkerHandler } from '../../../src/worker/hash-handler.js';
import { RELAY_AHEAD, type WorkerRequest, type WorkerResponse } from '../../../src/wire/worker-protocol.js';
import { nodeDigest, prngBytes } from '../hash/helpers.js';

const MIB = 1024 * 1024;

interface FakeWorker extends WorkerLike {
  terminated: boolean;
  received: WorkerRequest[];
  /** What the browser does when it kills a worker (out of memory, crash): an error event. */
  kill(message: string): void;
}

/**
 * Fake Workers running the real handler in this thread, with structured-clone semantics.
 * `rewrite` may change a reply before it is delivered (to simulate a misbehaving worker).
 */
function workerFactory(rewrite?: (m: WorkerResponse, index: number) => WorkerResponse | undefined) {
  const workers: FakeWorker[] = [];
  const create = (): WorkerLike => {
    const index = workers.length;
    const fake: FakeWorker = {
      onmessage: null,
      onerror: null,
      terminated: false,
      received: [],
      postMessage(message: WorkerRequest) {
        fake.received.push(message);
        if (fake.terminated) return;
        void handler.handle(message);
      },
      terminate() {
        fake.terminated = true;
      },
      kill(message: string) {
        fake.onerror?.({ message } as ErrorEvent);
      },
    };
    const handler = createHashWorkerHandler((m) => {
      const data = rewrite ? rewrite(structuredClone(m), index) : structuredClone(m);
      if (!data) return;
      setTimeout(() => {
        if (!fake.terminated) fake.onmessage?.({ data } as MessageEvent);
      }, 0);
    });
    workers.push(fake);
    return fake;
  };
  return { workers, create };
}

describe('workerGroups', () => {
  it('gives each algorithm its own worker when there are two cores, else one pass in one worker', () => {
    expect(workerGroups(['sha256', 'sha512'], 'auto', 2)).toEqual([['sha512'], ['sha256']]); // a relay, SHA-512 leading
    expect(workerGroups(['sha256', 'sha512'], 'auto', 1)).toEqual([['sha256', 'sha512']]);
    expect(workerGroups(['sha256', 'sha512'], 'one', 8)).toEqual([['sha256', 'sha512']]);
    expect(workerGroups(['sha256', 'sha512', 'sha256'], 'per-algorithm', 1)).toEqual([['sha256'], ['sha512']]);
    expect(workerGroups(['sha256'], 'auto', 4)).toEqual([['sha256']]);
  });

  it('rejects an empty or unknown algorithm list', () => {
    expect(() => workerGroups([], 'auto', 2)).toThrow(IsoVerifyError);
    expect(() => workerGroups(['md5' as 'sha256'], 'auto', 2)).toThrow(IsoVerifyError);
  });
});

describe('hashFileInWorker with one worker per algorithm', () => {
  it('hashes in two workers and returns both digests, working continuations and combined progress', async () => {
    const data = prngBytes(6 * MIB + 5, 21);
    const suffix = new TextEncoder().encode('trailer');
    const { workers, create } = workerFactory();
    const progress: HashProgress[] = [];
    const result = await hashFileInWorker(new Blob([data]), {
      algorithms: ['sha256', 'sha512'],
      cores: 2,
      createWorker: create,
      onProgress: (p) => progress.push(p),
    });
    expect(workers).toHaveLength(2);
    expect(workers.map((w) => (w.received[0] as Extract<WorkerRequest, { type: 'hash' }>).algorithms)).toEqual([
      ['sha512'],
      ['sha256'],
    ]);
    expect(workers.every((w) => w.terminated)).toBe(true);
    expect(result.bytes).toBe(data.length);
    expect(result.digests).toEqual({ sha256: nodeDigest('sha256', data), sha512: nodeDigest('sha512', data) });
    for (const algorithm of ['sha256', 'sha512'] as const) {
      const c = result.continuations[algorithm]!;
      c.update(suffix);
      expect(toHex(c.digest())).toBe(nodeDigest(algorithm, data, suffix));
    }
    // Progress never goes backwards, has the total for the ETA, and ends at the whole file.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.bytes).toBeGreaterThanOrEqual(progress[i - 1]!.bytes);
    expect(progress.every((p) => p.total === data.length)).toBe(true);
    expect(progress.at(-1)!.bytes).toBe(data.length);
  });

  it("reports the slower worker's bytes, the lower rate and the longer ETA", async () => {
    // Worker 1 claims to be behind; the combined report must follow it.
    const { create } = workerFactory((m, index) =>
      m.type === 'progress' && index === 1
        ? { ...m, progress: { ...m.progress, bytes: 0, rate: 1, etaSeconds: 999 } }
        : m,
    );
    const progress: HashProgress[] = [];
    await hashFileInWorker(new Blob([prngBytes(2 * MIB, 1)]), {
      algorithms: ['sha256', 'sha512'],
      cores: 2,
      createWorker: create,
      onProgress: (p) => progress.push(p),
    });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.bytes === 0 && p.rate <= 1)).toBe(true);
    // Once both workers have an ETA, the longer one is reported; before, none is.
    expect(progress.every((p) => p.etaSeconds === undefined || p.etaSeconds === 999)).toBe(true);
    expect(progress.at(-1)!.etaSeconds).toBe(999);
  });

  it('a killed worker rejects the hash and stops the other one', async () => {
    const { workers, create } = workerFactory();
    const pending = hashFileInWorker(new Blob([prngBytes(32 * MIB, 2)]), {
      algorithms: ['sha256', 'sha512'],
      cores: 2,
      createWorker: create,
    });
    workers[1]!.kill('out of memory');
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IsoVerifyError);
    expect((error as IsoVerifyError).code).toBe('internal');
    expect((error as IsoVerifyError).message).toMatch(/out of memory/);
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('a typed error from one worker rejects with its code and stops the other one', async () => {
    const { workers, create } = workerFactory((m, index) =>
      index === 0 && m.type === 'done'
        ? { type: 'error', id: m.id, error: { code: 'io-failed', detail: 'file vanished' } }
        : m,
    );
    const error = await hashFileInWorker(new Blob([prngBytes(MIB, 3)]), {
      algorithms: ['sha256', 'sha512'],
      cores: 2,
      createWorker: create,
    }).catch((e: unknown) => e);
    expect((error as IsoVerifyError).code).toBe('io-failed');
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('cancel sends cancel to every worker, terminates them all and rejects with aborted', async () => {
    const { workers, create } = workerFactory();
    const controller = new AbortController();
    const progress: HashProgress[] = [];
    const pending = hashFileInWorker(new Blob([prngBytes(64 * MIB, 4)]), {
      algorithms: ['sha256', 'sha512'],
      cores: 2,
      createWorker: create,
      signal: controller.signal,
      onProgress: (p) => progress.push(p),
    });
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect((error as IsoVerifyError).code).toBe('aborted');
    expect(workers.every((w) => w.terminated)).toBe(true);
    expect(workers.every((w) => w.received.some((m) => m.type === 'cancel'))).toBe(true);
    const reported = progress.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(progress.length).toBe(reported); // nothing after the cancel
  });

  it('fails closed when the workers hashed different lengths', async () => {
    const { create } = workerFactory((m, index) =>
      index === 1 && m.type === 'done' ? { ...m, result: { ...m.result, bytes: m.result.bytes - 1 } } : m,
    );
    const error = await hashFileInWorker(new Blob([prngBytes(MIB, 5)]), {
      algorithms: ['sha256', 'sha512'],
      cores: 2,
      createWorker: create,
    }).catch((e: unknown) => e);
    expect((error as IsoVerifyError).code).toBe('io-failed');
  });

  it('stops the workers already started when another cannot start', async () => {
    const { workers, create } = workerFactory();
    let calls = 0;
    const error = await hashFileInWorker(new Blob([new Uint8Array(10)]), {
      algorithms: ['sha256', 'sha512'],
      cores: 2,
      createWorker: () => {
        if (++calls === 2) throw new Error('too many workers');
        return create();
      },
    }).catch((e: unknown) => e);
    expect((error as IsoVerifyError).code).toBe('internal');
    expect(workers).toHaveLength(1);
    expect(workers[0]!.terminated).toBe(true);
  });

  it('uses one worker for both algorithms on a single core', async () => {
    const data = prngBytes(MIB + 1, 6);
    const { workers, create } = workerFactory();
    const result = await hashFileInWorker(new Blob([data]), {
      algorithms: ['sha256', 'sha512'],
      cores: 1,
      createWorker: create,
    });
    expect(workers).toHaveLength(1);
    expect(result.digests).toEqual({ sha256: nodeDigest('sha256', data), sha512: nodeDigest('sha512', data) });
  });
});

/** A Blob that counts the slices read from it (each worker read = slices). */
class CountingBlob extends Blob {
  slices = 0;
  override slice(start?: number, end?: number, type?: string): Blob {
    this.slices++;
    return super.slice(start, end, type);
  }
}

describe('hashFileInWorker relay (two algorithms, the file read once)', () => {
  it('is the default on two cores: only the SHA-512 worker reads, the SHA-256 worker hashes what it hands on', async () => {
    const data = prngBytes(40 * MIB + 3, 41);
    const file = new CountingBlob([data]);
    const { workers, create } = workerFactory();
    // The page's side of the relay, seen from the workers: chunks in flight never exceed RELAY_AHEAD.
    let inFlight = 0;
    let maxInFlight = 0;
    const observed = () => {
      const w = create() as FakeWorker;
      const post = w.postMessage.bind(w);
      w.postMessage = (m: WorkerRequest) => {
        if (m.type === 'relay-chunk') maxInFlight = Math.max(maxInFlight, ++inFlight);
        if (m.type === 'relay-ack') inFlight--;
        post(m);
      };
      return w;
    };
    const result = await hashFileInWorker(file, { algorithms: ['sha256', 'sha512'], cores: 2, createWorker: observed });
    expect(result.digests).toEqual({ sha256: nodeDigest('sha256', data), sha512: nodeDigest('sha512', data) });
    expect(result.bytes).toBe(data.length);
    expect(file.slices).toBe(3); // 16 + 16 + 8 MiB, once
    expect(workers[0]!.received[0]).toMatchObject({ type: 'hash', algorithms: ['sha512'], relay: true });
    expect(workers[1]!.received[0]).toMatchObject({ type: 'hash-relayed', algorithms: ['sha256'], total: data.length });
    expect(workers[1]!.received.filter((m) => m.type === 'relay-chunk')).toHaveLength(3);
    expect(maxInFlight).toBeGreaterThan(0);
    expect(maxInFlight).toBeLessThanOrEqual(RELAY_AHEAD);
  });

  it('an empty file gives the empty digests', async () => {
    const { create } = workerFactory();
    const result = await hashFileInWorker(new Blob([]), {
      algorithms: ['sha256', 'sha512'],
      cores: 2,
      createWorker: create,
    });
    expect(result.bytes).toBe(0);
    expect(result.digests).toEqual({
      sha256: nodeDigest('sha256', new Uint8Array()),
      sha512: nodeDigest('sha512', new Uint8Array()),
    });
  });

  it('"per-algorithm" still lets each worker read the file', async () => {
    const data = prngBytes(20 * MIB, 42);
    const file = new CountingBlob([data]);
    const { create } = workerFactory();
    const result = await hashFileInWorker(file, {
      algorithms: ['sha256', 'sha512'],
      workers: 'per-algorithm',
      cores: 2,
      createWorker: create,
    });
    expect(result.digests.sha512).toBe(nodeDigest('sha512', data));
    expect(file.slices).toBe(4); // 2 slices per worker
  });

  it('a follower that dies mid-relay fails the hash and stops the lead', async () => {
    const { workers, create } = workerFactory();
    const pending = hashFileInWorker(new Blob([prngBytes(64 * MIB, 43)]), {
      algorithms: ['sha256', 'sha512'],
      cores: 2,
      createWorker: create,
    });
    await new Promise((r) => setTimeout(r, 10));
    workers[1]!.kill('crashed');
    await expect(pending).rejects.toMatchObject({ code: 'internal' });
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('a relay needs exactly two algorithms', async () => {
    expect(() => workerPlan(['sha256'], 'relay', 2)).toThrow(IsoVerifyError);
    expect(workerPlan(['sha256', 'sha512'], 'auto', 2)).toEqual({ groups: [['sha512'], ['sha256']], relay: true });
    expect(workerPlan(['sha256', 'sha512'], 'auto', 1)).toEqual({ groups: [['sha256', 'sha512']], relay: false });
  });

  it('a worker refuses a relayed chunk that is not an ArrayBuffer', async () => {
    const messages: WorkerResponse[] = [];
    const handler = createHashWorkerHandler((m) => messages.push(m));
    const running = handler.handle({ type: 'hash-relayed', id: 'f', algorithms: ['sha512'] });
    await handler.handle({ type: 'relay-chunk', id: 'f', buffer: 'not bytes' });
    await running;
    expect(messages.at(-1)).toMatchObject({ type: 'error', id: 'f', error: { code: 'input-wrong-type' } });
  });
});
