/**
 * What the controller's parts share: the injected browser, the stores, the release-data
 * caches, and the clock. Built once by background.ts; tests build it from fakes.
 */
import type { HashEngine, HashProgress, HashResult } from '../core/hash/types.js';
import type { Profile } from '../core/profile.js';
import type { Verdict } from '../core/verdict.js';
import type { VerifyImageResult } from '../core/verify/index.js';
import type { BrowserPort, Downloads } from '../extension/browser-api.js';
import type { DownloadsWriter } from '../extension/downloads-store.js';
import type { GrowingFileHashes } from './chromium/growing-file.js';
import type { StreamHasher } from './firefox/firefox-stream.js';
import type { MirrorPoolCache } from './mirror-pool-cache.js';
import type { PageHash } from './page-verification.js';

/** Hash a completed download's file (Chrome: through file://). */
export type FileHasher = (path: string, options: FileHasherOptions) => Promise<HashResult>;

export interface FileHasherOptions {
  engine: HashEngine;
  signal: AbortSignal;
  total?: number;
  onProgress: (progress: HashProgress) => void;
}

/** A verification's result as the background keeps it: the verdict, and the reproducers' status to come (when asked). */
export type Checked = Pick<VerifyImageResult, 'verdict' | 'repro'>;

/** The core pipeline (src/core/verify/pipeline.ts) as the controller calls it (verification.ts). */
export interface Verification {
  /** The verdict for a hashed download (release data from the cache); the reproducers are asked. */
  verify(fileName: string, hash: HashResult, signal: AbortSignal): Promise<Checked>;
  /** The verdict for a file one of the extension's pages hashed: only its hash state comes from the page. */
  verifyPageHash(request: PageHash, options: { repro: boolean }): Promise<Checked>;
  /** After a mismatch: the same file on another mirror of the pool. */
  alternativeUrl(verdict: Verdict, usedPrefix: string): Promise<string | undefined>;
}

export interface BackgroundContext {
  browser: BrowserPort;
  profile: Profile;
  downloads: DownloadsWriter;
  pool: Pick<MirrorPoolCache, 'get' | 'cached'>;
  /** Release data per file name: prefetched when a download starts, forgotten before a retry. */
  materials: { prefetch(fileName: string): void; forget(fileName: string): void };
  verification: Verification;
  engine: HashEngine;
  hashFile: FileHasher;
  /** Chrome with the offscreen document: hashing a download while it is written. */
  growing?: Pick<GrowingFileHashes, 'observe' | 'spoil' | 'forget' | 'take' | 'finish'>;
  /** Firefox only. */
  stream?: Pick<
    StreamHasher,
    | 'resultFor'
    | 'forgetDownload'
    | 'resumeDownload'
    | 'expectBrowserResume'
    | 'startDownload'
    | 'purgeStale'
    | 'isHashing'
  >;
  /** ISO-8601 now (tests fix it). */
  now(): string;
}

export function finalUrlOf(item: Downloads.DownloadItem): string {
  const finalUrl = (item as Downloads.DownloadItem & { finalUrl?: string }).finalUrl;
  return typeof finalUrl === 'string' && finalUrl !== '' ? finalUrl : item.url;
}

/** Size of the finished file as the browser reports it. */
export function sizeOf(item: Downloads.DownloadItem): number | undefined {
  if (item.fileSize > 0) return item.fileSize;
  if (item.state === 'complete' && item.bytesReceived >= 0) return item.bytesReceived;
  return undefined;
}

/** The browser's record of download `downloadId`, if it still has one. */
export async function browserItem(
  ctx: BackgroundContext,
  downloadId: number,
): Promise<Downloads.DownloadItem | undefined> {
  const [item] = await ctx.browser.downloads.search({ id: downloadId });
  return item;
}
