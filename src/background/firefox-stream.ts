/**
 * Firefox: hash an image while the browser downloads it. For a response from a mirror (or the
 * official site) whose path names an image, a StreamFilter passes every chunk through
 * unchanged (filter.write) and into an IncrementalHash. The result is kept in memory and in
 * storage (keyed by URL) until the download completes; the controller then compares byte
 * counts with the file on disk before using it. Checkpoints every 64 MiB (and when a response
 * stops early) let a resumed download (206 from exactly that offset) continue the same hash.
 *
 * The filter is created synchronously in onBeforeRequest; how to hash — fresh, resume from a
 * stored checkpoint, or not at all — is decided once onHeadersReceived has given the status
 * and Content-Range and storage has been read; chunks that arrive before the decision are
 * written through at once and kept to be hashed when it is made. A response that is not
 * hashed gets its filter disconnected, so the rest flows past untouched.
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
 * download still completes; without a stream hash it falls back to the verify page (phase
 * 'awaiting-file'). Downloads started with downloads.download() (type "other") are filtered
 * and hashed as they arrive.
 *
 * Hence the fallback for the common path: on the official site, the content script
 * src/site/download-links.ts (Firefox build only) replaces a person's plain click (isTrusted,
 * primary button, no modifier, not cancelled by the page) on a link to an image of the
 * profile with a 'start-download' message; the background starts downloads.download({url})
 * only for an image URL on a pool mirror or the official site (link-download.ts), and the
 * content script follows the link as usual when the background declines.
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
import { decideStreamStart, type StreamStart } from './stream-start.js';
import { storeHashResult, type StoredHashResult } from './stored-hash.js';

/** Most bytes held while the hashing decision is pending; beyond it we give up hashing this response. */
export const MAX_PENDING_BYTES = 64 * 1024 * 1024;

export interface StreamHasherDeps {
  profile: Profile;
  engine: HashEngine;
  store: StateStore;
  /** The mirror pool as far as it is loaded in memory (undefined: not loaded yet). */
  poolNow(): Mirror[] | undefined;
  /** The cached pool, loading it from storage if needed (no network). */
  pool(): Promise<Mirror[]>;
  /** Throttled by the caller; `urls` are the response URL and the URL that redirected to it. */
  onProgress(urls: string[], progress: HashProgress): void;
  /** A stream hash finished (or failed): the controller may now complete a download. */
  onSettled(urls: string[]): void;
}

interface Session {
  done: Promise<void>;
}

/** What the decision needs from onHeadersReceived. */
export type ResponseDetails = Pick<WebRequest.OnHeadersReceivedDetailsType, 'url' | 'statusCode' | 'responseHeaders'>;

type Hashing =
  | { state: 'pending'; chunks: Uint8Array[]; bytes: number }
  | { state: 'hashing'; hash: IncrementalHash; tracker: ProgressTracker; expectedEnd?: number; lastCheckpointAt: number }
  | { state: 'off' };

export class StreamHasher {
  /** First URL of each request id, recorded on redirects, so a download's original URL finds its hash. */
  private readonly origins = new Map<string, string>();
  /** Sessions still receiving bytes, by URL. */
  private readonly active = new Map<string, Session>();
  /** Finished hashes by URL (also in storage). */
  private readonly finished = new Map<string, StoredHashResult>();
  /** Filters waiting for their response headers, by request id. */
  private readonly awaitingHeaders = new Map<string, (details: ResponseDetails) => void>();

  constructor(private readonly deps: StreamHasherDeps) {}

  /** Register the webRequest listeners. Must run synchronously at background start-up. */
  register(): void {
    const filter = { urls: ['https://*/*', 'http://*/*'] };
    browser.webRequest.onBeforeRequest.addListener(
      (details) => {
        try {
          this.onBeforeRequest(details);
        } catch (error) {
          // Never block or break the user's download because of our own failure.
          console.warn('stream hashing not started', details.url, errorInfo(error));
        }
        return {};
      },
      filter,
      ['blocking'],
    );
    browser.webRequest.onBeforeRedirect.addListener((details) => {
      if (!this.origins.has(details.requestId)) this.origins.set(details.requestId, details.url);
    }, filter);
    browser.webRequest.onHeadersReceived.addListener(
      (details) => {
        const pending = this.awaitingHeaders.get(details.requestId);
        // A redirect's headers are not the image's: wait for the hop that answers.
        if (!pending || (details.statusCode >= 300 && details.statusCode < 400)) return;
        this.awaitingHeaders.delete(details.requestId);
        pending(details);
      },
      filter,
      ['responseHeaders'],
    );
    const forget = (details: { requestId: string }) => {
      this.origins.delete(details.requestId);
      this.awaitingHeaders.delete(details.requestId);
    };
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

  /** Whether `url` could be an image download we hash, judged without waiting. */
  private candidate(url: string): boolean {
    const name = fileNameFromUrl(url);
    if (name === undefined || !matchesImagePattern(this.deps.profile, name)) return false;
    const pool = this.deps.poolNow();
    // Pool not loaded yet (the event page just woke): filter now, decide with the pool below.
    return pool === undefined || sourcePrefixFor(this.deps.profile, pool, url) !== undefined;
  }

  private onBeforeRequest(details: WebRequest.OnBeforeRequestDetailsType): void {
    if (details.method !== 'GET' || !this.candidate(details.url)) return;
    // A redirect hop whose filter is still waiting: that filter follows the request.
    if (this.awaitingHeaders.has(details.requestId)) return;
    const origin = this.origins.get(details.requestId);
    const urls = origin && origin !== details.url ? [details.url, origin] : [details.url];
    const headers = new Promise<ResponseDetails>((resolve) => this.awaitingHeaders.set(details.requestId, resolve));
    this.attach(details.requestId, urls, headers);
  }

  /** How to hash this response, once the pool and any checkpoint are read from storage. */
  private async decide(headers: Promise<ResponseDetails>, urls: string[]): Promise<StreamStart> {
    const details = await headers;
    // The answering hop's URL (after redirects) names the file too.
    if (!urls.includes(details.url)) urls.unshift(details.url);
    const name = fileNameFromUrl(details.url);
    if (name === undefined || !matchesImagePattern(this.deps.profile, name)) return { kind: 'skip', reason: 'redirected to another file' };
    const pool = await this.deps.pool();
    if (sourcePrefixFor(this.deps.profile, pool, details.url) === undefined) return { kind: 'skip', reason: 'not a mirror URL' };
    let checkpoint;
    for (const url of urls) checkpoint ??= await this.deps.store.checkpoint(url);
    return decideStreamStart({ statusCode: details.statusCode, headers: details.responseHeaders ?? [] }, checkpoint);
  }

  private attach(requestId: string, urls: string[], headers: Promise<ResponseDetails>): void {
    const { store, engine } = this.deps;
    const filter = browser.webRequest.filterResponseData(requestId);
    let hashing: Hashing = { state: 'pending', chunks: [], bytes: 0 };
    let stopped: 'stop' | 'error' | undefined;
    let disconnected = false;
    let resolveDone: () => void = () => undefined;
    const session: Session = { done: new Promise<void>((resolve) => (resolveDone = resolve)) };
    for (const url of urls) this.active.set(url, session);

    const end = () => {
      this.awaitingHeaders.delete(requestId);
      for (const url of urls) if (this.active.get(url) === session) this.active.delete(url);
      resolveDone();
      this.deps.onSettled(urls);
    };

    const saveCheckpoint = () => {
      if (hashing.state !== 'hashing' || hashing.hash.offset === 0) return;
      const checkpoint = hashing.hash.checkpoint();
      for (const url of urls) void store.setCheckpoint(url, checkpoint).catch(() => undefined);
    };

    const hashChunk = (chunk: Uint8Array) => {
      if (hashing.state !== 'hashing') return;
      try {
        const h = hashing;
        h.hash.update(chunk);
        if (h.hash.offset - h.lastCheckpointAt >= DEFAULT_CHECKPOINT_EVERY) {
          h.lastCheckpointAt = h.hash.offset;
          saveCheckpoint();
        }
        const progress = h.tracker.due(h.hash.offset);
        if (progress) this.deps.onProgress(urls, progress);
      } catch (error) {
        hashing = { state: 'off' };
        console.warn('stream hashing failed', urls[0], errorInfo(error));
      }
    };

    /** The response ended: finish the hash (or keep a checkpoint when it ended early). */
    const finish = async () => {
      let result: StoredHashResult | undefined;
      if (hashing.state === 'hashing') {
        const { hash, expectedEnd } = hashing;
        if (stopped === 'error' || (expectedEnd !== undefined && hash.offset < expectedEnd)) {
          saveCheckpoint(); // paused or broken: a resume can continue from here
        } else {
          try {
            result = storeHashResult(hash.finish(), engine, urls[0]!, new Date().toISOString());
          } catch (error) {
            console.warn('stream hash could not be finished', urls[0], errorInfo(error));
          }
        }
      }
      if (result) {
        for (const url of urls) this.finished.set(url, result);
        for (const url of urls) {
          await store.setStreamHash(url, result).catch(() => undefined);
          await store.setCheckpoint(url, undefined).catch(() => undefined);
        }
      }
    };

    filter.ondata = (event) => {
      const chunk = new Uint8Array(event.data);
      if (hashing.state === 'hashing') {
        hashChunk(chunk);
      } else if (hashing.state === 'pending') {
        hashing.chunks.push(chunk.slice());
        hashing.bytes += chunk.length;
        if (hashing.bytes > MAX_PENDING_BYTES) hashing = { state: 'off' };
      }
      // The user's bytes pass through at once, whatever happens to the hash.
      filter.write(chunk);
    };

    filter.onstop = () => {
      stopped = 'stop';
      // Hold close() until a pending decision is made and the result recorded: the download
      // completes as soon as the stream is closed, and must then find its hash.
      void decided.then(finish).catch(() => undefined).finally(() => {
        if (disconnected) return;
        filter.close();
        end();
      });
    };

    filter.onerror = () => {
      stopped = 'error';
      console.info('download stream stopped', urls[0], filter.error);
      void decided.then(finish).catch(() => undefined).finally(() => {
        if (!disconnected) end();
      });
    };

    const decided = this.decide(headers, urls)
      .then(async (start) => {
        if (hashing.state !== 'pending') return;
        if (start.kind === 'skip') {
          console.info('not hashing response', urls[0], start.reason);
          hashing = { state: 'off' };
          if (stopped === undefined) {
            // Step aside: the rest of the response goes to the browser without passing through us.
            disconnected = true;
            try {
              filter.disconnect();
            } catch {
              /* already finished */
            }
            end();
          }
          return;
        }
        const hash = start.kind === 'resume' ? await IncrementalHash.resume(start.checkpoint, engine) : await IncrementalHash.create(['sha256', 'sha512'], engine);
        if (start.kind === 'fresh') {
          for (const url of urls) {
            this.finished.delete(url);
            await store.setStreamHash(url, undefined);
            await store.setCheckpoint(url, undefined);
          }
        }
        if (hashing.state !== 'pending') return; // gave up meanwhile (too much pending data)
        const pending = hashing.chunks;
        hashing = {
          state: 'hashing',
          hash,
          tracker: new ProgressTracker({ total: start.total, startOffset: hash.offset }),
          ...(start.total !== undefined ? { expectedEnd: start.total } : {}),
          lastCheckpointAt: hash.offset,
        };
        for (const chunk of pending) hashChunk(chunk);
      })
      .catch((error: unknown) => {
        hashing = { state: 'off' };
        console.warn('stream hashing not started', urls[0], errorInfo(error));
      });
  }
}
