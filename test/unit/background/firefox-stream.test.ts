/**
 * The Firefox StreamFilter path against a simulated webRequest: bytes pass through unchanged,
 * the hash equals the file's, checkpoints allow a 206 resume at exactly that offset.
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { prngBytes } from '../hash/helpers.js';
import { MemoryStorage } from './memory-storage.js';

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
}

const fake = vi.hoisted(() => ({
  requestListener: undefined as undefined | ((details: unknown) => unknown),
  headersListener: undefined as undefined | ((details: unknown) => void),
  redirectListener: undefined as undefined | ((details: unknown) => void),
  filters: new Map<string, unknown>(),
}));

vi.mock('../../../src/background/browser-api.js', () => ({
  browser: {
    webRequest: {
      onBeforeRequest: { addListener: (fn: (d: unknown) => unknown) => (fake.requestListener = fn) },
      onHeadersReceived: { addListener: (fn: (d: unknown) => void) => (fake.headersListener = fn) },
      onBeforeRedirect: { addListener: (fn: (d: unknown) => void) => (fake.redirectListener = fn) },
      onCompleted: { addListener: () => undefined },
      onErrorOccurred: { addListener: () => undefined },
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
        };
        fake.filters.set(requestId, filter);
        return filter;
      },
    },
  },
}));

const { StreamHasher } = await import('../../../src/background/firefox-stream.js');
const { StateStore } = await import('../../../src/background/state-store.js');
const { wasmEngine } = await import('../../../src/core/hash/wasm-engine.js');

const PROFILE = {
  id: 'tails',
  officialSite: 'https://tails.net',
  imagePattern: '^tails-amd64-(?<version>[0-9][0-9a-z.~+-]*)\\.(?<type>img|iso)$',
} as never;
const MIRROR = 'https://mirror.example.org/tails/';
const URL_IMG = `${MIRROR}stable/tails-amd64-7.2/tails-amd64-7.2.img`;

let poolLoaded = true;

function setup() {
  fake.filters.clear();
  const store = new StateStore(new MemoryStorage());
  const settled: string[][] = [];
  const hasher = new StreamHasher({
    profile: PROFILE,
    engine: wasmEngine,
    store,
    poolNow: () => (poolLoaded ? [{ urlPrefix: MIRROR, weight: 1 }] : undefined),
    pool: async () => [{ urlPrefix: MIRROR, weight: 1 }],
    onProgress: () => undefined,
    onSettled: (urls) => settled.push(urls),
  });
  hasher.register();
  return { hasher, store, settled };
}

async function respond(requestId: string, url: string, statusCode: number, headers: Record<string, string>, method = 'GET') {
  // onBeforeRequest must answer synchronously (a Promise would let Firefox drop the filter).
  const result = fake.requestListener!({ requestId, url, method });
  expect(result).toEqual({});
  fake.headersListener!({
    requestId,
    url,
    method,
    statusCode,
    responseHeaders: Object.entries(headers).map(([name, value]) => ({ name, value })),
  });
  return fake.filters.get(requestId) as FakeFilter | undefined;
}

function feed(filter: FakeFilter, data: Uint8Array, chunk: number) {
  for (let i = 0; i < data.length; i += chunk) {
    const part = data.slice(i, i + chunk);
    filter.ondata!({ data: part.buffer });
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const sha512 = (b: Uint8Array) => createHash('sha512').update(b).digest('hex');

describe('StreamHasher', () => {
  beforeEach(() => fake.filters.clear());

  it('passes every byte through unchanged and hashes a 200 response', async () => {
    const { hasher, settled } = setup();
    const data = prngBytes(300_001, 3);
    const filter = await respond('1', URL_IMG, 200, { 'Content-Length': String(data.length) });
    expect(filter).toBeDefined();
    // Chunks arrive before the (asynchronous) decision to hash: they are written through at once.
    feed(filter!, data, 65_536);
    expect(concat(filter!.written)).toEqual(data);
    filter!.onstop!();
    await vi.waitFor(() => expect(filter!.closed).toBe(true));
    expect(filter!.disconnected).toBe(false);
    const result = await hasher.resultFor([URL_IMG]);
    expect(result).toMatchObject({ bytes: data.length, digests: { sha256: sha256(data), sha512: sha512(data) } });
    await vi.waitFor(() => expect(settled).toHaveLength(1));
  });

  it('finds the hash under the URL that redirected to the mirror', async () => {
    const { hasher } = setup();
    const original = 'https://download.tails.net/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img';
    fake.requestListener!({ requestId: '9', url: original, method: 'GET' });
    fake.headersListener!({ requestId: '9', url: original, statusCode: 302, responseHeaders: [{ name: 'Location', value: URL_IMG }] });
    fake.redirectListener!({ requestId: '9', url: original, redirectUrl: URL_IMG });
    const filter = fake.filters.get('9') as FakeFilter;
    const data = prngBytes(1000, 4);
    expect(await respond('9', URL_IMG, 200, {})).toBe(filter); // the first hop's filter follows the redirect
    feed(filter!, data, 100);
    filter!.onstop!();
    expect((await hasher.resultFor([original]))?.digests.sha256).toBe(sha256(data));
  });

  it('ignores other files, other hosts and non-GET requests', async () => {
    setup();
    expect(await respond('2', `${MIRROR}stable/tails-amd64-7.2/tails-amd64-7.2.img.sig`, 200, {})).toBeUndefined();
    expect(await respond('3', 'https://elsewhere.example/tails-amd64-7.2.img', 200, {})).toBeUndefined();
    expect(await respond('5', URL_IMG, 200, {}, 'POST')).toBeUndefined();
    // A 404 for an image URL gets a filter (the status is not known yet), which then steps aside.
    const notFound = await respond('4', URL_IMG, 404, {});
    await vi.waitFor(() => expect(notFound!.disconnected).toBe(true));
  });

  it('continues a resumed download from the checkpoint saved when the first response stopped early', async () => {
    const { hasher, store } = setup();
    const data = prngBytes(200_000, 5);
    const cut = 120_000;
    const first = await respond('10', URL_IMG, 200, { 'Content-Length': String(data.length) });
    feed(first!, data.subarray(0, cut), 40_000);
    first!.onstop!(); // the connection ended before Content-Length: no result, a checkpoint
    expect(await hasher.resultFor([URL_IMG])).toBeUndefined();
    await vi.waitFor(async () => expect((await store.checkpoint(URL_IMG))?.offset).toBe(cut));

    // A 206 that does not start at the checkpoint is not hashed: the filter steps aside.
    const wrong = await respond('11', URL_IMG, 206, { 'Content-Range': `bytes ${cut - 1}-${data.length - 1}/${data.length}` });
    await vi.waitFor(() => expect(wrong!.disconnected).toBe(true));

    const second = await respond('12', URL_IMG, 206, { 'Content-Range': `bytes ${cut}-${data.length - 1}/${data.length}` });
    expect(second).toBeDefined();
    feed(second!, data.subarray(cut), 30_000);
    second!.onstop!();
    const result = await hasher.resultFor([URL_IMG]);
    expect(result).toMatchObject({ bytes: data.length, digests: { sha256: sha256(data), sha512: sha512(data) } });
  });

  it('filters before the pool is loaded and steps aside for a non-mirror URL', async () => {
    poolLoaded = false;
    try {
      setup();
      const filter = await respond('30', 'https://elsewhere.example/tails-amd64-7.2.img', 200, {});
      expect(filter).toBeDefined();
      filter!.ondata!({ data: new Uint8Array([1, 2, 3]).buffer });
      await vi.waitFor(() => expect(filter!.disconnected).toBe(true));
      expect(concat(filter!.written)).toEqual(new Uint8Array([1, 2, 3]));
    } finally {
      poolLoaded = true;
    }
  });

  it('saves a checkpoint on a network error', async () => {
    const { store } = setup();
    const data = prngBytes(50_000, 6);
    const filter = await respond('20', URL_IMG, 200, {});
    feed(filter!, data, 10_000);
    filter!.error = 'NS_BINDING_ABORTED';
    filter!.onerror!();
    await vi.waitFor(async () => expect((await store.checkpoint(URL_IMG))?.offset).toBe(50_000));
  });
});
