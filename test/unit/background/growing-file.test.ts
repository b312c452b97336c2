/**
 * Chrome: hashing a download while it is written (src/background/chromium/growing-file.ts).
 * The slices are read by the real hashing-worker handler from a fake file: URL loader that
 * honours Range like Chromium's (status 200, just those bytes), so the digests are real and are
 * compared with Node's over the whole file.
 */
import { describe, expect, it } from 'vitest';
import { Controller } from '../../../src/background/controller.js';
import { GrowingFileHashes, IN_PROGRESS_SUFFIX } from '../../../src/background/chromium/growing-file.js';
import type { RangeHasher } from '../../../src/background/chromium/growing-file.js';
import { IsoVerifyError } from '../../../src/core/errors.js';
import { wasmEngine } from '../../../src/core/hash/wasm-engine.js';
import { createHashWorkerHandler } from '../../../src/worker/hash-handler.js';
import type { WorkerResponse } from '../../../src/wire/worker-protocol.js';
import { nodeDigest, prngBytes } from '../hash/helpers.js';
import { fakeContext, item, manualTimer } from './fake-context.js';
import { verdict } from './fixtures.js';

const PATH = '/home/u/Downloads/tails-amd64-7.2.img';

/** A file on a fake disk: the path Chrome writes while downloading, then the final path. */
class FakeDisk {
  readonly files = new Map<string, Uint8Array>();
  readonly reads: { path: string; start: number; end: number }[] = [];

  /** fetch() for file: URLs, honouring one Range as Chromium's loader does (200, those bytes). */
  readonly fetch = (async (url: string, init?: RequestInit) => {
    const path = decodeURIComponent(new URL(url).pathname);
    const data = this.files.get(path);
    if (!data) throw new TypeError('Failed to fetch');
    const range = /^bytes=(\d+)-(\d+)$/.exec(new Headers(init?.headers).get('range') ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range ? Math.min(Number(range[2]) + 1, data.length) : data.length;
    this.reads.push({ path, start, end });
    return new Response(new Blob([data.slice(start, end)]).stream());
  }) as unknown as typeof fetch;

  /** The offscreen document's range hasher, as the real handler runs it. */
  readonly hashRange: RangeHasher = async (path, range, resumeFrom) => {
    const messages: WorkerResponse[] = [];
    await createHashWorkerHandler((m) => messages.push(m), wasmEngine, { fetchImpl: this.fetch }).handle({
      type: 'hash',
      id: 'r',
      url: `file://${path}`,
      range,
      algorithms: ['sha256', 'sha512'],
      ...(resumeFrom ? { resumeFrom } : {}),
    });
    const last = messages.at(-1)!;
    if (last.type === 'error') throw new IsoVerifyError(last.error.code, last.error.detail);
    if (last.type !== 'done') throw new Error(`unexpected ${last.type}`);
    return { bytes: last.result.bytes, states: last.result.states };
  };
}

const STEP = 1000;
const MARGIN = 100;

function growing(disk: FakeDisk, access = true): GrowingFileHashes {
  return new GrowingFileHashes({
    hashRange: disk.hashRange,
    fileAccess: async () => access,
    step: STEP,
    margin: MARGIN,
  });
}

function seen(bytesReceived: number, overrides: Partial<{ paused: boolean; filename: string; state: string }> = {}) {
  return { id: 1, filename: PATH, bytesReceived, state: 'in_progress', paused: false, ...overrides };
}

/** A download of `data` observed at each received count, then finished. */
async function downloadWith(g: GrowingFileHashes, disk: FakeDisk, data: Uint8Array, counts: number[]): Promise<void> {
  for (const count of [0, ...counts]) {
    disk.files.set(`${PATH}${IN_PROGRESS_SUFFIX}`, data.subarray(0, Math.min(data.length, count + 50))); // the disk may be ahead of the count
    g.observe(seen(count));
    await g.whenIdle(1);
  }
  disk.files.delete(`${PATH}${IN_PROGRESS_SUFFIX}`);
  disk.files.set(PATH, data);
}

describe('GrowingFileHashes', () => {
  it("reads the in-progress file in slices below the received count, and the finished file only from there: the digests are the whole file's", async () => {
    const data = prngBytes(5000, 3);
    const disk = new FakeDisk();
    const g = growing(disk);
    await downloadWith(g, disk, data, [800, 1500, 2600, 3900, 4990]);
    const ahead = await g.take(1, data.length);
    expect(ahead?.bytes).toBe(4890);
    expect(disk.reads.every((r) => r.path === `${PATH}${IN_PROGRESS_SUFFIX}`)).toBe(true);
    // Each read ends `margin` below the count, once at least `step` new bytes are there (none at 800).
    expect(disk.reads.map((r) => [r.start, r.end])).toEqual([
      [0, 1400],
      [1400, 2500],
      [2500, 3800],
      [3800, 4890],
    ]);
    const result = await g.finish(PATH, ahead!, data.length, {
      engine: wasmEngine,
      signal: new AbortController().signal,
      onProgress: () => undefined,
    });
    expect(disk.reads.at(-1)).toEqual({ path: PATH, start: 4890, end: 5000 });
    expect(result.bytes).toBe(5000);
    expect(result.digests).toEqual({ sha256: nodeDigest('sha256', data), sha512: nodeDigest('sha512', data) });
    expect(g.size).toBe(0);
  });

  it('anything that may rewrite the file ends the head start for good: interrupted, paused, fewer bytes, another name, a failed read', async () => {
    const data = prngBytes(6000, 4);
    const cases: [string, (g: GrowingFileHashes, disk: FakeDisk) => Promise<void>][] = [
      ['interrupted', async (g) => g.spoil(1, 'interrupted')],
      ['paused', async (g) => g.observe(seen(3000, { paused: true }))],
      ['fewer bytes', async (g) => g.observe(seen(1000))],
      ['renamed', async (g) => g.observe(seen(3000, { filename: '/elsewhere/x.img' }))],
      [
        'short read',
        async (g, disk) => {
          disk.files.set(`${PATH}${IN_PROGRESS_SUFFIX}`, data.subarray(0, 2000)); // truncated under us
          g.observe(seen(4000));
        },
      ],
    ];
    for (const [name, stop] of cases) {
      const disk = new FakeDisk();
      const g = growing(disk);
      await downloadWith(g, disk, data, [1500, 2600]);
      await stop(g, disk);
      await g.whenIdle(1);
      g.observe(seen(5990)); // later progress never revives it
      await g.whenIdle(1);
      expect(await g.take(1, data.length), name).toBeUndefined();
    }
  });

  it('no reads without file access; a read still running at completion is waited for', async () => {
    const disk = new FakeDisk();
    const none = growing(disk, false);
    await downloadWith(none, disk, prngBytes(4000, 5), [1500, 3000]);
    expect(disk.reads).toEqual([]);
    expect(await none.take(1, 4000)).toBeUndefined();

    const data = prngBytes(4000, 6);
    const slow = new FakeDisk();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const g = new GrowingFileHashes({
      hashRange: async (...args) => (await gate, slow.hashRange(...args)),
      fileAccess: async () => true,
      step: STEP,
      margin: MARGIN,
    });
    slow.files.set(`${PATH}${IN_PROGRESS_SUFFIX}`, data);
    g.observe(seen(0));
    await g.whenIdle(1);
    g.observe(seen(3000));
    const taken = g.take(1, data.length);
    release();
    expect((await taken)?.bytes).toBe(2900);
  });

  it('a checkpoint beyond the finished size, or no size, is not used', async () => {
    const data = prngBytes(4000, 7);
    const disk = new FakeDisk();
    const g = growing(disk);
    await downloadWith(g, disk, data, [1500, 3500]);
    expect(await g.take(1, 1000)).toBeUndefined();
  });
});

describe('Completion with a head start (Chrome)', () => {
  function setupWith(verdicts: string[]) {
    const data = prngBytes(5000, 8);
    const disk = new FakeDisk();
    const g = growing(disk);
    const kinds = [...verdicts];
    const setup = fakeContext({ verdictOf: () => verdict((kinds.shift() ?? 'verified') as never) });
    setup.ctx.growing = g;
    setup.ctx.engine = wasmEngine;
    return { data, disk, g, setup, controller: new Controller(setup.ctx, { timer: manualTimer }) };
  }

  async function run(s: ReturnType<typeof setupWith>) {
    const { data, disk, g, setup, controller } = s;
    setup.browser.items.set(1, item({ totalBytes: data.length }));
    await controller.tracking.onCreated(item({ totalBytes: data.length }));
    for (const count of [1500, 3000, 4500]) {
      disk.files.set(`${PATH}${IN_PROGRESS_SUFFIX}`, data.subarray(0, count));
      setup.browser.items.set(1, item({ bytesReceived: count, totalBytes: data.length }));
      await controller.tracking.poll();
      await g.whenIdle(1);
    }
    disk.files.delete(`${PATH}${IN_PROGRESS_SUFFIX}`);
    disk.files.set(PATH, data);
    setup.browser.items.set(
      1,
      item({ state: 'complete', bytesReceived: data.length, fileSize: data.length, totalBytes: data.length }),
    );
    await controller.tracking.onChanged({ id: 1, state: { current: 'complete' } });
    return setup.ctx.downloads.get('dl-1');
  }

  it('verified: only the tail of the finished file is read, and the record says how much was hashed ahead', async () => {
    const s = setupWith(['verified']);
    const done = await run(s);
    expect(done).toMatchObject({ phase: 'done', verdict: { kind: 'verified' }, hashedAhead: 4400 });
    expect(s.setup.hashed).toEqual([]); // no full read
    expect(s.disk.reads.filter((r) => r.path === PATH)).toEqual([{ path: PATH, start: 4400, end: 5000 }]);
  });

  it('anything but verified is decided again from a full read of the finished file: a head start never turns a file red', async () => {
    const s = setupWith(['mismatch', 'verified']);
    const done = await run(s);
    expect(s.setup.verified).toHaveLength(2);
    expect(s.setup.hashed).toEqual([PATH]);
    expect(done).toMatchObject({ phase: 'done', verdict: { kind: 'verified' } });
    expect(done).not.toHaveProperty('hashedAhead');
  });

  it('an interruption during the download: the finished file is read in full', async () => {
    const s = setupWith(['verified']);
    const { data, disk, g, setup, controller } = s;
    setup.browser.items.set(1, item({ totalBytes: data.length }));
    await controller.tracking.onCreated(item({ totalBytes: data.length }));
    disk.files.set(`${PATH}${IN_PROGRESS_SUFFIX}`, data.subarray(0, 3000));
    setup.browser.items.set(1, item({ bytesReceived: 3000, totalBytes: data.length }));
    await controller.tracking.poll();
    await g.whenIdle(1);
    await controller.tracking.poll();
    await g.whenIdle(1);
    await controller.tracking.onChanged({ id: 1, state: { current: 'interrupted' } });
    await controller.tracking.onChanged({ id: 1, state: { current: 'in_progress' } });
    disk.files.set(PATH, data);
    setup.browser.items.set(
      1,
      item({ state: 'complete', bytesReceived: data.length, fileSize: data.length, totalBytes: data.length }),
    );
    await controller.tracking.onChanged({ id: 1, state: { current: 'complete' } });
    expect(setup.hashed).toEqual([PATH]);
    expect(await setup.ctx.downloads.get('dl-1')).not.toHaveProperty('hashedAhead');
  });
});
