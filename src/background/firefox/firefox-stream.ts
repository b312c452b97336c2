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
import { errorInfo } from '../../core/errors.js';
import { settled } from '../../core/settled.js';
import { IncrementalHash } from '../../core/hash/incremental-hash.js';
import { ProgressTracker } from '../../core/hash/progress.js';
import { DEFAULT_CHECKPOINT_EVERY } from '../../core/hash/stream-hash.js';
import type { HashEngine, HashProgress } from '../../core/hash/types.js';
import type { Profile } from '../../core/profile.js';
import type { Mirror } from '../../core/release/types.js';
import type { Browser, WebRequest } from '../../extension/browser-api.js';
import { fileNameFromUrl, matchesImagePattern, sourcePrefixFor } from '../../extension/download-match.js';
import type { StateStore } from '../state-store.js';
import {
  acceptStreamResult,
  checkpointForResume,
  filterDecision,
  parseBoundCheckpoint,
  parseBoundResult,
  parseExpectation,
  staleStreamRecords,
  type BoundCheckpoint,
  type BoundStreamResult,
  type DownloadFacts,
  type StreamAcceptance,
  type StreamExpectation,
} from './stream-binding.js';
import { decideStreamStart, type StreamStart } from './stream-start.js';
import { storeHashResult, type StoredHashResult } from '../stored-hash.js';

/** A rejection reported (not thrown): the user's download goes on whatever happens to our records. */
function warn(what: string): (error: unknown) => void {
  return (error) => console.warn(`ISO Verify: ${what}`, errorInfo(error));
}

/** Most bytes held while the hashing decision is pending; beyond it we give up hashing this response. */
export const MAX_PENDING_BYTES = 64 * 1024 * 1024;

/**
 * After a short response's last chunk, how long to let the bytes already written through the
 * filter reach the browser's file before pausing the download (the pause stops the file saver).
 */
export const SHORT_RESPONSE_SETTLE_MS = 300;

/** Content-Length of a response, when it is a plain decimal number. */
function announcedLength(details: ResponseDetails): number | undefined {
  const raw = details.responseHeaders?.find((h) => h.name.toLowerCase() === 'content-length')?.value;
  if (raw === undefined || !/^\s*\d{1,16}\s*$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Whether a response that stopped has fewer bytes than it announced: the connection broke.
 * Pure, so the rule is unit-tested.
 */
export function endedShort(passedBytes: number, announced: number | undefined): boolean {
  return announced !== undefined && passedBytes < announced;
}

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
  /** Clock and id source (tests). */
  now?(): number;
  newId?(): string;
}

interface Session {
  expectation: StreamExpectation;
  done: Promise<void>;
}

export interface StreamBrowser {
  webRequest: Pick<Browser['webRequest'], 'onBeforeRequest' | 'onHeadersReceived' | 'onCompleted' | 'onErrorOccurred' | 'filterResponseData'>;
  runtime: Pick<Browser['runtime'], 'getURL'>;
}

/** What the decision needs from onHeadersReceived. */
export type ResponseDetails = Pick<WebRequest.OnHeadersReceivedDetailsType, 'url' | 'statusCode' | 'responseHeaders'>;

type Hashing =
  | { state: 'pending'; chunks: Uint8Array[]; bytes: number }
  | { state: 'hashing'; hash: IncrementalHash; tracker: ProgressTracker; expectedEnd?: number; lastCheckpointAt: number }
  | { state: 'off' };

export class StreamHasher {
  /** Downloads we started or resumed, by expectation id (the authority for onBeforeRequest, which must decide synchronously). */
  private readonly expectations = new Map<string, StreamExpectation>();
  /** downloads.download()/resume() calls not yet returned: a completing download may wait for its binding. */
  private readonly pendingStarts = new Set<Promise<unknown>>();
  /** Sessions still receiving bytes, by expectation id. */
  private readonly active = new Map<string, Session>();
  /** Finished hashes by expectation id (also in storage). */
  private readonly finished = new Map<string, BoundStreamResult>();
  /** Filters waiting for their response headers, by request id (undefined: the request was redirected away). */
  private readonly awaitingHeaders = new Map<string, (details: ResponseDetails | undefined) => void>();
  /** The expectation each filtered request serves, by request id (a redirect hop keeps it). */
  private readonly requestExpectations = new Map<string, StreamExpectation>();
  /** Filtered requests that webRequest reported failed (onErrorOccurred): their download must not end as complete. */
  private readonly failedRequests = new Set<string>();
  private loaded: Promise<void> = Promise.resolve();

  constructor(private readonly deps: StreamHasherDeps) {}

  private get browser(): StreamBrowser {
    return this.deps.browser;
  }

  private now(): number {
    return this.deps.now ? this.deps.now() : Date.now();
  }

  private extensionBaseUrl(): string {
    return this.deps.extensionBaseUrl ?? this.browser.runtime.getURL('');
  }

  /** Register the webRequest listeners. Must run synchronously at background start-up. */
  register(): void {
    const filter = { urls: ['https://*/*', 'http://*/*'] };
    const { webRequest } = this.browser;
    webRequest.onBeforeRequest.addListener(
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
    webRequest.onHeadersReceived.addListener(
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
      // A filter still waiting for headers never gets any: let it decide (not to hash).
      this.awaitingHeaders.get(details.requestId)?.(undefined);
      this.awaitingHeaders.delete(details.requestId);
      this.requestExpectations.delete(details.requestId);
    };
    webRequest.onCompleted.addListener(forget, filter);
    webRequest.onErrorOccurred.addListener((details) => {
      if (this.requestExpectations.has(details.requestId)) this.failedRequests.add(details.requestId);
      forget(details);
    }, filter);
    // A restarted event page still knows the downloads it started (their requests arrive later).
    this.loaded = this.loadExpectations().catch((error: unknown) => console.warn('stream expectations not loaded', errorInfo(error)));
  }

  /**
   * Start a download whose request we hash: the expectation is recorded (memory and storage)
   * before `start` runs, and bound to the download id `start` returns.
   */
  async startDownload(url: string, start: () => Promise<number>): Promise<number> {
    // A stopped download of the same URL waiting for its resume would make this request
    // ambiguous (the two cannot be told apart): the new download wins, the old one's resume
    // is then checked by picking the file, as before it waited.
    await this.dropWaitingResumes((e) => e.urls.includes(url));
    return this.expectAndRun({ id: this.newId(), urls: [url], createdAt: this.now(), kind: 'start', claims: 0 }, async (expectation) => {
      const downloadId = await start();
      expectation.downloadId = downloadId;
      return downloadId;
    });
  }

  /** Resume download `downloadId`: its 206 may continue a checkpoint saved for the same download. */
  async resumeDownload(downloadId: number, urls: readonly string[], resume: () => Promise<void>): Promise<void> {
    // A waiting expectation of this download (expectBrowserResume) would make ours ambiguous: ours replaces it.
    await this.dropWaitingResumes((e) => e.downloadId === downloadId);
    const unique = [...new Set(urls)];
    return this.expectAndRun({ id: this.newId(), urls: unique, createdAt: this.now(), kind: 'resume', downloadId, claims: 0, standing: true }, () => resume());
  }

  /**
   * Download `downloadId` of ours stopped (interrupted or paused): expect its resume, whoever
   * starts it — the browser's Resume/Retry in the downloads panel restarts the same download
   * without an event before its request, so the expectation must already stand. A 206 from
   * exactly the checkpoint continues the hash, anything else is not hashed (decide()).
   */
  async expectBrowserResume(downloadId: number, urls: readonly string[]): Promise<void> {
    await this.loaded;
    const waiting = [...this.expectations.values()].some((e) => e.downloadId === downloadId && e.kind === 'resume' && e.claims === 0);
    if (waiting) return;
    const expectation: StreamExpectation = { id: this.newId(), urls: [...new Set(urls)], createdAt: this.now(), kind: 'resume', downloadId, claims: 0, standing: true };
    this.expectations.set(expectation.id, expectation);
    await this.persist(expectation);
  }

  private async dropWaitingResumes(which: (e: StreamExpectation) => boolean): Promise<void> {
    await this.loaded;
    const ids = [...this.expectations.values()].filter((e) => e.kind === 'resume' && e.claims === 0 && which(e)).map((e) => e.id);
    if (ids.length === 0) return;
    for (const id of ids) this.expectations.delete(id);
    await this.deps.store.removeStreamRecords({ expectations: ids });
  }

  private expectAndRun<T>(expectation: StreamExpectation, run: (expectation: StreamExpectation) => Promise<T>): Promise<T> {
    this.expectations.set(expectation.id, expectation);
    const started = (async () => {
      await this.persist(expectation);
      try {
        const value = await run(expectation);
        await this.persist(expectation);
        return value;
      } catch (error) {
        this.expectations.delete(expectation.id);
        await this.deps.store.removeStreamRecords({ expectations: [expectation.id] }).catch(warn('expectation of a failed start not removed'));
        throw error;
      }
    })();
    this.pendingStarts.add(started);
    // The caller gets the rejection; this only keeps the list of starts in flight.
    void settled(started).then(() => this.pendingStarts.delete(started));
    return started;
  }

  /**
   * The stream hash download `download` may use (acceptStreamResult), after any start still
   * returning its id and any session bound to this download have finished.
   */
  async resultFor(download: DownloadFacts): Promise<StreamAcceptance> {
    await this.loaded;
    await Promise.allSettled([...this.pendingStarts]);
    const bound = (await this.allExpectations()).filter((e) => e.downloadId === download.downloadId);
    for (const e of bound) await this.active.get(e.id)?.done;
    const stored = await this.deps.store.streamRecords('results');
    const results: BoundStreamResult[] = [];
    for (const e of bound) {
      const hit = this.finished.get(e.id) ?? parseBoundResult(stored[e.id]);
      if (hit) results.push(hit);
    }
    // Read the expectations again: a late second request may have made one ambiguous meanwhile.
    return acceptStreamResult(download, await this.allExpectations(), results);
  }

  /** Delete every record of download `downloadId` (its verdict is stored, or it is forgotten). */
  async forgetDownload(downloadId: number): Promise<void> {
    await this.loaded;
    const ids = (await this.allExpectations()).filter((e) => e.downloadId === downloadId && !this.active.has(e.id)).map((e) => e.id);
    if (ids.length === 0) return;
    for (const id of ids) {
      this.expectations.delete(id);
      this.finished.delete(id);
    }
    await this.deps.store.removeStreamRecords({ expectations: ids, results: ids, checkpoints: ids });
  }

  /** Start-up: drop records too old or no longer usable (stream-binding.ts staleStreamRecords). */
  async purgeStale(): Promise<void> {
    await this.loaded;
    const { store } = this.deps;
    const stale = staleStreamRecords(
      {
        expectations: await store.streamRecords('expectations'),
        results: await store.streamRecords('results'),
        checkpoints: await store.streamRecords('checkpoints'),
      },
      this.now(),
    );
    const busy = (id: string) => this.active.has(id);
    const drop = {
      expectations: stale.expectations.filter((id) => !busy(id)),
      results: stale.results.filter((id) => !busy(id)),
      checkpoints: stale.checkpoints.filter((id) => !busy(id)),
    };
    for (const id of drop.expectations) this.expectations.delete(id);
    for (const id of drop.results) this.finished.delete(id);
    await store.removeStreamRecords(drop);
  }

  /** Whether a response of browser download `downloadId` is being hashed right now (its bytes are reported from here). */
  isHashing(downloadId: number): boolean {
    for (const session of this.active.values()) if (session.expectation.downloadId === downloadId) return true;
    return false;
  }

  /** The download id an expectation is bound to, once the download()/resume() call that binds it has returned. */
  private async boundDownloadId(expectation: StreamExpectation): Promise<number | undefined> {
    if (expectation.downloadId === undefined) await Promise.allSettled([...this.pendingStarts]);
    return expectation.downloadId;
  }

  private newId(): string {
    return this.deps.newId ? this.deps.newId() : crypto.randomUUID();
  }

  private persist(expectation: StreamExpectation): Promise<void> {
    // Only while it is still ours: a forgotten expectation is not written back.
    if (this.expectations.get(expectation.id) !== expectation) return Promise.resolve();
    return this.deps.store.setStreamRecord('expectations', expectation.id, { ...expectation, urls: [...expectation.urls] });
  }

  private async loadExpectations(): Promise<void> {
    for (const value of Object.values(await this.deps.store.streamRecords('expectations'))) {
      const e = parseExpectation(value);
      if (e && !this.expectations.has(e.id)) this.expectations.set(e.id, e);
    }
  }

  /** Memory first (it holds the newest claims), then what only storage knows. */
  private async allExpectations(): Promise<StreamExpectation[]> {
    const all = new Map(this.expectations);
    for (const value of Object.values(await this.deps.store.streamRecords('expectations'))) {
      const e = parseExpectation(value);
      if (e && !all.has(e.id)) all.set(e.id, e);
    }
    return [...all.values()];
  }

  private onBeforeRequest(details: WebRequest.OnBeforeRequestDetailsType): void {
    // A redirect hop of a request we filter: Firefox disconnects a filter at every redirect.
    const followed = this.requestExpectations.get(details.requestId);
    if (followed) {
      this.followRedirect(details, followed);
      return;
    }
    const decision = filterDecision(this.expectations.values(), details, this.now(), this.extensionBaseUrl());
    if (!decision.filter) {
      for (const id of decision.ambiguous) {
        const e = this.expectations.get(id);
        if (!e) continue;
        e.claims += 1;
        console.warn('download request ambiguous, its stream hash will not be used', details.url, decision.reason);
        void this.persist(e).catch(warn('ambiguous claim not stored'));
      }
      return;
    }
    const { expectation } = decision;
    expectation.claims = 1;
    void this.persist(expectation).catch(warn('claim not stored'));
    this.requestExpectations.set(details.requestId, expectation);
    this.attachFilter(details.requestId, expectation, details.url);
  }

  private attachFilter(requestId: string, expectation: StreamExpectation, url: string): void {
    let resolver: (details: ResponseDetails | undefined) => void = () => undefined;
    const headers = new Promise<ResponseDetails | undefined>((resolve) => (resolver = resolve));
    this.awaitingHeaders.set(requestId, resolver);
    this.attach(requestId, expectation, url, this.now(), headers, resolver);
  }

  /**
   * A request we filter is redirected. Within the pool (another mirror, same image name) the
   * new hop gets a new filter under the same expectation, so the hash is kept; anywhere else
   * the request is left alone and the file is checked afterwards (read or picked).
   */
  private followRedirect(details: WebRequest.OnBeforeRequestDetailsType, expectation: StreamExpectation): void {
    const previous = this.awaitingHeaders.get(details.requestId);
    // The old filter will never see a response: let it end without a hash.
    this.awaitingHeaders.delete(details.requestId);
    previous?.(undefined);
    const pool = this.deps.poolNow();
    const name = fileNameFromUrl(details.url);
    const inPool = pool !== undefined && sourcePrefixFor(this.deps.profile, pool, details.url) !== undefined;
    if (!inPool || name === undefined || !matchesImagePattern(this.deps.profile, name)) {
      this.requestExpectations.delete(details.requestId);
      console.info('not following a redirect outside the pool', details.url);
      return;
    }
    if (!expectation.urls.includes(details.url)) expectation.urls.push(details.url);
    void this.persist(expectation).catch(warn('redirect not stored'));
    this.attachFilter(details.requestId, expectation, details.url);
  }

  /** How to hash this response, once the pool and any checkpoint are read from storage. */
  private async decide(headers: Promise<ResponseDetails | undefined>, expectation: StreamExpectation, urls: string[]): Promise<{ start: StreamStart; resumed?: string }> {
    const details = await headers;
    if (!details) return { start: { kind: 'skip', reason: 'no response (redirected away or failed)' } };
    // The answering hop's URL (after redirects) names the file too.
    if (!urls.includes(details.url)) urls.unshift(details.url);
    const name = fileNameFromUrl(details.url);
    if (name === undefined || !matchesImagePattern(this.deps.profile, name)) return { start: { kind: 'skip', reason: 'redirected to another file' } };
    const pool = await this.deps.pool();
    if (sourcePrefixFor(this.deps.profile, pool, details.url) === undefined) return { start: { kind: 'skip', reason: 'not a mirror URL' } };
    const response = { statusCode: details.statusCode, headers: details.responseHeaders ?? [] };
    if (expectation.kind === 'start') {
      // A new download starts at byte 0: a 206 here could only continue someone else's hash.
      return { start: decideStreamStart(response, undefined) };
    }
    if (details.statusCode !== 206) return { start: { kind: 'skip', reason: `resumed download answered with HTTP ${details.statusCode}` } };
    const checkpoints: BoundCheckpoint[] = [];
    for (const value of Object.values(await this.deps.store.streamRecords('checkpoints'))) {
      const c = parseBoundCheckpoint(value);
      if (c && c.expectationId !== expectation.id) checkpoints.push(c);
    }
    const saved = expectation.downloadId === undefined ? undefined : checkpointForResume(expectation.downloadId, await this.allExpectations(), checkpoints);
    const start = decideStreamStart(response, saved?.checkpoint);
    return start.kind === 'resume' && saved ? { start, resumed: saved.expectationId } : { start };
  }

  /** Pause download `downloadId` after its response ended short, so it stays resumable (see pauseDownload). */
  private async keepResumable(expectation: StreamExpectation): Promise<void> {
    const pause = this.deps.pauseDownload;
    if (!pause) return;
    const downloadId = await this.boundDownloadId(expectation);
    if (downloadId === undefined) return;
    await new Promise((resolve) => setTimeout(resolve, SHORT_RESPONSE_SETTLE_MS));
    await pause(downloadId).catch(warn('short download not paused'));
  }

  private attach(
    requestId: string,
    expectation: StreamExpectation,
    requestUrl: string,
    startedAt: number,
    headers: Promise<ResponseDetails | undefined>,
    resolver: (details: ResponseDetails | undefined) => void,
  ): void {
    const { store, engine } = this.deps;
    const key = expectation.id;
    const urls = [requestUrl];
    const filter = this.browser.webRequest.filterResponseData(requestId);
    let hashing: Hashing = { state: 'pending', chunks: [], bytes: 0 };
    let stopped: 'stop' | 'error' | undefined;
    let disconnected = false;
    /** Bytes passed through to the browser, and what the response announced (Content-Length). */
    let passed = 0;
    let announced: number | undefined;
    let answered = false;
    void headers.then((details) => {
      if (!details) return;
      answered = true;
      announced = announcedLength(details);
    });
    let resolveDone: () => void = () => undefined;
    const session: Session = { expectation, done: new Promise<void>((resolve) => (resolveDone = resolve)) };
    this.active.set(key, session);

    const end = () => {
      this.failedRequests.delete(requestId);
      // A redirect hop may have its own filter under this request id by now: remove only ours.
      if (this.awaitingHeaders.get(requestId) === resolver) this.awaitingHeaders.delete(requestId);
      if (this.active.get(key) === session) this.active.delete(key);
      resolveDone();
      void this.boundDownloadId(expectation).then((downloadId) => {
        if (downloadId !== undefined) this.deps.onSettled(downloadId);
      });
    };

    const saveCheckpoint = () => {
      if (hashing.state !== 'hashing' || hashing.hash.offset === 0) return;
      const saved: BoundCheckpoint = { expectationId: key, savedAt: this.now(), checkpoint: hashing.hash.checkpoint() };
      void store.setStreamRecord('checkpoints', key, saved).catch(warn('checkpoint not stored: a resume will hash from the start'));
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
        // Before downloads.download() has returned the id there is no download to report to yet.
        if (progress && expectation.downloadId !== undefined) this.deps.onProgress(expectation.downloadId, progress);
      } catch (error) {
        hashing = { state: 'off' };
        console.warn('stream hashing failed', requestUrl, errorInfo(error));
      }
    };

    /** The response ended: finish the hash (or keep a checkpoint when it ended early). */
    const finish = async () => {
      let result: StoredHashResult | undefined;
      if (hashing.state === 'hashing') {
        const { hash, expectedEnd } = hashing;
        if (stopped === 'error' || (expectedEnd !== undefined && hash.offset < expectedEnd)) {
          saveCheckpoint(); // paused or broken: a resume of this download can continue from here
        } else {
          try {
            result = storeHashResult(hash.finish(), engine, urls[0]!, new Date(this.now()).toISOString());
          } catch (error) {
            console.warn('stream hash could not be finished', requestUrl, errorInfo(error));
          }
        }
      }
      if (result) {
        const bound: BoundStreamResult = { expectationId: key, sessionStartedAt: startedAt, result };
        this.finished.set(key, bound);
        // Kept in memory too: this background can still use it; a restarted one falls back to reading or picking the file.
        await store.setStreamRecord('results', key, bound).catch(warn('stream hash not stored'));
        await store.setStreamRecord('checkpoints', key, undefined).catch(warn('used checkpoint not removed'));
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
      passed += chunk.length;
    };

    filter.onstop = () => {
      stopped = 'stop';
      // Hold close() until a pending decision is made and the result recorded: the download
      // completes as soon as the stream is closed, and must then find its hash. A response
      // that ended short is paused first: close() alone would end it as complete.
      void decided
        .then(finish)
        .catch(warn('stream hash not finished'))
        .then(() => {
          // Broken: fewer bytes than announced, no response at all, or Firefox said the request failed.
          const broken = endedShort(passed, announced) || !answered || this.failedRequests.has(requestId);
          return !disconnected && broken ? this.keepResumable(expectation) : undefined;
        })
        .finally(() => {
          if (disconnected) return;
          filter.close();
          end();
        });
    };

    filter.onerror = () => {
      stopped = 'error';
      console.info('download stream stopped', requestUrl, filter.error);
      void decided.then(finish).catch(warn('stream hash not finished')).finally(() => {
        if (!disconnected) end();
      });
    };

    const decided = this.decide(headers, expectation, urls)
      .then(async ({ start, resumed }) => {
        if (hashing.state !== 'pending') return;
        if (start.kind === 'skip') {
          console.info('not hashing response', requestUrl, start.reason);
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
        // The checkpoint continued here is used up: this session saves its own from now on.
        if (resumed !== undefined) await store.removeStreamRecords({ checkpoints: [resumed] });
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
        console.warn('stream hashing not started', requestUrl, errorInfo(error));
      });
  }
}
