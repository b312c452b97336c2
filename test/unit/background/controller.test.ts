/**
 * The controller's parts with an injected fake browser and storage (no module mocks):
 * tracking, completion, delivery and page requests, as the background wires them.
 */
import { describe, expect, it, vi } from 'vitest';
import { Controller } from '../../../src/background/controller.js';
import { handleMessage } from '../../../src/background/messages.js';
import { IsoVerifyError } from '../../../src/core/errors.js';
import type { TrackedDownload } from '../../../src/wire/download.js';
import { downloadKey } from '../../../src/extension/storage.js';
import { fakeContext, item, manualTimer, type FakeSetup } from './fake-context.js';
import { IncrementalHash } from '../../../src/core/hash/incremental-hash.js';
import { wasmEngine } from '../../../src/core/hash/wasm-engine.js';
import { REDECIDE_FIRST_DELAY_MS } from '../../../src/background/redecide.js';
import { tracked, verdict } from './fixtures.js';
import { codeOf } from '../../helpers/error-code.js';

function controllerFor(setup: FakeSetup): Controller {
  return new Controller(setup.ctx, { timer: manualTimer });
}

async function stored(setup: FakeSetup, id = 'dl-1'): Promise<TrackedDownload | undefined> {
  return setup.ctx.downloads.get(id);
}

describe('Tracking', () => {
  it('tracks an image from the pool and from anywhere else (marked not in the pool), never another file', async () => {
    const setup = fakeContext();
    const c = controllerFor(setup);
    setup.browser.items.set(1, item());
    await c.tracking.onCreated(item());
    await c.tracking.onCreated(
      item({ id: 2, url: 'https://elsewhere.example/tails-amd64-7.2.img', filename: '/tmp/tails-amd64-7.2.img' }),
    );
    await c.tracking.onCreated(item({ id: 4, url: 'https://elsewhere.example/notes.txt', filename: '/tmp/notes.txt' }));
    const list = (await setup.ctx.downloads.list()).sort((a, b) => a.id.localeCompare(b.id));
    expect(list.map((d) => [d.id, d.phase, d.hashSource, d.inPool, d.mirror])).toEqual([
      ['dl-1', 'downloading', 'file', true, 'https://mirror.example.org/tails/'],
      ['dl-2', 'downloading', 'file', false, 'https://elsewhere.example/'],
    ]);
  });

  it('tracks a private-window download like any other, its record in session memory only, never storage.local', async () => {
    const setup = fakeContext();
    const c = controllerFor(setup);
    setup.browser.items.set(3, item({ id: 3, incognito: true }));
    await c.tracking.onCreated(item({ id: 3, incognito: true }));
    const [only] = await setup.ctx.downloads.list();
    expect(only).toMatchObject({
      id: 'dl-3',
      phase: 'downloading',
      private: true,
      mirror: 'https://mirror.example.org/tails/',
    });
    expect([...setup.session.data.keys()]).toEqual(['download:dl-3']);
    expect(setup.area.data.size).toBe(0);
    // Completion and its verdict stay there too.
    setup.browser.items.set(3, item({ id: 3, incognito: true, state: 'complete', bytesReceived: 1000 }));
    await c.tracking.onChanged({ id: 3, state: { current: 'complete', previous: 'in_progress' } });
    await vi.waitFor(async () => expect((await setup.ctx.downloads.get('dl-3'))?.phase).toBe('done'));
    expect(setup.area.data.size).toBe(0);
    expect((setup.session.data.get('download:dl-3') as { private?: boolean }).private).toBe(true);
  });

  it('a download Firefox paused (USER_CANCELED, paused) stays interrupted and resumable, not cancelled', async () => {
    const setup = fakeContext();
    const c = controllerFor(setup);
    setup.browser.items.set(1, item());
    await c.tracking.onCreated(item());
    await c.tracking.onChanged({
      id: 1,
      state: { current: 'interrupted' },
      paused: { current: true },
      error: { current: 'USER_CANCELED' },
      canResume: { current: true },
    } as never);
    expect(await stored(setup)).toMatchObject({ phase: 'interrupted', canResume: true });
  });

  it('follows the browser: interrupted, resumed, cancelled by the person', async () => {
    const setup = fakeContext();
    const c = controllerFor(setup);
    setup.browser.items.set(1, item());
    await c.tracking.onCreated(item());
    await c.tracking.onChanged({ id: 1, state: { current: 'interrupted' }, error: { current: 'NETWORK_FAILED' } });
    expect((await stored(setup))?.phase).toBe('interrupted');
    await c.tracking.onChanged({ id: 1, state: { current: 'in_progress' } });
    expect((await stored(setup))?.phase).toBe('downloading');
    await c.tracking.onChanged({ id: 1, state: { current: 'interrupted' }, error: { current: 'USER_CANCELED' } });
    expect((await stored(setup))?.phase).toBe('cancelled');
  });

  it("writes stream progress of one download by its id, and the poll leaves that download's bytes to the stream", async () => {
    let hashing = true;
    const stream = {
      isHashing: (id: number) => hashing && id === 1,
      resultFor: async () => ({ kind: 'none' }) as const,
      forgetDownload: async () => undefined,
      resumeDownload: async () => undefined,
      expectBrowserResume: async () => undefined,
      startDownload: async () => 1,
      purgeStale: async () => undefined,
    };
    const setup = fakeContext({ stream });
    const c = controllerFor(setup);
    setup.browser.items.set(1, item());
    setup.browser.items.set(2, item({ id: 2 }));
    await c.tracking.onCreated(item());
    await c.tracking.onCreated(item({ id: 2 }));
    c.tracking.onStreamProgress(1, { bytes: 400, total: 1000, rate: 10 });
    await vi.waitFor(async () => expect((await stored(setup))?.receivedBytes).toBe(400));
    expect(await stored(setup)).toMatchObject({ phase: 'downloading', progress: { bytes: 400 } });
    expect((await stored(setup, 'dl-2'))?.receivedBytes).toBe(0);

    // The browser's count lags behind: while the stream hashes dl-1, the poll must not write it back.
    setup.browser.items.set(1, item({ bytesReceived: 300 }));
    setup.browser.items.set(2, item({ id: 2, bytesReceived: 200 }));
    await c.tracking.poll();
    expect((await stored(setup))?.receivedBytes).toBe(400);
    expect((await stored(setup, 'dl-2'))?.receivedBytes).toBe(200);
    hashing = false;
    await c.tracking.poll();
    expect((await stored(setup))?.receivedBytes).toBe(300);
  });

  it("Firefox: a stream-hashed download that stops waits for its resume, also one from the browser's own panel", async () => {
    const expected: [number, readonly string[]][] = [];
    const stream = {
      isHashing: () => false,
      resultFor: async () => ({ kind: 'none' }) as const,
      forgetDownload: async () => undefined,
      resumeDownload: async () => undefined,
      expectBrowserResume: async (id: number, urls: readonly string[]) => void expected.push([id, urls]),
      startDownload: async () => 1,
      purgeStale: async () => undefined,
    };
    const setup = fakeContext({ stream });
    const c = controllerFor(setup);
    setup.browser.items.set(1, item());
    await c.tracking.onCreated(item());
    await c.tracking.onChanged({ id: 1, state: { current: 'in_progress' } });
    expect(expected).toEqual([]);
    await c.tracking.onChanged({ id: 1, state: { current: 'interrupted' }, error: { current: 'NETWORK_FAILED' } });
    const d = await stored(setup);
    expect(expected).toEqual([[1, [d!.url, d!.finalUrl]]]);
    // Chrome (no stream hasher) has nothing to expect.
    const chrome = fakeContext();
    const cc = controllerFor(chrome);
    chrome.browser.items.set(1, item());
    await cc.tracking.onCreated(item());
    await cc.tracking.onChanged({ id: 1, state: { current: 'interrupted' }, error: { current: 'NETWORK_FAILED' } });
    expect(expected).toHaveLength(1);
  });

  it('an erased download is cancelled unless it already has its verdict', async () => {
    const setup = fakeContext();
    const c = controllerFor(setup);
    await setup.ctx.downloads.update('dl-1', () => tracked({ id: 'dl-1', downloadId: 1 }));
    await setup.ctx.downloads.update('dl-2', () =>
      tracked({ id: 'dl-2', downloadId: 2, phase: 'done', verdict: verdict('verified') }),
    );
    await c.tracking.onErased(1);
    await c.tracking.onErased(2);
    expect((await stored(setup))?.phase).toBe('cancelled');
    expect((await stored(setup, 'dl-2'))?.phase).toBe('done');
  });
});

describe('Completion', () => {
  it('Chrome with file access: reads the file, verifies, stores the verdict and notifies', async () => {
    const setup = fakeContext();
    const c = controllerFor(setup);
    setup.browser.items.set(1, item());
    await c.tracking.onCreated(item());
    setup.browser.items.set(1, item({ state: 'complete', bytesReceived: 1000, fileSize: 1000 }));
    const phases: string[] = [];
    setup.area.onChanged.addListener((changes) => {
      const next = changes[downloadKey('dl-1')]?.newValue as TrackedDownload | undefined;
      if (next && phases.at(-1) !== next.phase) phases.push(next.phase);
    });
    await c.tracking.onChanged({ id: 1, state: { current: 'complete' } });
    expect(setup.hashed).toEqual(['/home/u/Downloads/tails-amd64-7.2.img']);
    expect(setup.verified).toEqual(['tails-amd64-7.2.img']);
    expect(phases).toEqual(['downloading', 'hashing', 'verifying', 'done']);
    expect(await stored(setup)).toMatchObject({
      phase: 'done',
      verdict: { kind: 'verified' },
      receivedBytes: 1000,
      totalBytes: 1000,
      hashSource: 'file',
    });
    expect(setup.browser.notifications).toEqual(['iso-verify:dl-1']);
  });

  it('without file access the person is asked to pick the file; an unreadable file says why', async () => {
    const setup = fakeContext();
    setup.browser.fileAccess = false;
    const c = controllerFor(setup);
    setup.browser.items.set(1, item({ state: 'complete', fileSize: 1000 }));
    await c.tracking.onCreated(item());
    expect(await stored(setup)).toMatchObject({ phase: 'awaiting-file', hashSource: 'page' });
    expect(setup.hashed).toEqual([]);

    const unreadable = fakeContext({ hashFails: new IsoVerifyError('io-failed', 'gone') });
    const c2 = controllerFor(unreadable);
    unreadable.browser.items.set(1, item({ state: 'complete', fileSize: 1000 }));
    await c2.tracking.onCreated(item());
    expect(await stored(unreadable)).toMatchObject({
      phase: 'awaiting-file',
      error: { code: 'io-failed', detail: 'gone' },
    });
  });

  it('an error while verifying leaves the download failed with its typed code, and a retry starts over', async () => {
    let fail = true;
    const setup = fakeContext({
      verdictOf: () => {
        if (fail) throw new IsoVerifyError('fetch-failed', 'offline');
        return verdict('verified');
      },
    });
    const c = controllerFor(setup);
    setup.browser.items.set(1, item({ state: 'complete', fileSize: 1000 }));
    await c.tracking.onCreated(item());
    expect(await stored(setup)).toMatchObject({ phase: 'failed', error: { code: 'fetch-failed', detail: 'offline' } });
    expect(setup.browser.notifications).toEqual(['iso-verify:dl-1']);
    fail = false;
    await c.requests.retry('dl-1');
    const after = await stored(setup);
    expect(after).toMatchObject({ phase: 'done', verdict: { kind: 'verified' } });
    expect(after && 'error' in after).toBe(false);
  });
});

describe('Completion, reported several times at once', () => {
  // On a loaded machine the browser's event, the one-second poll and the stream hasher reported
  // one completion 7–14 times within two seconds, and each verified and notified (bench:verdict).
  it('the event, the poll and the stream hasher reporting one completion together verify it once', async () => {
    const setup = fakeContext();
    const c = controllerFor(setup);
    setup.browser.items.set(1, item());
    await c.tracking.onCreated(item());
    setup.browser.items.set(1, item({ state: 'complete', bytesReceived: 1000, fileSize: 1000 }));
    await Promise.all([
      c.tracking.onChanged({ id: 1, state: { current: 'complete' } }),
      c.tracking.poll(),
      c.tracking.onStreamSettled(1),
      c.tracking.poll(),
    ]);
    await vi.waitFor(async () => expect((await stored(setup))?.phase).toBe('done'));
    expect(setup.verified).toEqual(['tails-amd64-7.2.img']);
    expect(setup.hashed).toHaveLength(1);
    expect(setup.browser.notifications).toEqual(['iso-verify:dl-1']);
    expect(await stored(setup)).toMatchObject({ phase: 'done', verdict: { kind: 'verified' } });
  });

  it('a poll tick while the last poll still waits for the browser is skipped, not stacked', async () => {
    const setup = fakeContext();
    let tick: () => void = () => undefined;
    const c = new Controller(setup.ctx, {
      timer: { setInterval: (fn) => ((tick = fn), 1), clearInterval: () => undefined },
    });
    setup.browser.items.set(1, item());
    await c.tracking.onCreated(item());
    const search = setup.browser.port.downloads.search;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let searches = 0;
    setup.browser.port.downloads.search = async (query) => {
      searches += 1;
      await held;
      return search(query);
    };
    tick();
    await vi.waitFor(() => expect(searches).toBe(1));
    tick();
    tick();
    // A few turns of the event loop: the skipped ticks would have reached the browser by then.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(searches).toBe(1);
    release();
    await vi.waitFor(() => {
      tick();
      expect(searches).toBe(2);
    });
  });

  it('a report that arrives while an earlier check still saw the download running is not lost', async () => {
    const setup = fakeContext();
    const c = controllerFor(setup);
    setup.browser.items.set(1, item());
    await c.tracking.onCreated(item());
    // The first check reads the browser's item while it is still in progress; the browser
    // completes and reports before that check has its answer.
    const search = setup.browser.port.downloads.search;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    setup.browser.port.downloads.search = async (query) => {
      const answer = await search(query);
      if (calls++ === 0) await held;
      return answer;
    };
    const first = c.completion.onComplete('dl-1');
    await vi.waitFor(() => expect(calls).toBe(1));
    setup.browser.items.set(1, item({ state: 'complete', bytesReceived: 1000, fileSize: 1000 }));
    const second = c.completion.onComplete('dl-1');
    release();
    await Promise.all([first, second]);
    expect(setup.verified).toEqual(['tails-amd64-7.2.img']);
    expect(await stored(setup)).toMatchObject({ phase: 'done', verdict: { kind: 'verified' } });
  });
});

describe('PageRequests', () => {
  it('answers with specific codes: unknown download, busy, not resumable, links where no stream hashes', async () => {
    const setup = fakeContext();
    const c = controllerFor(setup);
    expect(await codeOf(c.requests.cancel('dl-5'))).toBe('download-unknown');
    await setup.ctx.downloads.update('dl-1', () => tracked({ id: 'dl-1', downloadId: 1, phase: 'hashing' }));
    expect(await codeOf(c.requests.retry('dl-1'))).toBe('download-busy');
    expect(await codeOf(c.requests.resumeDownload('dl-1'))).toBe('download-not-resumable');
    await setup.ctx.downloads.update('dl-1', (d) => d && { ...d, phase: 'interrupted' });
    setup.browser.items.set(1, item({ state: 'interrupted', canResume: false }));
    expect(await codeOf(c.requests.resumeDownload('dl-1'))).toBe('download-not-resumable');
    expect(
      await codeOf(
        c.requests.startLinkDownload('https://mirror.example.org/tails/tails-amd64-7.2.img', { incognito: false }),
      ),
    ).toBe('link-not-handled');
    setup.browser.items.clear();
    await setup.ctx.downloads.update('dl-1', (d) => d && { ...d, phase: 'cancelled' });
    expect(await codeOf(c.requests.retry('dl-1'))).toBe('download-gone');
  });

  it('no Resume for a short download the browser calls complete: download again, from this or another pool mirror', async () => {
    const setup = fakeContext();
    const c = controllerFor(setup);
    setup.browser.items.set(1, item({ state: 'complete', canResume: false, fileSize: 600, bytesReceived: 600 }));
    await setup.ctx.downloads.update('dl-1', () =>
      tracked({ id: 'dl-1', downloadId: 1, phase: 'done', verdict: verdict('incomplete'), canResume: false }),
    );
    expect(await codeOf(c.requests.resumeDownload('dl-1'))).toBe('download-not-resumable');
    // The new download's tracked id, for a page about the old one to follow.
    expect(await c.requests.downloadAgain('dl-1', 'other')).toEqual({ id: 'dl-99' });
    expect(setup.browser.started).toEqual([
      'http://plain.example.net/pub/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img',
    ]);
    expect(await stored(setup)).toBeUndefined(); // the short copy's record gives way to the new download
    await setup.ctx.downloads.update('dl-2', () =>
      tracked({ id: 'dl-2', downloadId: 2, phase: 'done', verdict: verdict('incomplete'), canResume: false }),
    );
    await c.requests.downloadAgain('dl-2', 'same');
    expect(setup.browser.started[1]).toBe(
      'https://mirror.example.org/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img',
    );
    // From a server outside the pool: the path the signed release names, on a pool mirror.
    await setup.ctx.downloads.update('dl-4', () =>
      tracked({
        id: 'dl-4',
        downloadId: 4,
        url: 'https://else.example/x/tails-amd64-7.2.img',
        finalUrl: 'https://else.example/x/tails-amd64-7.2.img',
        mirror: 'https://else.example/',
        inPool: false,
        phase: 'done',
        verdict: verdict('incomplete'),
        canResume: false,
      }),
    );
    await c.requests.downloadAgain('dl-4', 'other');
    expect(setup.browser.started[2]).toMatch(
      /^https:\/\/mirror\.example\.org\/tails\/|^http:\/\/plain\.example\.net\/pub\/tails\//,
    );
    expect(setup.browser.started[2]).toMatch(/tails-amd64-7\.2\.img$/);
    await setup.ctx.downloads.update('dl-3', () =>
      tracked({ id: 'dl-3', downloadId: 3, phase: 'done', verdict: verdict('verified') }),
    );
    expect(await codeOf(c.requests.downloadAgain('dl-3', 'other'))).toBe('download-busy');
  });

  it('Firefox, fresh install: asking for the state loads the mirror pool once (the options page offers access before any download)', async () => {
    const gets: string[] = [];
    const streaming = fakeContext({ stream: {} as never });
    streaming.ctx.pool = { get: async () => (gets.push('firefox'), []), cached: async () => [] };
    await controllerFor(streaming).requests.state();
    const loaded = fakeContext({ stream: {} as never });
    loaded.ctx.pool = {
      get: async () => (gets.push('loaded'), []),
      cached: async () => [{ urlPrefix: 'https://mirror.example.org/tails/', weight: 5 }],
    };
    await controllerFor(loaded).requests.state();
    const chrome = fakeContext();
    chrome.ctx.pool = { get: async () => (gets.push('chrome'), []), cached: async () => [] };
    await controllerFor(chrome).requests.state();
    expect(gets).toEqual(['firefox']);
  });

  it('download again from another mirror: none with weight left → a typed error the popup shows', async () => {
    const setup = fakeContext();
    setup.ctx.pool = {
      get: async () => [{ urlPrefix: 'https://mirror.example.org/tails/', weight: 5 }],
      cached: async () => [],
    };
    const c = controllerFor(setup);
    await setup.ctx.downloads.update('dl-1', () =>
      tracked({ id: 'dl-1', downloadId: 1, phase: 'done', verdict: verdict('incomplete'), canResume: false }),
    );
    expect(await codeOf(c.requests.downloadAgain('dl-1', 'other'))).toBe('no-other-mirror');
    const reply = await handleMessage(
      c.requests,
      { extensionId: 'id', extensionOrigin: 'ext://id/', officialSite: 'https://tails.net' },
      { type: 'download-again', id: 'dl-1', from: 'other' },
      { id: 'id', url: 'ext://id/popup.html' } as never,
    );
    expect(reply).toMatchObject({ ok: false, error: { code: 'no-other-mirror' } });
  });

  it('official site unreachable: the hash is kept; "Try again" and the automatic retry decide again from it without reading the file', async () => {
    let siteUp = false;
    const setup = fakeContext({ verdictOf: () => verdict(siteUp ? 'verified' : 'unverifiable') });
    const hash = await IncrementalHash.create(['sha256', 'sha512'], wasmEngine);
    hash.update(new Uint8Array(1000).fill(7));
    const result = hash.finish();
    setup.ctx.engine = wasmEngine;
    setup.ctx.hashFile = async (path) => {
      setup.hashed.push(path);
      return result;
    };
    const c = controllerFor(setup);
    setup.browser.items.set(1, item({ state: 'complete', fileSize: 1000, bytesReceived: 1000 }));
    await c.tracking.onCreated(item({ state: 'complete', fileSize: 1000, bytesReceived: 1000 }));
    const offline = await stored(setup);
    expect(offline).toMatchObject({
      phase: 'done',
      verdict: { kind: 'unverifiable', reason: 'offline' },
      hash: { bytes: 1000, digests: { sha256: result.digests.sha256 } },
      redecide: { attempts: 0 },
    });
    const nextAt = offline?.phase === 'done' ? Date.parse(offline.redecide!.nextAt) - Date.parse(offline.updatedAt) : 0;
    expect(nextAt).toBeGreaterThanOrEqual(REDECIDE_FIRST_DELAY_MS - 2000);

    // Still down: "Try again" decides again (no new hash), still offline, hash still kept.
    await c.requests.retry('dl-1');
    expect(setup.verified.length).toBe(2);
    expect((await stored(setup))?.phase === 'done' && ((await stored(setup)) as { hash?: unknown }).hash).toBeTruthy();
    // Not due yet: the automatic attempt waits.
    await c.redecideDue();
    expect(setup.verified.length).toBe(2);

    siteUp = true;
    setup.ctx.now = () => new Date(Date.UTC(2025, 0, 1, 1)).toISOString(); // an hour later: due
    await c.redecideDue();
    expect(setup.verified.length).toBe(3);
    expect(setup.hashed).toEqual(['/home/u/Downloads/tails-amd64-7.2.img']); // the file was read once
    const done = await stored(setup);
    expect(done).toMatchObject({ phase: 'done', verdict: { kind: 'verified' } });
    expect(done && 'hash' in done).toBe(false);
  });

  it('the verify page may replace a verdict that lacked release data, never one that judged the bytes', async () => {
    const setup = fakeContext();
    const c = controllerFor(setup);
    await setup.ctx.downloads.update('dl-1', () =>
      tracked({ id: 'dl-1', downloadId: 1, phase: 'done', hashSource: 'stream', verdict: verdict('unverifiable') }),
    );
    const page = {
      type: 'verify-hash' as const,
      fileName: 'tails-amd64-7.2.img',
      bytes: 1000,
      states: { sha256: 'AAAA' },
      id: 'dl-1',
    };
    expect((await c.requests.verifyPageHash(page)).attachError).toBeUndefined();
    expect(await stored(setup)).toMatchObject({ verdict: { kind: 'verified' } });
    await setup.ctx.downloads.update('dl-1', () =>
      tracked({ id: 'dl-1', downloadId: 1, phase: 'done', hashSource: 'stream', verdict: verdict('mismatch') }),
    );
    expect((await c.requests.verifyPageHash(page)).attachError?.code).toBe('input-invalid-value');
    expect(await stored(setup)).toMatchObject({ verdict: { kind: 'mismatch' } });
  });

  it('asks the reproducers for a page that wants them, once, and keeps their status with a tracked download', async () => {
    const status = {
      fileName: 'tails-amd64-7.2.img',
      rebuilders: [],
      reproducedBy: 0,
      threshold: 1,
      met: false,
      anyMismatch: false,
      checkedAt: '2025-01-01T00:00:00.000Z',
    } as never;
    const setup = fakeContext({ repro: status });
    const c = controllerFor(setup);
    const hash = {
      type: 'verify-hash' as const,
      fileName: 'tails-amd64-7.2.img',
      bytes: 1000,
      states: { sha256: 'AAAA' },
    };
    // Not asked: no token.
    expect((await c.requests.verifyPageHash(hash)).reproToken).toBeUndefined();
    // Asked: the page gets a token and the status for it, once.
    const asked = await c.requests.verifyPageHash({ ...hash, repro: true });
    expect(asked.reproToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(await c.requests.reproStatus(asked.reproToken!)).toEqual(status);
    expect(await c.requests.reproStatus(asked.reproToken!)).toBeNull();
    // For a tracked download the background keeps the status with the verdict.
    await setup.ctx.downloads.update('dl-1', () =>
      tracked({ id: 'dl-1', downloadId: 1, phase: 'awaiting-file', hashSource: 'page', totalBytes: 1000 }),
    );
    await c.requests.verifyPageHash({ ...hash, id: 'dl-1' });
    expect(await stored(setup)).toMatchObject({ phase: 'done', repro: status });
  });

  it("stores the reproducers' status the verification of a download brought", async () => {
    const status = {
      fileName: 'tails-amd64-7.2.img',
      rebuilders: [],
      reproducedBy: 0,
      threshold: 1,
      met: false,
      anyMismatch: false,
      checkedAt: '2025-01-01T00:00:00.000Z',
    } as never;
    const setup = fakeContext({ repro: status });
    const c = controllerFor(setup);
    await setup.ctx.downloads.update('dl-1', () =>
      tracked({ id: 'dl-1', downloadId: 1, phase: 'verifying', localPath: '/home/u/Downloads/tails-amd64-7.2.img' }),
    );
    setup.browser.items.set(1, item({ state: 'complete', fileSize: 1000, bytesReceived: 1000 }));
    await c.completion.onComplete('dl-1', true);
    expect(await stored(setup)).toMatchObject({ phase: 'done', verdict: { kind: 'verified' }, repro: status });
  });

  it('resumes an interrupted download through the browser', async () => {
    const setup = fakeContext();
    const c = controllerFor(setup);
    await setup.ctx.downloads.update('dl-1', () => tracked({ id: 'dl-1', downloadId: 1, phase: 'interrupted' }));
    setup.browser.items.set(1, item({ state: 'interrupted', canResume: true }));
    await c.requests.resumeDownload('dl-1');
    expect(setup.browser.resumed).toEqual([1]);
    expect((await stored(setup))?.phase).toBe('downloading');
  });

  it('decides a page-hashed file for a tracked download itself, keeps it without a notification, and forget clears everything', async () => {
    const setup = fakeContext();
    const c = controllerFor(setup);
    await setup.ctx.downloads.update('dl-1', () =>
      tracked({ id: 'dl-1', downloadId: 1, phase: 'awaiting-file', hashSource: 'page', totalBytes: 1000 }),
    );
    const reply = await c.requests.verifyPageHash({
      type: 'verify-hash',
      fileName: 'tails-amd64-7.2.img',
      bytes: 1000,
      states: { sha256: 'AAAA' },
      id: 'dl-1',
    });
    expect(reply.verdict.kind).toBe('verified');
    expect(reply.attachError).toBeUndefined();
    expect(setup.verified).toContain('tails-amd64-7.2.img');
    expect(await stored(setup)).toMatchObject({ phase: 'done', hashSource: 'page', verdict: { kind: 'verified' } });
    expect(setup.browser.notifications).toEqual([]);
    await c.requests.forget('dl-1');
    expect(await stored(setup)).toBeUndefined();
    expect(setup.browser.cleared).toEqual(['iso-verify:dl-1']);
  });

  it('a notification that cannot be shown or cleared does not fail the work', async () => {
    const setup = fakeContext();
    setup.browser.notificationsFail = true;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const c = controllerFor(setup);
    setup.browser.items.set(1, item({ state: 'complete', fileSize: 1000 }));
    await c.tracking.onCreated(item());
    expect((await stored(setup))?.phase).toBe('done');
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});

describe('Delivery', () => {
  it('the badge shows the newest outcome', async () => {
    const setup = fakeContext();
    const c = controllerFor(setup);
    await setup.ctx.downloads.update('dl-1', () =>
      tracked({ id: 'dl-1', phase: 'done', verdict: verdict('mismatch') }),
    );
    await c.delivery.refreshBadge();
    expect(setup.browser.badge).toMatchObject({ text: '!', title: 'bg_title_mismatch(tails-amd64-7.2.img)' });
  });
});

describe('handleMessage', () => {
  const policy = { extensionId: 'ext', extensionOrigin: 'ext://id/', officialSite: 'https://tails.net' };
  const page = { id: 'ext', url: 'ext://id/popup.html' };

  it('replies ok with the value, or an error reply with a specific code', async () => {
    const setup = fakeContext();
    const c = controllerFor(setup);
    const state = await handleMessage(c.requests, policy, { type: 'get-state' }, page);
    expect(state).toMatchObject({ ok: true, value: { profileId: 'tails', downloads: [] } });
    expect(await handleMessage(c.requests, policy, { type: 'forget', id: 'dl-1' }, page)).toEqual({
      ok: true,
      value: null,
    });
    expect(
      await handleMessage(c.requests, policy, { type: 'get-state' }, { id: 'other', url: 'ext://other/' }),
    ).toMatchObject({ ok: false, error: { code: 'sender-rejected' } });
    const site = { id: 'ext', url: 'https://tails.net/install/', tab: { incognito: false } };
    expect(await handleMessage(c.requests, policy, { type: 'forget', id: 'dl-1' }, site)).toMatchObject({
      ok: false,
      error: { code: 'request-not-allowed' },
    });
    expect(await handleMessage(c.requests, policy, { type: 'cancel', id: 'dl-9' }, page)).toMatchObject({
      ok: false,
      error: { code: 'download-unknown' },
    });
    expect(await handleMessage(c.requests, policy, { type: 'nope' }, page)).toMatchObject({
      ok: false,
      error: { code: 'input-invalid-value' },
    });
  });
});
