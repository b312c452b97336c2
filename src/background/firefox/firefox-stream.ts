/**
 * Firefox: hash an image while the browser downloads it — only a download the extension
 * started itself (downloads.download() for a handed-over link, downloads.resume()). Before
 * starting one, the controller has us record an expectation (stream-binding.ts); the browser's
 * request that matches it gets a StreamFilter, which passes every chunk through unchanged
 * (filter.write) and into an IncrementalHash. Requests from pages (any tab) are never
 * filtered, so a page's fetch() of the same URL can neither supply nor replace the hash.
 * Results and checkpoints are stored under the expectation's id, which is bound to the
 * browser's download id; the controller accepts only the result bound to its download
 * (acceptStreamResult). Checkpoints every 64 MiB (and when a response stops early) let a
 * downloads.resume() of the same download (206 from exactly that offset) continue the hash.
 *
 * Three parts with one job each, which this class puts together:
 * - stream-expectations.ts: the expectations it remembers (downloads we started or resumed, and
 *   the finished hashes bound to them);
 * - stream-routing.ts: the routing of webRequest events (which request gets a filter, its
 *   headers, its redirects, its failure);
 * - stream-session.ts: one filtered response's session (pass through, hash, checkpoint, finish).
 * The filter is created synchronously in onBeforeRequest; how to hash is decided once the
 * response headers are in and storage has been read (stream-session.ts).
 *
 * Firefox limitation (ESR 153, reproduced; cause in Gecko's DocumentLoadListener.cpp): a page
 * load — request type main_frame or sub_frame: a clicked link, `<a download>`, a typed URL,
 * whatever the Content-Type or Content-Disposition — that Firefox turns into a download never
 * gets a filter. DocumentLoadListener queues a filter request for a document load until the
 * response is handed to the content process; a download is retargeted in the parent instead,
 * DisconnectListeners() drops the queued requests (its TODO: "If we retargeted the stream to a
 * non-default handler (e.g. to trigger a download), we currently never attach a stream
 * filter"), and the filter fires onerror "Invalid request ID" right when the download is
 * created — in onBeforeRequest or onHeadersReceived, with every permission granted. Such a
 * download still completes unfiltered; for an official-site or pool URL the takeover
 * (src/extension/takeover.ts) restarts it through downloads.download(), anything else falls back
 * to the verify page (phase 'awaiting-file'). Downloads started with downloads.download() (type "other") are filtered
 * and hashed as they arrive.
 *
 * Hence the fallback for the common path: on the official site, the content script
 * src/site/download-links.ts (Firefox build only) replaces a person's plain click (isTrusted,
 * primary button, no modifier, not cancelled by the page) on a link to an image of the
 * profile with a 'start-download' message; the background starts downloads.download({url})
 * only for an image URL on a pool mirror or the official site (link-download.ts), and the
 * content script follows the link as usual when the background declines.
 */
import type { HashEngine, HashProgress } from '../../core/hash/types.js';
import type { Profile } from '../../core/profile.js';
import type { Mirror } from '../../core/release/types.js';
import type { StateStore } from '../state-store.js';
import type { DownloadFacts, StreamAcceptance } from './stream-binding.js';
import { StreamExpectations } from './stream-expectations.js';
import { StreamRouting, type FilteredRequest, type StreamBrowser } from './stream-routing.js';
import { StreamSession } from './stream-session.js';

export type { StreamBrowser } from './stream-routing.js';

export interface StreamHasherDeps {
  profile: Profile;
  engine: HashEngine;
  store: StateStore;
  /** The mirror pool as far as it is loaded in memory (undefined: not loaded yet). */
  poolNow(): Mirror[] | undefined;
  /** The cached pool, loading it from storage if needed (no network). */
  pool(): Promise<Mirror[]>;
  /** Progress of the hash of browser download `downloadId` (throttled by the caller). */
  onProgress(downloadId: number, progress: HashProgress): void;
  /** The stream hash of browser download `downloadId` finished (or failed): it may now complete. */
  onSettled(downloadId: number): void;
  /** The webRequest and runtime APIs (background.ts passes the browser's; tests pass fakes). */
  browser: StreamBrowser;
  /**
   * Pause browser download `downloadId` (downloads.pause). Used when a response ends short:
   * closing the filter would tell Firefox the response ended well (StreamFilterParent emits
   * NS_OK on close), so the download is paused first and stays interrupted and resumable.
   */
  pauseDownload?(downloadId: number): Promise<void>;
  /** moz-extension://<uuid>/ (default: runtime.getURL('')): our downloads' requests act for it. */
  extensionBaseUrl?: string;
  /** The background's clock (clock.ts). */
  now(): number;
  /** Id source (tests). */
  newId?(): string;
}

export class StreamHasher {
  private readonly expectations: StreamExpectations;
  private readonly routing: StreamRouting;
  /** Sessions still receiving bytes, by expectation id. */
  private readonly sessions = new Map<string, StreamSession>();

  constructor(private readonly deps: StreamHasherDeps) {
    const now = () => deps.now();
    this.expectations = new StreamExpectations({
      store: deps.store,
      now,
      newId: () => (deps.newId ? deps.newId() : crypto.randomUUID()),
    });
    this.routing = new StreamRouting({
      browser: deps.browser,
      profile: deps.profile,
      expectations: this.expectations,
      poolNow: () => deps.poolNow(),
      now,
      extensionBaseUrl: () => deps.extensionBaseUrl ?? deps.browser.runtime.getURL(''),
      open: (request) => this.open(request, now),
    });
  }

  /** Register the webRequest listeners. Must run synchronously at background start-up. */
  register(): void {
    this.routing.register();
    this.expectations.load();
  }

  /**
   * Start a download whose request we hash: the expectation is recorded (memory and storage)
   * before `start` runs, and bound to the download id `start` returns.
   */
  startDownload(url: string, start: () => Promise<number>): Promise<number> {
    return this.expectations.startDownload(url, start);
  }

  /** Resume download `downloadId`: its 206 may continue a checkpoint saved for the same download. */
  resumeDownload(downloadId: number, urls: readonly string[], resume: () => Promise<void>): Promise<void> {
    return this.expectations.resumeDownload(downloadId, urls, resume);
  }

  /** Download `downloadId` of ours stopped: expect its resume, whoever starts it (stream-expectations.ts). */
  expectBrowserResume(downloadId: number, urls: readonly string[]): Promise<void> {
    return this.expectations.expectBrowserResume(downloadId, urls);
  }

  /**
   * The stream hash download `download` may use (acceptStreamResult), after any start still
   * returning its id and any session bound to this download have finished.
   */
  resultFor(download: DownloadFacts): Promise<StreamAcceptance> {
    return this.expectations.resultFor(download, (id) => this.sessions.get(id)?.done);
  }

  /** Delete every record of download `downloadId` (its verdict is stored, or it is forgotten). */
  forgetDownload(downloadId: number): Promise<void> {
    return this.expectations.forgetDownload(downloadId, (id) => this.sessions.has(id));
  }

  /** Start-up: drop records too old or no longer usable (stream-binding.ts staleStreamRecords). */
  purgeStale(): Promise<void> {
    return this.expectations.purgeStale((id) => this.sessions.has(id));
  }

  /** Whether a response of browser download `downloadId` is being hashed right now (its bytes are reported from here). */
  isHashing(downloadId: number): boolean {
    for (const session of this.sessions.values()) if (session.expectation.downloadId === downloadId) return true;
    return false;
  }

  /** A filtered request's session: it is ours until it ends. */
  private open(request: FilteredRequest, now: () => number): void {
    const { deps } = this;
    const key = request.expectation.id;
    const session = new StreamSession(
      {
        profile: deps.profile,
        engine: deps.engine,
        store: deps.store,
        browser: deps.browser,
        expectations: this.expectations,
        pool: () => deps.pool(),
        onProgress: (downloadId, progress) => deps.onProgress(downloadId, progress),
        ...(deps.pauseDownload ? { pauseDownload: (downloadId: number) => deps.pauseDownload!(downloadId) } : {}),
        requestFailed: (requestId) => this.routing.hasFailed(requestId),
        ended: (ended) => {
          this.routing.release(request.requestId, request.resolver);
          if (this.sessions.get(key) === ended) this.sessions.delete(key);
        },
        onSettled: (downloadId) => deps.onSettled(downloadId),
        now,
      },
      request,
    );
    this.sessions.set(key, session);
    session.start();
  }
}
