/**
 * A BackgroundContext made of fakes: a browser whose downloads, notifications and badge are
 * plain records, storage in memory, and verification that answers what the test says.
 */
import type { HashResult } from '../../../src/core/hash/types.js';
import type { ReproStatus } from '../../../src/core/repro/types.js';
import type { Verdict } from '../../../src/core/verdict.js';
import type { BackgroundContext } from '../../../src/background/context.js';
import type { BrowserPort, Downloads } from '../../../src/extension/browser-api.js';
import { DownloadsWriter } from '../../../src/extension/downloads-store.js';
import { pool, verdict } from './fixtures.js';
import { MemoryStorage } from './memory-storage.js';

export const IMG_URL = 'https://mirror.example.org/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img';

export function item(overrides: Partial<Downloads.DownloadItem> = {}): Downloads.DownloadItem {
  return {
    id: 1,
    url: IMG_URL,
    filename: '/home/u/Downloads/tails-amd64-7.2.img',
    incognito: false,
    danger: 'safe',
    mime: 'application/octet-stream',
    startTime: '2025-01-01T00:00:00.000Z',
    state: 'in_progress',
    paused: false,
    canResume: false,
    bytesReceived: 0,
    totalBytes: 1000,
    fileSize: 0,
    exists: true,
    ...overrides,
  } as Downloads.DownloadItem;
}

export class FakeBrowser {
  readonly items = new Map<number, Downloads.DownloadItem>();
  readonly notifications: string[] = [];
  readonly cleared: string[] = [];
  readonly tabs: string[] = [];
  readonly resumed: number[] = [];
  readonly started: string[] = [];
  /** downloads.download() calls asked to be private (incognito: true), by URL. */
  readonly startedPrivate: string[] = [];
  badge = { text: '', color: '', title: '' };
  fileAccess: boolean | Error = true;
  notificationsFail = false;

  readonly port: BrowserPort = {
    downloads: {
      search: async (query: Downloads.DownloadQuery) =>
        [...this.items.values()].filter((i) => query.id === undefined || i.id === query.id).map((i) => ({ ...i })),
      resume: async (id: number) => void this.resumed.push(id),
      download: async (options: Downloads.DownloadOptionsType) => {
        this.started.push(options.url);
        if (options.incognito === true) this.startedPrivate.push(options.url);
        return 99;
      },
    },
    notifications: {
      create: async (id?: string) => {
        if (this.notificationsFail) throw new Error('notifications are off');
        this.notifications.push(id ?? '');
        return id ?? '';
      },
      clear: async (id: string) => {
        this.cleared.push(id);
        return true;
      },
    },
    action: {
      setBadgeText: async (d: { text: string | null }) => void (this.badge.text = d.text ?? ''),
      setBadgeBackgroundColor: async (d: { color: unknown }) => void (this.badge.color = String(d.color)),
      setTitle: async (d: { title: string | null }) => void (this.badge.title = d.title ?? ''),
    },
    i18n: {
      getMessage: (key: string, subs?: string | string[]) =>
        `${key}${subs ? `(${([] as string[]).concat(subs).join(',')})` : ''}`,
    },
    runtime: { getURL: (path: string) => `ext://id/${path}` },
    tabs: {
      create: async (p: { url?: string }) => {
        this.tabs.push(p.url ?? '');
        return {} as never;
      },
    },
    extension: {
      isAllowedFileSchemeAccess: async () => {
        if (this.fileAccess instanceof Error) throw this.fileAccess;
        return this.fileAccess;
      },
    },
  } as unknown as BrowserPort;
}

export interface FakeSetup {
  ctx: BackgroundContext;
  browser: FakeBrowser;
  area: MemoryStorage;
  /** storage.session: private downloads. */
  session: MemoryStorage;
  verified: string[];
  hashed: string[];
}

export function fakeContext(
  options: {
    verdictOf?: (fileName: string) => Verdict;
    hashFails?: Error;
    stream?: BackgroundContext['stream'];
    repro?: ReproStatus;
  } = {},
): FakeSetup {
  const browser = new FakeBrowser();
  const area = new MemoryStorage();
  const session = new MemoryStorage('session');
  const verified: string[] = [];
  const hashed: string[] = [];
  let tick = 0;
  const hash: HashResult = { bytes: 1000, digests: { sha256: 'a'.repeat(64) }, continuations: {} };
  const ctx: BackgroundContext = {
    browser: browser.port,
    profile: {
      id: 'tails',
      officialSite: 'https://tails.net',
      imagePattern: '^tails-amd64-(?<version>[0-9][0-9a-z.~+-]*)\\.(?<type>img|iso)$',
      pinnedFingerprints: ['F'.repeat(40)],
      channel: 'stable',
    } as never,
    downloads: new DownloadsWriter(area, { session }),
    pool: { get: async () => pool, cached: async () => pool },
    materials: { prefetch: () => undefined, forget: () => undefined },
    verification: {
      verify: async (fileName) => {
        verified.push(fileName);
        return {
          verdict: options.verdictOf ? options.verdictOf(fileName) : verdict('verified'),
          repro: Promise.resolve(options.repro),
        };
      },
      verifyPageHash: async (request, { repro }) => {
        verified.push(request.fileName);
        return {
          verdict: options.verdictOf ? options.verdictOf(request.fileName) : verdict('verified'),
          ...(repro ? { repro: Promise.resolve(options.repro) } : {}),
        };
      },
      alternativeUrl: async () => undefined,
    },
    engine: { name: 'fake', create: async () => ({}) as never },
    hashFile: async (path, opts) => {
      hashed.push(path);
      opts.onProgress({ bytes: 500, total: 1000, rate: 1 });
      if (options.hashFails) throw options.hashFails;
      return hash;
    },
    ...(options.stream ? { stream: options.stream } : {}),
    now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, ++tick)).toISOString(),
  };
  return { ctx, browser, area, session, verified, hashed };
}

/** Timer stand-in for the poll: runs nothing by itself; the test calls poll(). */
export const manualTimer = { setInterval: () => 1, clearInterval: () => undefined };
