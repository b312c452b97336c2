/**
 * Chrome's file path end to end without a browser: the background's offscreenFileHasher, a
 * runtime Port pair, the offscreen document's host, hashInWorkers and the real worker handler
 * (fake Workers in this thread), reading a "file:" URL whose bytes a fake fetch serves.
 */
import { describe, expect, it, vi } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import type { HashProgress, HashResult } from '../../../src/core/hash/types.js';
import { wasmEngine } from '../../../src/core/hash/wasm-engine.js';
import { offscreenFileHasher, type ClientPort } from '../../../src/background/chromium/offscreen-hash.js';
import type { FileHasherOptions } from '../../../src/background/context.js';
import type { OffscreenPort } from '../../../src/extension/browser-api.js';
import {
  OFFSCREEN_HASH_PORT,
  parseOffscreenHashReply,
  parseOffscreenHashRequest,
} from '../../../src/wire/offscreen-protocol.js';
import { closeWhenIdle, isBackgroundHashPort, serveHashPort, type HostPort } from '../../../src/offscreen/hash-host.js';
import { hashInWorkers, type WorkerLike } from '../../../src/worker/client.js';
import { createHashWorkerHandler } from '../../../src/worker/hash-handler.js';
import type { WorkerRequest, WorkerResponse } from '../../../src/wire/worker-protocol.js';
import { nodeDigest, prngBytes } from '../hash/helpers.js';

const MIB = 1024 * 1024;
const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
const BACKGROUND_URL = `chrome-extension://${EXTENSION_ID}/background.js`;
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A Port pair with Chrome's semantics: messages are cloned and arrive later; disconnect() fires onDisconnect on the other end only. */
function portPair(sender: HostPort['sender'], name = OFFSCREEN_HASH_PORT) {
  const listeners = {
    client: { message: [] as ((m: unknown) => void)[], disconnect: [] as (() => void)[] },
    host: { message: [] as ((m: unknown) => void)[], disconnect: [] as (() => void)[] },
  };
  let open = true;
  const end = (self: 'client' | 'host', other: 'client' | 'host') => ({
    postMessage(message: unknown) {
      if (!open) throw new Error('Attempting to use a disconnected port object');
      const copy = structuredClone(message);
      setTimeout(() => open && listeners[other].message.forEach((l) => l(copy)), 0);
    },
    disconnect() {
      if (!open) return;
      open = false;
      setTimeout(() => listeners[other].disconnect.forEach((l) => l()), 0);
    },
    onMessage: { addListener: (l: (m: unknown) => void) => void listeners[self].message.push(l) },
    onDisconnect: { addListener: (l: () => void) => void listeners[self].disconnect.push(l) },
  });
  const client: ClientPort = end('client', 'host');
  const host: HostPort = { name, ...(sender ? { sender } : {}), ...end('host', 'client') };
  return { client, host, isOpen: () => open };
}

/** Fake Workers running the real handler here; "file:" URLs are served from `files`. */
function fakeWorkers(files: Map<string, Uint8Array>) {
  const workers: { terminated: boolean }[] = [];
  const fetchImpl = (async (url: string) => {
    const bytes = files.get(url);
    if (!bytes) throw new TypeError('Failed to fetch');
    return new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream());
  }) as unknown as typeof fetch;
  const create = (): WorkerLike => {
    const state = { terminated: false };
    workers.push(state);
    const fake: WorkerLike = {
      onmessage: null,
      onerror: null,
      postMessage(message: WorkerRequest) {
        if (!state.terminated) void handler.handle(structuredClone(message));
      },
      terminate() {
        state.terminated = true;
      },
    };
    const handler = createHashWorkerHandler(
      (m: WorkerResponse) =>
        setTimeout(() => !state.terminated && fake.onmessage?.({ data: structuredClone(m) } as MessageEvent), 0),
      wasmEngine,
      { fetchImpl },
    );
    return fake;
  };
  return { workers, create };
}

interface World {
  hasher: ReturnType<typeof offscreenFileHasher>;
  calls: string[];
  workers: { terminated: boolean }[];
  ports: ReturnType<typeof portPair>[];
  documentOpen(): boolean;
}

function world(
  options: {
    files?: Map<string, Uint8Array>;
    loadingConnects?: number;
    createFails?: boolean;
    sender?: HostPort['sender'];
  } = {},
): World {
  const files = options.files ?? new Map();
  const { workers, create } = fakeWorkers(files);
  const calls: string[] = [];
  let open = false;
  let refuse = options.loadingConnects ?? 0;
  const ports: ReturnType<typeof portPair>[] = [];
  const offscreen: OffscreenPort = {
    async createDocument(p) {
      calls.push(`create ${p.reasons.join(',')}`);
      if (options.createFails) throw new Error('offscreen documents are not allowed');
      open = true;
    },
    async closeDocument() {
      calls.push('close');
      open = false;
    },
    async hasDocument() {
      return open;
    },
  };
  const hasher = offscreenFileHasher({
    offscreen,
    documentUrl: `chrome-extension://${EXTENSION_ID}/offscreen.html`,
    retryDelayMs: 0,
    connect() {
      const pair = portPair(options.sender ?? { id: EXTENSION_ID, url: BACKGROUND_URL });
      ports.push(pair);
      if (refuse > 0) {
        // The document is still loading: nobody listens, Chrome closes the port.
        refuse -= 1;
        pair.host.disconnect();
      } else {
        serveHashPort(pair.host, {
          extensionId: EXTENSION_ID,
          backgroundUrl: BACKGROUND_URL,
          hash: (input, o) => hashInWorkers(input, { ...o, createWorker: create, cores: 2 }),
        });
      }
      return pair.client;
    },
    fallback: async (path) => {
      calls.push(`fallback ${path}`);
      throw new IsoVerifyError('io-failed', 'fallback used');
    },
  });
  return { hasher, calls, workers, ports, documentOpen: () => open };
}

function options(extra: Partial<FileHasherOptions> = {}): FileHasherOptions & { progress: HashProgress[] } {
  const progress: HashProgress[] = [];
  return {
    engine: wasmEngine,
    signal: new AbortController().signal,
    onProgress: (p) => progress.push(p),
    progress,
    ...extra,
  };
}

describe('Chrome file path through the offscreen document', () => {
  it('hashes the file in one worker per algorithm and gives the background a full result', async () => {
    const data = prngBytes(5 * MIB + 123, 31);
    const w = world({ files: new Map([['file:///home/u/Downloads/tails%20amd64.img', data]]) });
    const o = options({ total: data.length });
    const result: HashResult = await w.hasher('/home/u/Downloads/tails amd64.img', o);
    expect(result.bytes).toBe(data.length);
    expect(result.digests.sha256).toBe(nodeDigest('sha256', data));
    expect(result.digests.sha512).toBe(nodeDigest('sha512', data));
    // The continuations are live: the signature check appends its trailer to them.
    expect(result.continuations.sha512?.clone().digest().length).toBe(64);
    expect(w.workers).toHaveLength(2);
    expect(o.progress.length).toBeGreaterThan(0);
    expect(o.progress.at(-1)).toMatchObject({ bytes: data.length, total: data.length });
    expect(w.calls).toEqual(['create WORKERS', 'close']);
    expect(w.documentOpen()).toBe(false);
  });

  it('creates the document once for two files at a time and closes it after the last', async () => {
    const a = prngBytes(2 * MIB, 1);
    const b = prngBytes(3 * MIB, 2);
    const w = world({
      files: new Map([
        ['file:///a.img', a],
        ['file:///b.img', b],
      ]),
    });
    const [ra, rb] = await Promise.all([w.hasher('/a.img', options()), w.hasher('/b.img', options())]);
    expect(ra.digests.sha256).toBe(nodeDigest('sha256', a));
    expect(rb.digests.sha512).toBe(nodeDigest('sha512', b));
    expect(w.calls).toEqual(['create WORKERS', 'close']);
  });

  it('connects again while the document is still loading', async () => {
    const data = prngBytes(MIB, 3);
    const w = world({ files: new Map([['file:///x.img', data]]), loadingConnects: 3 });
    const result = await w.hasher('/x.img', options());
    expect(result.digests.sha256).toBe(nodeDigest('sha256', data));
    expect(w.ports).toHaveLength(4);
  });

  it('an unreadable file is io-failed (the person can still pick it), not a fallback', async () => {
    const w = world();
    await expect(w.hasher('/gone.img', options())).rejects.toMatchObject({ code: 'io-failed' });
    expect(w.calls).toEqual(['create WORKERS', 'close']);
    expect(w.workers.every((x) => x.terminated)).toBe(true);
  });

  it('falls back to hashing in the background when the document cannot be created', async () => {
    const w = world({ createFails: true });
    await expect(w.hasher('/x.img', options())).rejects.toThrow('fallback used');
    expect(w.calls).toEqual(['create WORKERS', 'fallback /x.img', 'close']);
  });

  it('cancel closes the port and the document stops its workers at once', async () => {
    const data = prngBytes(96 * MIB, 4);
    const w = world({ files: new Map([['file:///big.img', data]]) });
    const controller = new AbortController();
    const o = options({ signal: controller.signal, onProgress: () => controller.abort() });
    await expect(w.hasher('/big.img', o)).rejects.toMatchObject({ code: 'aborted' });
    await tick();
    await tick();
    expect(w.ports[0]!.isOpen()).toBe(false);
    expect(w.workers.length).toBe(2);
    expect(w.workers.every((x) => x.terminated)).toBe(true);
  });

  it('a document that goes away mid-hash fails the hash instead of hanging', async () => {
    const data = prngBytes(64 * MIB, 5);
    const w = world({ files: new Map([['file:///big.img', data]]) });
    let killed = false;
    const o = options({
      onProgress: () => {
        if (killed) return;
        killed = true;
        w.ports[0]!.host.disconnect(); // the document crashed or was closed
      },
    });
    await expect(w.hasher('/big.img', o)).rejects.toMatchObject({ code: 'internal' });
  });

  it('a relative path never reaches the document', async () => {
    const w = world();
    await expect(w.hasher('Downloads/x.img', options())).rejects.toMatchObject({ code: 'io-failed' });
    expect(w.calls).toEqual([]);
  });
});

describe('offscreen hash host', () => {
  const deps = { extensionId: EXTENSION_ID, backgroundUrl: BACKGROUND_URL };

  it('answers only the extension background on the hash port', () => {
    const port = (name: string, sender: HostPort['sender']) => portPair(sender, name).host;
    expect(isBackgroundHashPort(port(OFFSCREEN_HASH_PORT, { id: EXTENSION_ID, url: BACKGROUND_URL }), deps)).toBe(true);
    // A content script of this extension on some page, another page of the extension, another extension, a wrong name.
    expect(
      isBackgroundHashPort(
        port(OFFSCREEN_HASH_PORT, { id: EXTENSION_ID, url: 'https://evil.example/', tab: { id: 3 } }),
        deps,
      ),
    ).toBe(false);
    expect(
      isBackgroundHashPort(
        port(OFFSCREEN_HASH_PORT, { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}/verify.html` }),
        deps,
      ),
    ).toBe(false);
    expect(isBackgroundHashPort(port(OFFSCREEN_HASH_PORT, { id: 'other', url: BACKGROUND_URL }), deps)).toBe(false);
    expect(isBackgroundHashPort(port('something-else', { id: EXTENSION_ID, url: BACKGROUND_URL }), deps)).toBe(false);
    expect(isBackgroundHashPort(port(OFFSCREEN_HASH_PORT, undefined), deps)).toBe(false);
  });

  it("closes a stranger's port without hashing anything", async () => {
    const pair = portPair({ id: EXTENSION_ID, url: 'https://evil.example/', tab: { id: 1 } });
    let hashed = 0;
    expect(
      serveHashPort(pair.host, { ...deps, hash: async () => (hashed++, { bytes: 0, digests: {}, states: {} }) }),
    ).toBe(false);
    await tick();
    await tick();
    expect(pair.isOpen()).toBe(false);
    expect(hashed).toBe(0);
  });

  it('refuses a request for anything but a file: URL', async () => {
    const pair = portPair({ id: EXTENSION_ID, url: BACKGROUND_URL });
    const replies: unknown[] = [];
    pair.client.onMessage.addListener((m) => replies.push(m));
    serveHashPort(pair.host, { ...deps, hash: async () => ({ bytes: 0, digests: {}, states: {} }) });
    pair.client.postMessage({ type: 'hash', url: 'https://mirror.example/tails.img', algorithms: ['sha256'] } as never);
    await tick();
    await tick();
    expect(replies).toEqual([{ type: 'error', error: { code: 'input-invalid-value', detail: 'not a hash request' } }]);
  });
});

describe('offscreen protocol parsers', () => {
  it('accept well-formed messages and nothing else', () => {
    expect(
      parseOffscreenHashRequest({
        type: 'hash',
        url: 'file:///a',
        algorithms: ['sha256', 'sha512', 'sha256'],
        total: 5,
      }),
    ).toEqual({ type: 'hash', url: 'file:///a', algorithms: ['sha256', 'sha512'], total: 5 });
    for (const bad of [
      null,
      {},
      { type: 'hash', url: 'http://a', algorithms: ['sha256'] },
      { type: 'hash', url: 'file:///a', algorithms: [] },
      { type: 'hash', url: 'file:///a', algorithms: ['md5'] },
      { type: 'hash', url: 'file:///a', algorithms: ['sha256'], total: -1 },
    ]) {
      expect(parseOffscreenHashRequest(bad)).toBeUndefined();
    }
    expect(parseOffscreenHashReply({ type: 'done', bytes: 3, states: { sha256: 'AAAA' } })).toEqual({
      type: 'done',
      bytes: 3,
      states: { sha256: 'AAAA' },
    });
    expect(parseOffscreenHashReply({ type: 'error', error: { code: 'io-failed', detail: 'x' } })).toEqual({
      type: 'error',
      error: { code: 'io-failed', detail: 'x' },
    });
    for (const bad of [
      { type: 'done', bytes: -1, states: {} },
      { type: 'done', bytes: 1, states: { md5: 'A' } },
      { type: 'done', bytes: 1, states: { sha256: 'A'.repeat(5000) } },
      { type: 'error', error: { code: 'not-a-code' } },
      { type: 'progress', progress: { bytes: 'x' } },
      { type: 'other' },
    ]) {
      expect(parseOffscreenHashReply(bad)).toBeUndefined();
    }
  });
});

describe('offscreen protocol: a range of a file being written, continued from saved states', () => {
  const states = { sha256: 'AAAA', sha512: 'BBBB' };
  it('a range from byte 0 stands alone; a later one needs the states of exactly the bytes before it, for every algorithm', () => {
    const base = { type: 'hash', url: 'file:///a.img.crdownload', algorithms: ['sha256', 'sha512'] };
    expect(parseOffscreenHashRequest({ ...base, range: { start: 0, end: 10 } })).toMatchObject({
      range: { start: 0, end: 10 },
    });
    expect(
      parseOffscreenHashRequest({ ...base, range: { start: 10, end: 20 }, resumeFrom: { offset: 10, states } }),
    ).toMatchObject({ range: { start: 10, end: 20 }, resumeFrom: { offset: 10, states } });
    for (const bad of [
      { ...base, range: { start: 10, end: 20 } }, // no states for the first 10 bytes
      { ...base, range: { start: 10, end: 20 }, resumeFrom: { offset: 9, states } }, // states of other bytes
      { ...base, range: { start: 10, end: 20 }, resumeFrom: { offset: 10, states: { sha256: 'AAAA' } } }, // sha512 missing
      { ...base, range: { start: 10, end: 10 } },
      { ...base, range: { start: -1, end: 10 } },
      { ...base, range: { start: 0, end: 1.5 } },
      { ...base, resumeFrom: { offset: 0, states } }, // states without a range
      { ...base, range: { start: 10, end: 20 }, resumeFrom: { offset: 10, states: { ...states, md5: 'C' } } },
    ]) {
      expect(parseOffscreenHashRequest(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});

describe('closeWhenIdle', () => {
  it('closes the document after a minute without a connection, never while one is open', () => {
    vi.useFakeTimers();
    try {
      let closed = 0;
      const idle = closeWhenIdle(() => closed++, 60_000);
      vi.advanceTimersByTime(30_000);
      idle.opened();
      idle.opened();
      vi.advanceTimersByTime(120_000);
      idle.closed();
      vi.advanceTimersByTime(120_000);
      expect(closed).toBe(0); // one connection still open
      idle.closed();
      vi.advanceTimersByTime(59_000);
      expect(closed).toBe(0);
      vi.advanceTimersByTime(1_000);
      expect(closed).toBe(1);
      // Created but never connected to (the background stopped before it connected).
      const unused = closeWhenIdle(() => closed++, 60_000);
      vi.advanceTimersByTime(60_000);
      expect(closed).toBe(2);
      void unused;
    } finally {
      vi.useRealTimers();
    }
  });
});
