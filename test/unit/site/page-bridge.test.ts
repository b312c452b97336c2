import { describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import type { HashProgress } from '../../../src/core/hash/types.js';
import type { Verdict } from '../../../src/core/verdict.js';
import { createExtensionBridge } from '../../../src/embed/extension-bridge.js';
import { startPageBridge, type FileVerifier } from '../../../src/site/page-bridge.js';
import { BRIDGE_CHANNEL, type MessageEventLike } from '../../../src/wire/page-protocol.js';
import type { TrackedDownload } from '../../../src/wire/download.js';
import { tracked } from '../background/fixtures.js';

const OFFICIAL = 'https://tails.example';

/** One browsing context: postMessage reaches every listener, with this window as source, like the real one. */
class FakeWindow {
  readonly posted: { message: unknown; targetOrigin: string }[] = [];
  private listeners: ((event: MessageEventLike) => void)[] = [];
  constructor(readonly location: { origin: string }) {}
  addEventListener(_type: 'message', listener: (event: MessageEventLike) => void) {
    this.listeners.push(listener);
  }
  removeEventListener(_type: 'message', listener: (event: MessageEventLike) => void) {
    this.listeners = this.listeners.filter((l) => l !== listener);
  }
  postMessage(message: unknown, targetOrigin: string) {
    this.posted.push({ message, targetOrigin });
    if (targetOrigin !== '*' && targetOrigin !== this.location.origin) return; // the browser drops it
    this.deliver({ source: this, origin: this.location.origin, data: message });
  }
  /** A message as another context would send it. */
  deliver(event: MessageEventLike) {
    for (const listener of [...this.listeners]) queueMicrotask(() => listener(event));
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

const verdict = {
  kind: 'mismatch',
  expected: {
    product: 'Tails',
    version: '7.2',
    type: 'img',
    name: 'tails-amd64-7.2.img',
    url: 'u',
    size: 4,
    sha256: 'b'.repeat(64),
  },
  evidence: {
    file: { name: 'tails-amd64-7.2.img', size: 4, sha256: 'a'.repeat(64) },
    signatures: [],
    inputs: [],
    profile: 'demo',
    checkedAt: '2025-01-01T00:00:00Z',
  },
} as Verdict;

function setup(options: { verifier?: FileVerifier; downloads?: TrackedDownload[] } = {}) {
  const win = new FakeWindow({ origin: OFFICIAL });
  let downloads = options.downloads ?? [];
  let changed: (() => void) | undefined;
  const verified: File[] = [];
  const cancelled: string[] = [];
  const ignored: MessageEventLike[] = [];
  const verifier: FileVerifier = options.verifier ?? {
    async verify(_id, file, onProgress) {
      verified.push(file);
      onProgress({ bytes: 2, total: 4, rate: 1, etaSeconds: 2 });
      return verdict;
    },
    cancel: (id) => cancelled.push(id),
  };
  const bridge = startPageBridge({
    window: win,
    officialOrigin: OFFICIAL,
    hello: { extension: 'iso-verify', version: '1.2.3', profile: 'demo', product: 'Tails' },
    readDownloads: async () => downloads,
    releaseOf: (name) => /^tails-amd64-([0-9.]+)\.img$/.exec(name)?.[1],
    onDownloadsChanged: (listener) => {
      changed = listener;
      return () => (changed = undefined);
    },
    verifier,
    onIgnored: (event) => ignored.push(event),
  });
  return {
    win,
    bridge,
    verified,
    cancelled,
    ignored,
    setDownloads(next: TrackedDownload[]) {
      downloads = next;
      changed?.();
    },
    replies: () => win.posted.map((p) => p.message as { direction?: string }).filter((m) => m.direction === 'to-page'),
  };
}

const req = (type: string, extra: Record<string, unknown> = {}) => ({
  channel: BRIDGE_CHANNEL,
  direction: 'to-extension',
  id: `id-${type}`,
  type,
  ...extra,
});

describe('the content script bridge', () => {
  it('answers hello, to the official origin only', async () => {
    const { win, replies } = setup();
    win.postMessage(req('hello'), OFFICIAL);
    await settle();
    expect(replies()).toEqual([
      {
        channel: BRIDGE_CHANNEL,
        direction: 'to-page',
        id: 'id-hello',
        type: 'hello',
        extension: 'iso-verify',
        version: '1.2.3',
        profile: 'demo',
        product: 'Tails',
      },
    ]);
    for (const post of win.posted) expect(post.targetOrigin).toBe(OFFICIAL);
  });

  it('answers nothing to forged origins, other windows, or requests carrying a hash, key or URL', async () => {
    const { win, replies, verified, ignored } = setup();
    win.deliver({ source: win, origin: 'https://evil.example', data: req('hello') });
    win.deliver({ source: win, origin: 'http://tails.example', data: req('hello') });
    win.deliver({ source: {}, origin: OFFICIAL, data: req('hello') });
    const file = new File([new Uint8Array(4)], 'tails-amd64-7.2.img');
    win.postMessage(req('verify-file', { file, sha256: 'a'.repeat(64) }), OFFICIAL);
    win.postMessage(req('verify-file', { file, key: '-----BEGIN PGP PUBLIC KEY BLOCK-----' }), OFFICIAL);
    win.postMessage(req('verify-file', { file, url: 'https://evil.example/latest.json' }), OFFICIAL);
    win.postMessage(req('hello', { fingerprint: 'F'.repeat(40) }), OFFICIAL);
    win.postMessage(req('attach-verdict', { verdict }), OFFICIAL);
    await settle();
    expect(replies()).toEqual([]);
    expect(verified).toEqual([]);
    expect(ignored).toHaveLength(8);
  });

  it('verifies a picked file through the verifier and relays progress and verdict', async () => {
    const { win, replies, verified } = setup();
    const file = new File([new Uint8Array(4)], 'tails-amd64-7.2.img');
    win.postMessage(req('verify-file', { file }), OFFICIAL);
    await settle();
    expect(verified).toEqual([file]);
    expect(replies().map((r) => (r as { type: string }).type)).toEqual(['progress', 'verdict']);
    expect(replies()[1]).toMatchObject({ id: 'id-verify-file', verdict });
  });

  it('reports verifier failures as typed errors and forwards cancel', async () => {
    const { win, replies, cancelled } = setup({
      verifier: {
        verify: async () => Promise.reject(new IsoVerifyError('aborted', 'stopped')),
        cancel: () => undefined,
      },
    });
    win.postMessage(req('verify-file', { file: new File([], 'x.img') }), OFFICIAL);
    await settle();
    expect(replies()).toEqual([
      {
        channel: BRIDGE_CHANNEL,
        direction: 'to-page',
        id: 'id-verify-file',
        type: 'error',
        error: { code: 'aborted', detail: 'stopped' },
      },
    ]);
    const second = setup();
    second.win.postMessage(req('cancel'), OFFICIAL);
    await settle();
    expect(second.cancelled).toEqual(['id-cancel']);
    expect(cancelled).toEqual([]);
  });

  it('sends the status, and sends it again when the downloads change', async () => {
    const d = (phase: 'downloading' | 'cancelled', updatedAt: string) =>
      tracked({
        fileName: 'tails-amd64-7.2.img',
        phase,
        updatedAt,
        localPath: '/secret/path',
        url: 'https://mirror.example/x',
        finalUrl: 'https://mirror.example/x',
        mirror: 'https://mirror.example/',
      });
    const { win, replies, setDownloads } = setup({ downloads: [d('downloading', '2025-01-01T00:00:00Z')] });
    win.postMessage(req('status'), OFFICIAL);
    await settle();
    setDownloads([d('cancelled', '2025-01-01T00:05:00Z')]);
    await settle();
    const statuses = replies() as { type: string; downloads: { phase: string }[] }[];
    expect(statuses.map((s) => s.type)).toEqual(['status', 'status']);
    expect(statuses.map((s) => s.downloads[0]!.phase)).toEqual(['downloading', 'cancelled']);
    expect(JSON.stringify(statuses)).not.toMatch(/secret|mirror\.example/);
  });

  it('a flood of requests from the page costs one storage read at a time, and every status request is answered', async () => {
    const win = new FakeWindow({ origin: OFFICIAL });
    let reads = 0;
    let inFlight = 0;
    let mostInFlight = 0;
    const gates: (() => void)[] = [];
    startPageBridge({
      window: win,
      officialOrigin: OFFICIAL,
      hello: { extension: 'iso-verify', version: '1.2.3', profile: 'demo', product: 'Tails' },
      readDownloads: () => {
        reads += 1;
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        return new Promise<TrackedDownload[]>((resolve) =>
          gates.push(() => {
            inFlight -= 1;
            resolve([]);
          }),
        );
      },
      releaseOf: () => undefined,
      onDownloadsChanged: () => () => undefined,
      verifier: { verify: () => Promise.reject(new Error('not used')), cancel: () => undefined },
    });
    // Malformed messages and well-formed status requests, interleaved, as a hostile page sends them.
    for (let i = 0; i < 500; i++) {
      win.postMessage(
        { channel: BRIDGE_CHANNEL, direction: 'to-extension', id: `junk-${i}`, type: 'status', extra: 'x'.repeat(100) },
        OFFICIAL,
      );
      win.postMessage({ channel: BRIDGE_CHANNEL, direction: 'to-extension', id: `s-${i}`, type: 'status' }, OFFICIAL);
    }
    await settle();
    // Before: one storage read per request, all queued at once (500 in flight).
    expect(mostInFlight).toBe(1);
    while (gates.length > 0) {
      gates.shift()!();
      await settle();
    }
    expect(reads).toBeLessThanOrEqual(2);
    const answered = win.posted
      .map((p) => p.message as { id: string; type: string; direction: string })
      .filter((m) => m.direction === 'to-page');
    expect(new Set(answered.filter((m) => m.type === 'status').map((m) => m.id))).toEqual(
      new Set(Array.from({ length: 500 }, (_, i) => `s-${i}`)),
    );
    // The bridge still answers at once.
    win.postMessage(req('hello'), OFFICIAL);
    await settle();
    expect(win.posted.at(-1)?.message).toMatchObject({ type: 'hello', id: 'id-hello' });
  });

  it('does not resend status when a change does not change what the page sees (another release, a timestamp)', async () => {
    const current = tracked({
      id: 'dl-1',
      fileName: 'tails-amd64-7.2.img',
      phase: 'cancelled',
      startedAt: '2025-01-01T00:10:00Z',
    });
    const other = tracked({
      id: 'dl-2',
      fileName: 'tails-amd64-7.1.img',
      phase: 'downloading',
      startedAt: '2025-01-01T00:00:00Z',
    });
    const { win, replies, setDownloads } = setup({ downloads: [current, other] });
    win.postMessage(req('status'), OFFICIAL);
    await settle();
    setDownloads([current, { ...other, receivedBytes: 99, updatedAt: '2025-01-01T00:30:00Z' }]);
    await settle();
    setDownloads([{ ...current, updatedAt: '2025-01-01T00:40:00Z' }, other]);
    await settle();
    const statuses = replies() as { type: string; downloads: unknown[] }[];
    expect(statuses).toHaveLength(1);
    expect(statuses[0]!.downloads).toEqual([{ fileName: 'tails-amd64-7.2.img', phase: 'cancelled' }]);
  });

  it('stops listening when stopped', async () => {
    const { win, bridge, replies } = setup();
    bridge.stop();
    win.postMessage(req('hello'), OFFICIAL);
    await settle();
    expect(replies()).toEqual([]);
  });
});

describe('the widget talking to the bridge', () => {
  it('finds the extension, follows status and verifies a file through it', async () => {
    const { win, setDownloads } = setup({ downloads: [] });
    const client = createExtensionBridge(win);
    expect(await client.hello()).toEqual({
      extension: 'iso-verify',
      version: '1.2.3',
      profile: 'demo',
      product: 'Tails',
    });
    const seen: unknown[][] = [];
    client.watchStatus((list) => seen.push(list));
    await settle();
    setDownloads([tracked({ phase: 'cancelled' })]);
    await settle();
    expect(seen.map((list) => list.length)).toEqual([0, 1]);
    const progress: HashProgress[] = [];
    const result = await client.verifyFile(new File([new Uint8Array(4)], 'tails-amd64-7.2.img'), {
      onProgress: (p) => progress.push(p),
      signal: new AbortController().signal,
    });
    expect(result).toEqual(verdict);
    expect(progress).toEqual([{ bytes: 2, total: 4, rate: 1, etaSeconds: 2 }]);
  });

  it('says nobody is there when nothing answers, and ignores replies from another origin', async () => {
    const win = new FakeWindow({ origin: OFFICIAL });
    // Someone on another origin answering every hello: not the content script.
    win.addEventListener('message', (event) => {
      const data = event.data as { type?: string; id?: string; direction?: string };
      if (data.direction !== 'to-extension') return;
      win.deliver({
        source: win,
        origin: 'https://evil.example',
        data: {
          channel: BRIDGE_CHANNEL,
          direction: 'to-page',
          id: data.id,
          type: 'hello',
          extension: 'iso-verify',
          version: '9',
          profile: 'evil',
          product: 'X',
        },
      });
    });
    const client = createExtensionBridge(win);
    expect(await client.hello()).toBeUndefined();
  }, 10_000);
});
