/**
 * The Firefox StreamFilter path against a simulated webRequest: only the request of a download
 * we started gets a filter; bytes pass through unchanged, the hash equals the file's and is
 * bound to that download; checkpoints allow a 206 resume of the same download at exactly that offset.
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { prngBytes } from '../hash/helpers.js';
import { concatBytes } from '../../../src/core/bytes.js';
import { MemoryStorage } from './memory-storage.js';
import type { StreamBrowser } from '../../../src/background/firefox/firefox-stream.js';

interface FakeFilter {
  ondata?: (e: { data: ArrayBuffer }) => void;
  onstop?: () => void;
  onerror?: () => void;
  error: string;
  written: Uint8Array[];
  closed: boolean;
  disconnected: boolean;
  write(data: Uint8Array | ArrayBuffer): void;
  close(): void;
  disconnect(): void;
  /** Gecko's StreamFilterChild: while suspended, arriving data is kept and delivered from within resume(). */
  suspend(): void;
  resume(): void;
  suspended: boolean;
  suspends: number;
  buffered: Uint8Array[];
  stopWaiting: boolean;
  /** Bytes delivered to ondata. */
  delivered: number;
}

/** Data arriving from the network (StreamFilterChild::RecvData): kept while suspended. */
function arrive(filter: FakeFilter, chunk: Uint8Array): void {
  if (filter.suspended) filter.buffered.push(chunk);
  else {
    filter.delivered += chunk.length;
    filter.ondata!({ data: chunk.slice().buffer });
  }
}

/** The response ended (RecvStopRequest): "stop" fires once no kept data is left. */
function arriveStop(filter: FakeFilter): void {
  if (filter.buffered.length > 0) filter.stopWaiting = true;
  else filter.onstop!();
}

const fake = {
  requestListener: undefined as undefined | ((details: unknown) => unknown),
  headersListener: undefined as undefined | ((details: unknown) => void),
  errorListener: undefined as undefined | ((details: unknown) => void),
  filters: new Map<string, unknown>(),
};

/** The webRequest API as the hasher uses it, injected (no module mocking). */
const fakeBrowser = {
  runtime: { getURL: (path: string) => `moz-extension://test/${path}` },
  webRequest: {
    onBeforeRequest: { addListener: (fn: (d: unknown) => unknown) => (fake.requestListener = fn) },
    onHeadersReceived: { addListener: (fn: (d: unknown) => void) => (fake.headersListener = fn) },
    onCompleted: { addListener: () => undefined },
    onErrorOccurred: { addListener: (fn: (d: unknown) => void) => (fake.errorListener = fn) },
    filterResponseData: (requestId: string) => {
      const filter: FakeFilter = {
        error: '',
        written: [],
        closed: false,
        disconnected: false,
        disconnect() {
          this.disconnected = true;
        },
        write(data) {
          this.written.push(new Uint8Array(data instanceof ArrayBuffer ? data.slice(0) : data.slice()));
        },
        close() {
          this.closed = true;
        },
        suspended: false,
        suspends: 0,
        buffered: [],
        stopWaiting: false,
        delivered: 0,
        suspend() {
          this.suspended = true;
          this.suspends++;
        },
        resume() {
          this.suspended = false;
          // Gecko flushes kept data synchronously (FlushBufferedData in Resume).
          for (let chunk = this.buffered.shift(); chunk; chunk = this.buffered.shift()) arrive(this, chunk);
          if (this.stopWaiting) {
            this.stopWaiting = false;
            this.onstop!();
          }
        },
      };
      fake.filters.set(requestId, filter);
      return filter;
    },
  },
} as unknown as StreamBrowser;

const { StreamHasher } = await import('../../../src/background/firefox/firefox-stream.js');
const { StateStore } = await import('../../../src/background/state-store.js');
const { wasmEngine } = await import('../../../src/core/hash/wasm-engine.js');
const { EXPECTATION_START_MS, STREAM_RECORD_MAX_AGE_MS } =
  await import('../../../src/background/firefox/stream-binding.js');
const { HOLD_BACK_AT_BYTES, DECISION_TIMEOUT_MS, MAX_PENDING_BYTES } =
  await import('../../../src/background/firefox/stream-session.js');
const MiB = 1024 * 1024;

const PROFILE = {
  id: 'tails',
  officialSite: 'https://tails.net',
  imagePattern: '^tails-amd64-(?<version>[0-9][0-9a-z.~+-]*)\\.(?<type>img|iso)$',
} as never;
const MIRROR = 'https://mirror.example.org/tails/';
const URL_IMG = `${MIRROR}stable/tails-amd64-7.2/tails-amd64-7.2.img`;
const BASE = 'moz-extension://7c1d8f5e-2b6a-4e3c-9d1f-0a5b7c9e2d41/';

let clock = 1_800_000_000_000;
let ids = 0;

function setup() {
  fake.filters.clear();
  const area = new MemoryStorage();
  const store = new StateStore(area);
  const settled: number[] = [];
  /** Downloads paused, with whether their filter was still open at that moment. */
  const paused: { downloadId: number; filterOpen: boolean }[] = [];
  const hasher = new StreamHasher({
    profile: PROFILE,
    engine: wasmEngine,
    store,
    poolNow: () => [{ urlPrefix: MIRROR, weight: 1 }],
    pool: async () => [{ urlPrefix: MIRROR, weight: 1 }],
    onProgress: () => undefined,
    onSettled: (downloadId) => settled.push(downloadId),
    pauseDownload: async (downloadId) => {
      paused.push({
        downloadId,
        filterOpen: [...fake.filters.values()].some(
          (f) => !(f as FakeFilter).closed && !(f as FakeFilter).disconnected,
        ),
      });
    },
    browser: fakeBrowser,
    extensionBaseUrl: BASE,
    now: () => clock,
    newId: () => `exp-${++ids}`,
  });
  hasher.register();
  return { hasher, store, area, settled, paused };
}

/** Who makes a request, as Firefox reports it (measured in ESR 153). */
const OURS = { tabId: -1, type: 'other', documentUrl: BASE };
const PAGE = { tabId: 2, type: 'xmlhttprequest', originUrl: 'https://tails.net/', documentUrl: 'https://tails.net/' };

function request(requestId: string, url: string, who: object = OURS, method = 'GET') {
  // onBeforeRequest must answer synchronously (a Promise would let Firefox drop the filter).
  const result = fake.requestListener!({ requestId, url, method, ...who });
  expect(result).toEqual({});
  return fake.filters.get(requestId) as FakeFilter | undefined;
}

function headers(requestId: string, url: string, statusCode: number, h: Record<string, string>) {
  fake.headersListener!({
    requestId,
    url,
    statusCode,
    responseHeaders: Object.entries(h).map(([name, value]) => ({ name, value })),
  });
}

function respond(requestId: string, url: string, statusCode: number, h: Record<string, string>, who: object = OURS) {
  const filter = request(requestId, url, who);
  headers(requestId, url, statusCode, h);
  return filter;
}

function feed(filter: FakeFilter, data: Uint8Array, chunk: number) {
  for (let i = 0; i < data.length; i += chunk) {
    const part = data.slice(i, i + chunk);
    filter.ondata!({ data: part.buffer });
  }
}

/** Stream a whole 200 response through `filter` and close it. */
async function serve(filter: FakeFilter, data: Uint8Array) {
  feed(filter, data, 65_536);
  filter.onstop!();
  await vi.waitFor(() => expect(filter.closed).toBe(true));
}

/** A download of ours whose connection broke after `cut` bytes: a checkpoint bound to `downloadId`, no result. */
async function interrupted(
  hasher: InstanceType<typeof StreamHasher>,
  downloadId: number,
  requestId: string,
  data: Uint8Array,
  cut: number,
) {
  await hasher.startDownload(URL_IMG, async () => downloadId);
  const first = respond(requestId, URL_IMG, 200, { 'Content-Length': String(data.length) })!;
  feed(first, data.subarray(0, cut), Math.ceil(cut / 2));
  first.error = 'NS_BINDING_ABORTED';
  first.onerror!();
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const sha512 = (b: Uint8Array) => createHash('sha512').update(b).digest('hex');

describe('StreamHasher', () => {
  beforeEach(() => {
    fake.filters.clear();
    clock += 1_000_000;
  });

  it('hashes the request of a download it started, passing every byte through, bound to that download', async () => {
    const { hasher, settled } = setup();
    const data = prngBytes(300_001, 3);
    expect(await hasher.startDownload(URL_IMG, async () => 41)).toBe(41);
    clock += 30;
    const filter = respond('1', URL_IMG, 200, { 'Content-Length': String(data.length) });
    expect(filter).toBeDefined();
    // Chunks arrive before the (asynchronous) decision to hash: they are written through at once.
    await serve(filter!, data);
    expect(concatBytes(...filter!.written)).toEqual(data);
    expect(filter!.disconnected).toBe(false);
    const got = await hasher.resultFor({ downloadId: 41, startedAt: clock - 10, fileSize: data.length });
    expect(got).toMatchObject({
      kind: 'accept',
      result: { bytes: data.length, digests: { sha256: sha256(data), sha512: sha512(data) } },
    });
    expect(await hasher.resultFor({ downloadId: 42, fileSize: data.length })).toEqual({ kind: 'none' });
    await vi.waitFor(() => expect(settled).toEqual([41]));
  });

  it('never filters a request nobody expects: a page fetch, a browser download, our own request after the window', async () => {
    const { hasher } = setup();
    expect(request('2', URL_IMG, PAGE)).toBeUndefined();
    expect(request('3', URL_IMG)).toBeUndefined(); // a download the browser started (a clicked link) has no expectation
    await hasher.startDownload(URL_IMG, async () => 5);
    clock += EXPECTATION_START_MS + 1;
    expect(request('4', URL_IMG)).toBeUndefined();
  });

  it('attack: a page fetches the same URL while our download runs — not filtered, the download keeps its own hash', async () => {
    const { hasher } = setup();
    const goodBytes = prngBytes(50_000, 7);
    const badBytes = goodBytes.slice();
    badBytes[1234]! ^= 1;
    await hasher.startDownload(URL_IMG, async () => 9);
    // The page's fetch comes first, then the real download's request.
    expect(respond('20', URL_IMG, 200, {}, PAGE)).toBeUndefined();
    const download = respond('21', URL_IMG, 200, {})!;
    await serve(download, badBytes);
    const got = await hasher.resultFor({ downloadId: 9, fileSize: badBytes.length });
    expect(got.kind === 'accept' && got.result.digests.sha256).toBe(sha256(badBytes));
  });

  it('attack: a second request of the download shape makes the binding ambiguous → no hash accepted', async () => {
    const { hasher } = setup();
    const data = prngBytes(20_000, 8);
    await hasher.startDownload(URL_IMG, async () => 10);
    const first = respond('30', URL_IMG, 200, {})!;
    expect(request('31', URL_IMG)).toBeUndefined();
    await serve(first, data);
    expect(await hasher.resultFor({ downloadId: 10, fileSize: data.length })).toMatchObject({ kind: 'reject' });
  });

  it('two downloads of one URL started together: neither request is filtered', async () => {
    const { hasher } = setup();
    await hasher.startDownload(URL_IMG, async () => 11);
    await hasher.startDownload(URL_IMG, async () => 12);
    expect(request('40', URL_IMG)).toBeUndefined();
    expect(request('41', URL_IMG)).toBeUndefined();
    expect(await hasher.resultFor({ downloadId: 11, fileSize: 1 })).toEqual({ kind: 'none' });
  });

  it('records the expectation before starting, binds the id the start returns, and waits for it', async () => {
    const { hasher, store } = setup();
    let release: (id: number) => void = () => undefined;
    const started = hasher.startDownload(URL_IMG, async () => {
      expect(Object.values(await store.streamRecords('expectations'))).toMatchObject([
        { urls: [URL_IMG], kind: 'start' },
      ]);
      return new Promise<number>((resolve) => (release = resolve));
    });
    await vi.waitFor(() => expect(release).not.toBe(undefined));
    await new Promise((r) => setTimeout(r, 0));
    // The request (and even the whole response) can come before downloads.download() returns.
    const data = prngBytes(5_000, 9);
    const filter = respond('50', URL_IMG, 200, {})!;
    await serve(filter, data);
    const result = hasher.resultFor({ downloadId: 13, fileSize: data.length });
    release(13);
    await started;
    expect(await result).toMatchObject({ kind: 'accept' });
    expect(Object.values(await store.streamRecords('expectations'))).toMatchObject([{ downloadId: 13, claims: 1 }]);
  });

  it('forgets an expectation whose start failed', async () => {
    const { hasher, store } = setup();
    await expect(hasher.startDownload(URL_IMG, async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await store.streamRecords('expectations')).toEqual({});
    expect(request('60', URL_IMG)).toBeUndefined();
  });

  it('follows a redirect to another pool mirror with a new filter (Firefox drops a filter at a redirect) and keeps the hash', async () => {
    const { hasher, store } = setup();
    const OTHER = 'https://other.example.net/tails/';
    const deps = (hasher as unknown as { deps: { poolNow: () => unknown; pool: () => Promise<unknown> } }).deps;
    const pool = [
      { urlPrefix: MIRROR, weight: 1 },
      { urlPrefix: OTHER, weight: 1 },
    ];
    deps.poolNow = () => pool;
    deps.pool = async () => pool;
    const target = `${OTHER}stable/tails-amd64-7.2/tails-amd64-7.2.img`;
    await hasher.startDownload(URL_IMG, async () => 14);
    const first = request('9', URL_IMG)!;
    headers('9', URL_IMG, 302, { Location: target });
    const second = respond('9', target, 200, {})!;
    expect(second).not.toBe(first);
    // Gecko: "Channel redirected" on the first hop's filter.
    first.error = 'Channel redirected';
    first.onerror?.();
    const data = prngBytes(1000, 4);
    await serve(second, data);
    const got = await hasher.resultFor({ downloadId: 14, fileSize: data.length });
    expect(got.kind === 'accept' && got.result.digests.sha256).toBe(sha256(data));
    const [stored] = Object.values(await store.streamRecords('expectations')) as { urls: string[] }[];
    expect(stored?.urls).toContain(target);
  });

  it('does not follow a redirect out of the pool: no filter on that hop, no hash', async () => {
    const { hasher } = setup();
    await hasher.startDownload(URL_IMG, async () => 13);
    const first = request('8', URL_IMG)!;
    headers('8', URL_IMG, 302, { Location: 'https://elsewhere.example/tails-amd64-7.2.img' });
    fake.filters.delete('8');
    expect(request('8', 'https://elsewhere.example/tails-amd64-7.2.img')).toBeUndefined();
    first.onerror?.();
    expect(await hasher.resultFor({ downloadId: 13, fileSize: 1000 })).toEqual({ kind: 'none' });
  });

  it('a response that ends short is paused before its filter closes (so Firefox keeps it resumable), with a checkpoint', async () => {
    const { hasher, store, paused } = setup();
    const data = prngBytes(300_000, 9);
    await hasher.startDownload(URL_IMG, async () => 40);
    const filter = respond('40', URL_IMG, 200, { 'Content-Length': String(data.length) })!;
    feed(filter, data.subarray(0, 100_000), 50_000);
    filter.onstop!(); // the mirror closed the connection: Firefox reports a stop, not an error
    await vi.waitFor(() => expect(filter.closed).toBe(true));
    expect(paused).toEqual([{ downloadId: 40, filterOpen: true }]);
    await vi.waitFor(async () =>
      expect(Object.values(await store.streamRecords('checkpoints'))).toMatchObject([
        { checkpoint: { offset: 100_000 } },
      ]),
    );
    expect(await hasher.resultFor({ downloadId: 40, fileSize: 100_000 })).toEqual({ kind: 'none' });
  });

  it('a resumed request that fails before any response (network down) is paused, not closed as complete', async () => {
    const { hasher, paused } = setup();
    await hasher.resumeDownload(42, [URL_IMG], async () => undefined);
    const filter = request('42', URL_IMG)!;
    fake.errorListener!({ requestId: '42', url: URL_IMG, error: 'NS_ERROR_NET_RESET' });
    filter.onstop!();
    await vi.waitFor(() => expect(filter.closed).toBe(true));
    expect(paused).toEqual([{ downloadId: 42, filterOpen: true }]);
  });

  /** Make the session's pool read (part of the decision) wait until `release` is called. */
  function slowPool(hasher: InstanceType<typeof StreamHasher>): { release: () => void } {
    const deps = (hasher as unknown as { deps: { pool: () => Promise<unknown> } }).deps;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    deps.pool = async () => {
      await gate;
      return [{ urlPrefix: MIRROR, weight: 1 }];
    };
    return { release: () => release() };
  }

  it('a decision slower than a fast mirror holds the response back instead of losing its hash (busy machine)', async () => {
    const { hasher } = setup();
    const { release } = slowPool(hasher);
    const data = prngBytes(MAX_PENDING_BYTES + 16 * MiB, 21);
    await hasher.startDownload(URL_IMG, async () => 60);
    const filter = respond('60', URL_IMG, 200, { 'Content-Length': String(data.length) })!;
    for (let i = 0; i < data.length; i += MiB) arrive(filter, data.subarray(i, i + MiB));
    arriveStop(filter);
    // Held back once at HOLD_BACK_AT_BYTES: what is kept in memory meanwhile stays small.
    expect(filter.suspends).toBe(1);
    expect(filter.delivered).toBe(HOLD_BACK_AT_BYTES);
    release();
    await vi.waitFor(() => expect(filter.closed).toBe(true));
    expect(filter.suspended).toBe(false);
    expect(filter.disconnected).toBe(false);
    expect(sha256(concatBytes(...filter.written))).toBe(sha256(data)); // toEqual on 10+ MiB is slow
    const got = await hasher.resultFor({ downloadId: 60, fileSize: data.length });
    expect(got.kind === 'accept' && got.result.digests.sha256).toBe(sha256(data));
  });

  it('a decision that never comes lets a held response go on, unhashed, after DECISION_TIMEOUT_MS (never stalls the download)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { hasher } = setup();
      slowPool(hasher); // never released
      const data = prngBytes(HOLD_BACK_AT_BYTES + 4 * MiB, 22);
      await hasher.startDownload(URL_IMG, async () => 61);
      const filter = respond('61', URL_IMG, 200, { 'Content-Length': String(data.length) })!;
      for (let i = 0; i < data.length; i += MiB) arrive(filter, data.subarray(i, i + MiB));
      arriveStop(filter);
      expect(filter.suspended).toBe(true);
      await vi.advanceTimersByTimeAsync(DECISION_TIMEOUT_MS - 1);
      expect(filter.suspended).toBe(true);
      await vi.advanceTimersByTimeAsync(1);
      expect(filter.suspended).toBe(false);
      expect(filter.closed).toBe(true);
      expect(sha256(concatBytes(...filter.written))).toBe(sha256(data)); // toEqual on 10+ MiB is slow
      expect(await hasher.resultFor({ downloadId: 61, fileSize: data.length })).toEqual({ kind: 'none' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('a response that ends before a decision that never comes is closed after DECISION_TIMEOUT_MS (the download completes)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { hasher } = setup();
      slowPool(hasher); // never released
      const data = prngBytes(100_000, 24);
      await hasher.startDownload(URL_IMG, async () => 63);
      const filter = respond('63', URL_IMG, 200, { 'Content-Length': String(data.length) })!;
      feed(filter, data, 50_000);
      filter.onstop!();
      await vi.advanceTimersByTimeAsync(DECISION_TIMEOUT_MS - 1);
      expect(filter.closed).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(filter.closed).toBe(true);
      expect(filter.suspends).toBe(0);
      expect(sha256(concatBytes(...filter.written))).toBe(sha256(data));
      expect(await hasher.resultFor({ downloadId: 63, fileSize: data.length })).toEqual({ kind: 'none' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('a held response that is not to be hashed (another file) passes through whole and is closed at its end', async () => {
    const { hasher } = setup();
    const data = prngBytes(HOLD_BACK_AT_BYTES + 2 * MiB, 23);
    await hasher.startDownload(URL_IMG, async () => 62);
    const filter = request('62', URL_IMG)!;
    headers('62', `${MIRROR}stable/notes.txt`, 200, { 'Content-Length': String(data.length) });
    // All of it arrives before the (asynchronous) decision runs.
    for (let i = 0; i < data.length; i += MiB) arrive(filter, data.subarray(i, i + MiB));
    expect(filter.suspended).toBe(true);
    await vi.waitFor(() => expect(filter.suspended).toBe(false));
    arriveStop(filter);
    await vi.waitFor(() => expect(filter.closed).toBe(true));
    expect(filter.disconnected).toBe(false);
    expect(sha256(concatBytes(...filter.written))).toBe(sha256(data)); // toEqual on 10+ MiB is slow
    expect(await hasher.resultFor({ downloadId: 62, fileSize: data.length })).toEqual({ kind: 'none' });
  });

  it('a complete response is never paused', async () => {
    const { hasher, paused } = setup();
    const data = prngBytes(100_000, 10);
    await hasher.startDownload(URL_IMG, async () => 41);
    const filter = respond('41', URL_IMG, 200, { 'Content-Length': String(data.length) })!;
    await serve(filter, data);
    expect(paused).toEqual([]);
  });

  it('steps aside for another file, a non-mirror host, a 404 and a 206 to a new download', async () => {
    const { hasher } = setup();
    await hasher.startDownload(URL_IMG, async () => 15);
    const partial = respond('70', URL_IMG, 206, { 'Content-Range': 'bytes 0-9/100' })!;
    await vi.waitFor(() => expect(partial.disconnected).toBe(true));
    const elsewhere = 'https://elsewhere.example/tails-amd64-7.2.img';
    await hasher.startDownload(elsewhere, async () => 16);
    const other = respond('71', elsewhere, 200, {})!;
    await vi.waitFor(() => expect(other.disconnected).toBe(true));
    const notFoundUrl = `${MIRROR}stable/tails-amd64-7.3/tails-amd64-7.3.img`;
    await hasher.startDownload(notFoundUrl, async () => 17);
    const notFound = respond('72', notFoundUrl, 404, {})!;
    await vi.waitFor(() => expect(notFound.disconnected).toBe(true));
    expect(await hasher.resultFor({ downloadId: 15, fileSize: 100 })).toEqual({ kind: 'none' });
  });

  it('continues a resumed download from its own checkpoint, at exactly that offset', async () => {
    const { hasher, store } = setup();
    const data = prngBytes(200_000, 5);
    const cut = 120_000;
    await hasher.startDownload(URL_IMG, async () => 20);
    const first = respond('10', URL_IMG, 200, { 'Content-Length': String(data.length) })!;
    feed(first, data.subarray(0, cut), 40_000);
    first.error = 'NS_BINDING_ABORTED';
    first.onerror!(); // the connection broke: no result, a checkpoint bound to download 20
    await vi.waitFor(async () =>
      expect(Object.values(await store.streamRecords('checkpoints'))).toMatchObject([{ checkpoint: { offset: cut } }]),
    );
    expect(await hasher.resultFor({ downloadId: 20, fileSize: cut })).toEqual({ kind: 'none' });

    // A 206 that does not start at the checkpoint is not hashed: the filter steps aside.
    await hasher.resumeDownload(20, [URL_IMG], async () => undefined);
    const wrong = respond('11', URL_IMG, 206, {
      'Content-Range': `bytes ${cut - 1}-${data.length - 1}/${data.length}`,
    })!;
    await vi.waitFor(() => expect(wrong.disconnected).toBe(true));

    await hasher.resumeDownload(20, [URL_IMG], async () => undefined);
    const second = respond('12', URL_IMG, 206, { 'Content-Range': `bytes ${cut}-${data.length - 1}/${data.length}` })!;
    feed(second, data.subarray(cut), 30_000);
    second.onstop!();
    await vi.waitFor(() => expect(second.closed).toBe(true));
    const got = await hasher.resultFor({ downloadId: 20, fileSize: data.length });
    expect(got).toMatchObject({
      kind: 'accept',
      result: { bytes: data.length, digests: { sha256: sha256(data), sha512: sha512(data) } },
    });
    expect(await store.streamRecords('checkpoints')).toEqual({});
  });

  it("the browser's own Resume in the downloads panel continues the hash of a stopped download, hours later", async () => {
    const { hasher } = setup();
    const data = prngBytes(200_000, 6);
    const cut = 80_000;
    await interrupted(hasher, 21, '20', data, cut);
    // Tracking saw the download interrupted: its resume is expected, whoever starts it.
    await hasher.expectBrowserResume(21, [URL_IMG]);
    await hasher.expectBrowserResume(21, [URL_IMG]); // a second interruption event adds nothing
    clock += 3 * 60 * 60 * 1000;
    // No resumeDownload(): Firefox's panel restarts the download, a 206 from the checkpoint.
    const resumed = respond('21', URL_IMG, 206, { 'Content-Range': `bytes ${cut}-${data.length - 1}/${data.length}` })!;
    expect(resumed).toBeDefined();
    feed(resumed, data.subarray(cut), 30_000);
    resumed.onstop!();
    await vi.waitFor(() => expect(resumed.closed).toBe(true));
    expect(await hasher.resultFor({ downloadId: 21, fileSize: data.length })).toMatchObject({
      kind: 'accept',
      result: { bytes: data.length, digests: { sha256: sha256(data) } },
    });
  });

  it("the popup's Resume replaces a waiting expectation instead of making the request ambiguous", async () => {
    const { hasher, store } = setup();
    const data = prngBytes(150_000, 7);
    const cut = 50_000;
    await interrupted(hasher, 22, '30', data, cut);
    await hasher.expectBrowserResume(22, [URL_IMG]);
    await hasher.resumeDownload(22, [URL_IMG], async () => undefined);
    const waiting = Object.values(await store.streamRecords('expectations')).filter(
      (e) => (e as { claims: number }).claims === 0,
    );
    expect(waiting).toHaveLength(1);
    const resumed = respond('31', URL_IMG, 206, { 'Content-Range': `bytes ${cut}-${data.length - 1}/${data.length}` })!;
    feed(resumed, data.subarray(cut), 30_000);
    resumed.onstop!();
    await vi.waitFor(() => expect(resumed.closed).toBe(true));
    expect(await hasher.resultFor({ downloadId: 22, fileSize: data.length })).toMatchObject({
      kind: 'accept',
      result: { bytes: data.length, digests: { sha512: sha512(data) } },
    });
  });

  it('a new download of the same URL is hashed; the stopped one it would be confused with stops waiting', async () => {
    const { hasher } = setup();
    const data = prngBytes(60_000, 9);
    await interrupted(hasher, 24, '50', data, 20_000);
    await hasher.expectBrowserResume(24, [URL_IMG]);
    clock += EXPECTATION_START_MS + 1;
    await hasher.startDownload(URL_IMG, async () => 25);
    await serve(respond('51', URL_IMG, 200, { 'Content-Length': String(data.length) })!, data);
    expect(await hasher.resultFor({ downloadId: 25, fileSize: data.length })).toMatchObject({
      kind: 'accept',
      result: { digests: { sha256: sha256(data) } },
    });
    // The old download's later resume is nobody's now: not filtered.
    expect(request('52', URL_IMG)).toBeUndefined();
  });

  it("a waiting expectation never lets a page's fetch or a 206 from another offset in", async () => {
    const { hasher } = setup();
    const data = prngBytes(100_000, 8);
    await interrupted(hasher, 23, '40', data, 40_000);
    await hasher.expectBrowserResume(23, [URL_IMG]);
    expect(request('41', URL_IMG, PAGE)).toBeUndefined();
    const wrong = respond('42', URL_IMG, 206, { 'Content-Range': `bytes 39999-99999/100000` })!;
    await vi.waitFor(() => expect(wrong.disconnected).toBe(true));
    expect(await hasher.resultFor({ downloadId: 23, fileSize: data.length })).not.toMatchObject({ kind: 'accept' });
  });

  it('attack: a planted checkpoint of another request is never continued', async () => {
    const { hasher, store } = setup();
    const data = prngBytes(100_000, 6);
    // Download 30 stopped at 60 000; a checkpoint bound to some other download sits at the same offset.
    await hasher.startDownload(URL_IMG, async () => 31);
    const other = respond('80', URL_IMG, 200, { 'Content-Length': String(data.length) })!;
    feed(other, data.subarray(0, 60_000), 20_000);
    other.onerror!();
    await vi.waitFor(async () => expect(Object.keys(await store.streamRecords('checkpoints'))).toHaveLength(1));
    clock += EXPECTATION_START_MS + 1; // (within the window, two downloads of one URL would be filtered not at all)
    await hasher.resumeDownload(30, [URL_IMG], async () => undefined);
    const resumed = respond('81', URL_IMG, 206, { 'Content-Range': `bytes 60000-99999/100000` })!;
    await vi.waitFor(() => expect(resumed.disconnected).toBe(true));
    expect(await hasher.resultFor({ downloadId: 30, fileSize: data.length })).toEqual({ kind: 'none' });
  });

  it("deletes a download's records when told, and purges stale ones at start-up", async () => {
    const { hasher, store } = setup();
    const data = prngBytes(1000, 11);
    await hasher.startDownload(URL_IMG, async () => 50);
    await serve(respond('90', URL_IMG, 200, {})!, data);
    await hasher.forgetDownload(50);
    expect(await store.streamRecords('expectations')).toEqual({});
    expect(await store.streamRecords('results')).toEqual({});
    expect(await hasher.resultFor({ downloadId: 50, fileSize: data.length })).toEqual({ kind: 'none' });

    await hasher.startDownload(URL_IMG, async () => 51);
    await serve(respond('91', URL_IMG, 200, {})!, data);
    await store.setStreamRecord('results', 'https://legacy/url-key.img', { bytes: 1 }); // old URL-keyed format
    await hasher.purgeStale();
    expect(Object.keys(await store.streamRecords('results'))).toHaveLength(1);
    clock += STREAM_RECORD_MAX_AGE_MS + 1;
    await hasher.purgeStale();
    expect(await store.streamRecords('expectations')).toEqual({});
    expect(await store.streamRecords('results')).toEqual({});
  });

  it('a restarted background finds expectations and results in storage', async () => {
    const first = setup();
    const data = prngBytes(3000, 12);
    await first.hasher.startDownload(URL_IMG, async () => 60);
    await serve(respond('95', URL_IMG, 200, {})!, data);
    const { StreamHasher: Again } = await import('../../../src/background/firefox/firefox-stream.js');
    const restarted = new Again({
      profile: PROFILE,
      engine: wasmEngine,
      store: first.store,
      poolNow: () => undefined,
      pool: async () => [],
      onProgress: () => undefined,
      onSettled: () => undefined,
      browser: fakeBrowser,
      extensionBaseUrl: BASE,
      now: () => clock,
    });
    restarted.register();
    expect(await restarted.resultFor({ downloadId: 60, fileSize: data.length })).toMatchObject({ kind: 'accept' });
  });
});
