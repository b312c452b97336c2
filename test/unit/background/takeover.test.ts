/**
 * Takeover (Firefox) with a fake browser: the order of cancel / erase / download, what is
 * tracked afterwards and the note the popup shows, and that the person's download is never
 * lost when something fails.
 */
import { describe, expect, it } from 'vitest';
import { Controller } from '../../../src/background/controller.js';
import { Takeover, type TakeoverBrowser } from '../../../src/background/firefox/takeover.js';
import type { Downloads } from '../../../src/extension/browser-api.js';
import { fakeContext, IMG_URL, item, manualTimer } from './fake-context.js';

interface Rig {
  takeover: Takeover;
  calls: string[];
  setup: ReturnType<typeof fakeContext>;
  fail: { cancel?: boolean; download?: number; permission?: boolean };
}

function rig(options: { stream?: boolean } = {}): Rig {
  const calls: string[] = [];
  const fail: Rig['fail'] = {};
  let nextId = 50;
  const stream = {
    resultFor: async () => ({ kind: 'none' }) as const,
    forgetDownload: async () => undefined,
    resumeDownload: async () => undefined,
    purgeStale: async () => undefined,
    isHashing: () => false,
    expectBrowserResume: async () => undefined,
    startDownload: async (url: string, start: () => Promise<number>) => {
      calls.push(`expect ${url}`);
      return start();
    },
  };
  const setup = fakeContext(options.stream === false ? {} : { stream });
  const controller = new Controller(setup.ctx, { timer: manualTimer });
  const items = setup.browser.items;
  const browser: TakeoverBrowser = {
    downloads: {
      search: async (q: Downloads.DownloadQuery) => [...items.values()].filter((i) => i.id === q.id),
      cancel: async (id: number) => {
        calls.push(`cancel ${id}`);
        if (fail.cancel) throw new Error('Download 1 is already complete');
        const i = items.get(id);
        if (i) items.set(id, { ...i, state: 'interrupted', error: 'USER_CANCELED' });
      },
      erase: async (q: Downloads.DownloadQuery) => {
        calls.push(`erase ${q.id}`);
        items.delete(q.id!);
        return [q.id!];
      },
      download: async (o: Downloads.DownloadOptionsType) => {
        calls.push(`download ${o.url} as ${o.filename} ${o.conflictAction}${o.incognito ? ' private' : ''}`);
        if (fail.download && fail.download-- > 0) throw new Error('Invalid filename');
        const id = nextId++;
        items.set(
          id,
          item({
            id,
            url: o.url,
            filename: `/home/u/Downloads/${o.filename ?? 'tails-amd64-7.2.img'}`,
            byExtensionId: 'ours',
            incognito: o.incognito === true,
          } as never),
        );
        return id;
      },
    },
    permissions: { contains: async () => !fail.permission },
  };
  const takeover = new Takeover({
    browser,
    profile: setup.ctx.profile,
    pool: setup.ctx.pool,
    ...(options.stream === false ? {} : { stream }),
    tracking: controller.tracking,
    downloads: setup.ctx.downloads,
    now: setup.ctx.now,
  });
  return { takeover, calls, setup, fail };
}

describe('Takeover', () => {
  it("cancels the browser's download, erases it, and downloads the same URL under the same name, expected by the stream hasher", async () => {
    const r = rig();
    r.setup.browser.items.set(1, item({ filename: '/home/u/Downloads/tails-amd64-7.2.img' }));
    await r.takeover.onCreated(item());
    expect(r.calls).toEqual([
      'cancel 1',
      'erase 1',
      `expect ${IMG_URL}`,
      `download ${IMG_URL} as tails-amd64-7.2.img uniquify`,
    ]);
    expect(r.takeover.owns(1)).toBe(true);
    const list = await r.setup.ctx.downloads.list();
    expect(list.map((d) => [d.id, d.phase, d.hashSource, d.takeover])).toEqual([
      ['dl-50', 'downloading', 'stream', { kind: 'restarted', from: 1 }],
    ]);
  });

  it("a private window's download is started again private, and its record stays in session memory", async () => {
    const r = rig();
    const privateItem = item({ incognito: true, filename: '/home/u/Downloads/tails-amd64-7.2.img' });
    r.setup.browser.items.set(1, privateItem);
    await r.takeover.onCreated(privateItem);
    expect(r.calls).toEqual([
      'cancel 1',
      'erase 1',
      `expect ${IMG_URL}`,
      `download ${IMG_URL} as tails-amd64-7.2.img uniquify private`,
    ]);
    const list = await r.setup.ctx.downloads.list();
    expect(list.map((d) => [d.id, d.private, d.takeover])).toEqual([['dl-50', true, { kind: 'restarted', from: 1 }]]);
    expect(r.setup.area.data.size).toBe(0);
  });

  it("our own downloads (and other extensions') are tracked as usual, never taken over", async () => {
    const r = rig();
    const own = item({ id: 3, byExtensionId: 'iso-verify@iso-verify.invalid' } as never);
    r.setup.browser.items.set(3, own);
    await r.takeover.onCreated(own);
    expect(r.calls).toEqual([]);
    expect(r.takeover.owns(3)).toBe(false);
    expect((await r.setup.ctx.downloads.list()).map((d) => [d.id, d.takeover])).toEqual([['dl-3', undefined]]);
  });

  it('an image from anywhere else is not touched; it is tracked where the browser put it, marked not in the pool', async () => {
    const r = rig();
    const other = item({ id: 4, url: 'https://evil.example/tails-amd64-7.2.img', filename: '/d/x.bin' });
    await r.takeover.onCreated(other);
    expect(r.calls).toEqual([]);
    const [d] = await r.setup.ctx.downloads.list();
    expect(d?.inPool).toBe(false);
    expect(d?.takeover).toBeUndefined();
    expect(r.takeover.owns(4)).toBe(false);
  });

  it('without host access to the mirror the download stays with the browser, and the popup is told why', async () => {
    const r = rig();
    r.fail.permission = true;
    r.setup.browser.items.set(1, item());
    await r.takeover.onCreated(item());
    expect(r.calls).toEqual([]);
    const [d] = await r.setup.ctx.downloads.list();
    expect(d?.id).toBe('dl-1');
    expect(d?.takeover).toEqual({
      kind: 'not-restarted',
      error: { code: 'takeover-no-host-access', detail: 'https://mirror.example.org/*' },
    });
    expect(r.takeover.owns(1)).toBe(false);
  });

  it('a download that cannot be cancelled (finished meanwhile) is left untouched and tracked', async () => {
    const r = rig();
    r.fail.cancel = true;
    r.setup.browser.items.set(1, item());
    await r.takeover.onCreated(item());
    expect(r.calls).toEqual(['cancel 1']);
    const [d] = await r.setup.ctx.downloads.list();
    expect(d?.id).toBe('dl-1');
    expect(d?.takeover).toMatchObject({ kind: 'not-restarted', error: { code: 'takeover-failed' } });
  });

  it('when the hashed restart fails after the cancel, the same URL is started again plainly, so the person still gets the file', async () => {
    const r = rig();
    r.fail.download = 1;
    r.setup.browser.items.set(1, item());
    await r.takeover.onCreated(item());
    expect(r.calls).toEqual([
      'cancel 1',
      'erase 1',
      `expect ${IMG_URL}`,
      `download ${IMG_URL} as tails-amd64-7.2.img uniquify`,
      `download ${IMG_URL} as undefined uniquify`,
    ]);
    const [d] = await r.setup.ctx.downloads.list();
    expect(d?.id).toBe('dl-50');
    expect(d?.takeover).toMatchObject({ kind: 'not-restarted', error: { code: 'takeover-failed' } });
  });

  it('Chrome (no stream hasher): nothing is taken over, downloads are tracked as before', async () => {
    const r = rig({ stream: false });
    r.setup.browser.items.set(1, item());
    await r.takeover.onCreated(item());
    expect(r.calls).toEqual([]);
    expect((await r.setup.ctx.downloads.list()).map((d) => d.id)).toEqual(['dl-1']);
  });
});
