/**
 * Firefox: hash an image while the browser downloads it. For a response from a mirror (or the
 * official site) whose path names an image, a StreamFilter passes every chunk through
 * unchanged (filter.write) and into an IncrementalHash. The result is kept in memory and in
 * storage (keyed by URL) until the download completes; the controller then compares byte
 * counts with the file on disk before using it. Checkpoints every 64 MiB (and at an error)
 * let a resumed download (206 from exactly that offset) continue the same hash.
 *
 * The filter is created in onHeadersReceived rather than onBeforeRequest: only then are the
 * status and Content-Range known, and a redirect hop never gets a filter.
 */
import { errorInfo } from '../core/errors.js';
import { IncrementalHash } from '../core/hash/incremental-hash.js';
import { ProgressTracker } from '../core/hash/progress.js';
import { DEFAULT_CHECKPOINT_EVERY } from '../core/hash/stream-hash.js';
import type { HashEngine, HashProgress } from '../core/hash/types.js';
import type { Profile } from '../core/profile.js';
import type { Mirror } from '../core/release/types.js';
import { browser, type WebRequest } from './browser-api.js';
import { fileNameFromUrl, matchesImagePattern, sourcePrefixFor } from './download-match.js';
import type { StateStore } from './state-store.js';
import { decideStreamStart } from './stream-start.js';
import { storeHashResult, type StoredHashResult } from './stored-hash.js';

export interface StreamHasherDeps {
  profile: Profile;
  engine: HashEngine;
  store: StateStore;
  /** The cached mirror pool (no network in the blocking listener). */
  pool(): Promise<Mirror[]>;
  /** Throttled by the caller; `urls` are the response URL and the URL that redirected to it. */
  onProgress(urls: string[], progress: HashProgress): void;
  /** A stream hash finished (or failed): the controller may now complete a download. */
  onSettled(urls: string[]): void;
}

interface Session {
  urls: string[];
  done: Promise<void>;
}

export class StreamHasher {
  /** First URL of each request id, recorded on redirects, so a download's original URL finds its hash. */
  private readonly origins = new Map<string, string>();
  /** Sessions still receiving bytes, by URL. */
  private readonly active = new Map<string, Session>();
  /** Finished hashes by URL (also in storage). */
  private readonly finished = new Map<string, StoredHashResult>();

  constructor(private readonly deps: StreamHasherDeps) {}

  /** Register the webRequest listeners. Must run synchronously at background start-up. */
  register(): void {
    const filter = { urls: ['https://*/*', 'http://*/*'] };
    browser.webRequest.onBeforeRedirect.addListener((details) => {
      if (!this.origins.has(details.requestId)) this.origins.set(details.requestId, details.url);
    }, filter);
    browser.webRequest.onHeadersReceived.addListener(
      (details) => this.onHeadersReceived(details),
      filter,
      ['blocking', 'responseHeaders'],
    );
    const forget = (details: { requestId: string }) => void this.origins.delete(details.requestId);
    browser.webRequest.onCompleted.addListener(forget, filter);
    browser.webRequest.onErrorOccurred.addListener(forget, filter);
  }

  /** The finished hash for any of `urls`, waiting for a session that is still closing. */
  async resultFor(urls: readonly string[]): Promise<StoredHashResult | undefined> {
    for (const url of urls) {
      const session = this.active.get(url);
      if (session) await session.done;
    }
    for (const url of urls) {
      const hit = this.finished.get(url) ?? (await this.deps.store.streamHash(url));
      if (hit) return hit;
    }
    return undefined;
  }

  async forget(urls: readonly string[]): Promise<void> {
    for (const url of urls) {
      this.finished.delete(url);
      await this.deps.store.setStreamHash(url, undefined);
      await this.deps.store.setCheckpoint(url, undefined);
    }
  }

  private async onHeadersReceived(details: WebRequest.OnHeadersReceivedDetailsType): Promise<WebRequest.BlockingResponse> {
    try {
      await this.maybeFilter(details);
    } catch (error) {
      // Never block or break the user's download because of our own failure.
      console.warn('stream hashing not started', details.url, errorInfo(error));
    }
    return {};
  }

  private async maybeFilter(details: WebRequest.OnHeadersReceivedDetailsType): Promise<void> {
    if (details.method !== 'GET') return;
    const { profile } = this.deps;
    const name = fileNameFromUrl(details.url);
    if (name === undefined || !matchesImagePattern(profile, name)) return;
    if (sourcePrefixFor(profile, await this.deps.pool(), details.url) === undefined) return;

    const origin = this.origins.get(details.requestId);
    const urls = origin && origin !== details.url ? [details.url, origin] : [details.url];
    let checkpoint;
    for (const url of urls) checkpoint ??= await this.deps.store.checkpoint(url);
    const start = decideStreamStart({ statusCode: details.statusCode, headers: details.responseHeaders ?? [] }, checkpoint);
    if (start.kind === 'skip') {
      console.info('not hashing response', details.url, start.reason);
      return;
    }
    const hash = start.kind === 'resume'
      ? await IncrementalHash.resume(start.checkpoint, this.deps.engine).catch(() => undefined)
      : await IncrementalHash.create(['sha256', 'sha512'], this.deps.engine);
    if (!hash) return; // unusable checkpoint: the download is read or picked afterwards
    for (const url of urls) this.finished.delete(url);
    if (start.kind === 'fresh') {
      for (const url of urls) {
        await this.deps.store.setStreamHash(url, undefined);
        await this.deps.store.setCheckpoint(url, undefined);
      }
    }
    // Expected end of this response: the whole file for a 200, start+range for a 206.
    const expectedEnd = start.total;
    this.attach(details.requestId, urls, hash, expectedEnd);
  }

  private attach(requestId: string, urls: string[], hash: IncrementalHash, expectedEnd: number | undefined): void {
    const { store } = this.deps;
    const filter = browser.webRequest.filterResponseData(requestId);
    const tracker = new ProgressTracker({ total: expectedEnd, startOffset: hash.offset });
    let lastCheckpointAt = hash.offset;
    let broken = false;
    let resolveDone: () => void = () => undefined;
    const session: Session = { urls, done: new Promise<void>((resolve) => (resolveDone = resolve)) };
    for (const url of urls) this.active.set(url, session);

    const saveCheckpoint = () => {
      if (broken || hash.offset === 0) return;
      const checkpoint = hash.checkpoint();
      for (const url of urls) void store.setCheckpoint(url, checkpoint).catch(() => undefined);
    };
    const end = () => {
      for (const url of urls) if (this.active.get(url) === session) this.active.delete(url);
      resolveDone();
      this.deps.onSettled(urls);
    };

    filter.ondata = (event) => {
      const chunk = new Uint8Array(event.data);
      if (!broken) {
        try {
          hash.update(chunk);
          if (hash.offset - lastCheckpointAt >= DEFAULT_CHECKPOINT_EVERY) {
            lastCheckpointAt = hash.offset;
            saveCheckpoint();
          }
          const progress = tracker.due(hash.offset);
          if (progress) this.deps.onProgress(urls, progress);
        } catch (error) {
          broken = true;
          console.warn('stream hashing failed', urls[0], errorInfo(error));
        }
      }
      // The user's bytes pass through whatever happened to the hash.
      filter.write(chunk);
    };

    filter.onstop = () => {
      let result: StoredHashResult | undefined;
      if (!broken) {
        if (expectedEnd !== undefined && hash.offset < expectedEnd) {
          // The response ended early (pause, network): keep the state to continue a resume.
          saveCheckpoint();
        } else {
          try {
            result = storeHashResult(hash.finish(), this.deps.engine, urls[0]!, new Date().toISOString());
          } catch (error) {
            console.warn('stream hash could not be finished', urls[0], errorInfo(error));
          }
        }
      }
      // Record before close(): the download can complete as soon as the stream is closed.
      if (result) for (const url of urls) this.finished.set(url, result);
      filter.close();
      const stored = result;
      void (async () => {
        if (stored) {
          for (const url of urls) {
            await store.setStreamHash(url, stored).catch(() => undefined);
            await store.setCheckpoint(url, undefined).catch(() => undefined);
          }
        }
      })().finally(end);
    };

    filter.onerror = () => {
      console.info('download stream stopped', urls[0], filter.error);
      saveCheckpoint();
      end();
    };
  }
}
