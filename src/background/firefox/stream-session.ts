/**
 * Firefox stream hashing, part 3 of 3: one filtered response's session. Its StreamFilter passes
 * every chunk through unchanged (filter.write) and into an IncrementalHash. How to hash — fresh,
 * resume from a stored checkpoint, or not at all — is decided once onHeadersReceived has given
 * the status and Content-Range and storage has been read; chunks that arrive before the decision
 * are written through at once and kept to be hashed when it is made; past HOLD_BACK_AT_BYTES
 * the response is held back (suspended) until then, so a slow decision on a busy machine
 * never costs the hash. A response that is not hashed gets its filter disconnected (or, when
 * it was held back, passes through), so the rest flows past untouched. Checkpoints every
 * 64 MiB (and when a response stops early) let a downloads.resume() of the same download (206
 * from exactly that offset) continue the hash; a finished hash is stored under the
 * expectation's id (stream-expectations.ts).
 */
import { errorInfo } from '../../core/errors.js';
import { IncrementalHash } from '../../core/hash/incremental-hash.js';
import { ProgressTracker } from '../../core/hash/progress.js';
import { DEFAULT_CHECKPOINT_EVERY } from '../../core/hash/stream-hash.js';
import type { HashEngine, HashProgress } from '../../core/hash/types.js';
import type { Profile } from '../../core/profile.js';
import type { Mirror } from '../../core/release/types.js';
import { fileNameFromUrl, matchesImagePattern, sourcePrefixFor } from '../../extension/download-match.js';
import type { StateStore } from '../state-store.js';
import { storeHashResult, type StoredHashResult } from '../stored-hash.js';
import {
  checkpointForResume,
  parseBoundCheckpoint,
  type BoundCheckpoint,
  type BoundStreamResult,
  type StreamExpectation,
} from './stream-binding.js';
import type { StreamExpectations } from './stream-expectations.js';
import type { FilteredRequest, ResponseDetails, StreamBrowser } from './stream-routing.js';
import type { WebRequest } from '../../extension/browser-api.js';
import { decideStreamStart, type StreamStart } from './stream-start.js';
import { log, logWarning } from '../../extension/log.js';

/**
 * Pending bytes at which the response is held back (StreamFilter.suspend) until the hashing
 * decision is made. On a busy machine the decision (headers, pool, storage, the hash's set-up)
 * can take seconds while a fast mirror delivers tens of MiB: without holding back, the pending
 * bytes outgrew the cap and the download lost its stream hash (the person then had to pick
 * the file).
 */
export const HOLD_BACK_AT_BYTES = 8 * 1024 * 1024;

/**
 * Longest the decision is waited for once something waits on it (a held response, or the
 * response's end, whose close() waits for the result): then the response goes on unhashed.
 * Whatever happens in storage, the person's download never stalls.
 */
export const DECISION_TIMEOUT_MS = 30_000;

/** Most bytes kept while the decision is pending (should holding back fail); beyond it we give up hashing this response. */
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

export interface StreamSessionDeps {
  profile: Profile;
  engine: HashEngine;
  store: StateStore;
  browser: Pick<StreamBrowser, 'webRequest'>;
  expectations: StreamExpectations;
  /** The cached pool, loading it from storage if needed (no network). */
  pool(): Promise<Mirror[]>;
  /** Progress of the hash of browser download `downloadId` (throttled by the caller). */
  onProgress(downloadId: number, progress: HashProgress): void;
  /** Pause browser download `downloadId` (StreamHasherDeps.pauseDownload). */
  pauseDownload?(downloadId: number): Promise<void>;
  /** Whether webRequest reported the request failed (stream-routing.ts). */
  requestFailed(requestId: string): boolean;
  /** The session ended (its bytes are all through, or it stepped aside): drop what routes to it. */
  ended(session: StreamSession): void;
  /** The stream hash of browser download `downloadId` finished (or failed): it may now complete. */
  onSettled(downloadId: number): void;
  now(): number;
}

/** What holding a response back needs of its filter. */
type Holdable = Pick<WebRequest.StreamFilter, 'suspend' | 'resume'>;

type Hashing =
  | { state: 'pending'; chunks: Uint8Array[]; bytes: number }
  | {
      state: 'hashing';
      hash: IncrementalHash;
      tracker: ProgressTracker;
      expectedEnd?: number;
      lastCheckpointAt: number;
    }
  | { state: 'off' };

export class StreamSession {
  readonly expectation: StreamExpectation;
  /** Settles when the session has ended (its result, if any, is recorded by then). */
  readonly done: Promise<void>;
  private resolveDone: () => void = () => undefined;
  private hashing: Hashing = { state: 'pending', chunks: [], bytes: 0 };
  private stopped: 'stop' | 'error' | undefined;
  private disconnected = false;
  /** The response is held back (suspended) until the decision. */
  private held = false;
  private holdTried = false;
  /** The timer that gives up waiting for the decision (DECISION_TIMEOUT_MS), once started. */
  private deadline: ReturnType<typeof setTimeout> | undefined;
  private giveUp: () => void = () => undefined;
  /** Settles when the decision was given up. */
  private readonly givenUp = new Promise<void>((resolve) => (this.giveUp = resolve));
  private decisionMade = false;
  /** Bytes passed through to the browser, and what the response announced (Content-Length). */
  private passed = 0;
  private announced: number | undefined;
  private answered = false;
  /** The response's URLs, the answering hop's first. */
  private readonly urls: string[];

  constructor(
    private readonly deps: StreamSessionDeps,
    private readonly request: FilteredRequest,
  ) {
    this.expectation = request.expectation;
    this.urls = [request.url];
    this.done = new Promise<void>((resolve) => (this.resolveDone = resolve));
  }

  /** Attach the filter (synchronously: onBeforeRequest is still running) and start deciding. */
  start(): void {
    const { requestId, headers } = this.request;
    const filter = this.deps.browser.webRequest.filterResponseData(requestId);
    void headers.then((details) => {
      if (!details) return;
      this.answered = true;
      this.announced = announcedLength(details);
    });

    filter.ondata = (event) => {
      const chunk = new Uint8Array(event.data);
      const hashing = this.hashing;
      if (hashing.state === 'hashing') {
        this.hashChunk(chunk);
      } else if (hashing.state === 'pending') {
        hashing.chunks.push(chunk.slice());
        hashing.bytes += chunk.length;
        if (hashing.bytes > MAX_PENDING_BYTES) this.hashing = { state: 'off' };
        else if (hashing.bytes >= HOLD_BACK_AT_BYTES) this.holdBack(filter, decided);
      }
      // The user's bytes pass through at once, whatever happens to the hash.
      filter.write(chunk);
      this.passed += chunk.length;
    };

    filter.onstop = () => {
      this.stopped = 'stop';
      // Hold close() until a pending decision is made and the result recorded: the download
      // completes as soon as the stream is closed, and must then find its hash. A response
      // that ended short is paused first: close() alone would end it as complete.
      void this.decisionOrTimeout(decided, filter)
        .then(() => this.finish())
        .catch(logWarning('stream hash not finished'))
        .then(() => {
          // Broken: fewer bytes than announced, no response at all, or Firefox said the request failed.
          const broken =
            endedShort(this.passed, this.announced) || !this.answered || this.deps.requestFailed(requestId);
          return !this.disconnected && broken ? this.keepResumable() : undefined;
        })
        .finally(() => {
          if (this.disconnected) return;
          filter.close();
          this.end();
        });
    };

    filter.onerror = () => {
      this.stopped = 'error';
      log.info('download stream stopped', this.request.url, filter.error);
      void this.decisionOrTimeout(decided, filter)
        .then(() => this.finish())
        .catch(logWarning('stream hash not finished'))
        .finally(() => {
          if (!this.disconnected) this.end();
        });
    };

    const decided = this.decide()
      .then(async ({ start, resumed }) => {
        if (this.hashing.state !== 'pending') return;
        if (start.kind === 'skip') {
          log.info('not hashing response', this.request.url, start.reason);
          this.hashing = { state: 'off' };
          // A held response only passes through from here on (letGo below): Firefox may refuse
          // a disconnect while it resumes, and its close() or our end() must still come at the stop.
          if (this.stopped === undefined && !this.held) {
            // Step aside: the rest of the response goes to the browser without passing through us.
            this.disconnected = true;
            try {
              filter.disconnect();
            } catch {
              /* already finished */
            }
            this.end();
          }
          return;
        }
        const { engine, store } = this.deps;
        const hash =
          start.kind === 'resume'
            ? await IncrementalHash.resume(start.checkpoint, engine)
            : await IncrementalHash.create(['sha256', 'sha512'], engine);
        // The checkpoint continued here is used up: this session saves its own from now on.
        if (resumed !== undefined) await store.removeStreamRecords({ checkpoints: [resumed] });
        const hashing = this.hashing;
        if (hashing.state !== 'pending') return; // gave up meanwhile (too much pending data)
        const pending = hashing.chunks;
        this.hashing = {
          state: 'hashing',
          hash,
          tracker: new ProgressTracker({ total: start.total, startOffset: hash.offset }),
          ...(start.total !== undefined ? { expectedEnd: start.total } : {}),
          lastCheckpointAt: hash.offset,
        };
        for (const chunk of pending) this.hashChunk(chunk);
      })
      .catch((error: unknown) => {
        this.hashing = { state: 'off' };
        log.warn('stream hashing not started', this.request.url, errorInfo(error));
      })
      // The decision is made (or hashing is off): a held response goes on.
      .finally(() => {
        this.decisionMade = true;
        clearTimeout(this.deadline);
        this.letGo(filter);
      });
  }

  /** The decision, or its timeout (started now, at most once): the response must never wait for ever. */
  private decisionOrTimeout(decided: Promise<void>, filter: Holdable): Promise<void> {
    if (this.decisionMade) return decided;
    this.deadline ??= setTimeout(() => {
      if (this.hashing.state === 'pending') {
        log.warn('hashing decision too slow: the response goes on unhashed', this.request.url);
        this.hashing = { state: 'off' };
      }
      this.giveUp();
      this.letGo(filter);
    }, DECISION_TIMEOUT_MS);
    return Promise.race([decided, this.givenUp]);
  }

  /**
   * Hold the response back while the decision is pending (once per session): Firefox keeps the
   * data that arrives meanwhile and delivers it on resume(). Should suspend() fail, chunks are
   * kept up to MAX_PENDING_BYTES as before.
   */
  private holdBack(filter: Holdable, decided: Promise<void>): void {
    if (this.holdTried) return;
    this.holdTried = true;
    try {
      filter.suspend();
    } catch (error) {
      log.warn('response not held back while deciding', this.request.url, errorInfo(error));
      return;
    }
    this.held = true;
    void this.decisionOrTimeout(decided, filter);
  }

  /**
   * Let a held response go on. Called only once the hashing state is final: Firefox delivers
   * the data it kept from within resume(), so ondata runs again before this returns.
   */
  private letGo(filter: Holdable): void {
    if (!this.held) return;
    this.held = false;
    try {
      filter.resume();
    } catch (error) {
      // The response already ended or failed: nothing left to deliver.
      log.info('held response not resumed', this.request.url, errorInfo(error));
    }
  }

  private end(): void {
    this.deps.ended(this);
    this.resolveDone();
    void this.deps.expectations.boundDownloadId(this.expectation).then((downloadId) => {
      if (downloadId !== undefined) this.deps.onSettled(downloadId);
    });
  }

  private saveCheckpoint(): void {
    const hashing = this.hashing;
    if (hashing.state !== 'hashing' || hashing.hash.offset === 0) return;
    const key = this.expectation.id;
    const saved: BoundCheckpoint = {
      expectationId: key,
      savedAt: this.deps.now(),
      checkpoint: hashing.hash.checkpoint(),
    };
    void this.deps.store
      .setStreamRecord('checkpoints', key, saved)
      .catch(logWarning('checkpoint not stored: a resume will hash from the start'));
  }

  private hashChunk(chunk: Uint8Array): void {
    const h = this.hashing;
    if (h.state !== 'hashing') return;
    try {
      h.hash.update(chunk);
      if (h.hash.offset - h.lastCheckpointAt >= DEFAULT_CHECKPOINT_EVERY) {
        h.lastCheckpointAt = h.hash.offset;
        this.saveCheckpoint();
      }
      const progress = h.tracker.due(h.hash.offset);
      // Before downloads.download() has returned the id there is no download to report to yet.
      if (progress && this.expectation.downloadId !== undefined)
        this.deps.onProgress(this.expectation.downloadId, progress);
    } catch (error) {
      this.hashing = { state: 'off' };
      log.warn('stream hashing failed', this.request.url, errorInfo(error));
    }
  }

  /** The response ended: finish the hash (or keep a checkpoint when it ended early). */
  private async finish(): Promise<void> {
    const { store, engine } = this.deps;
    const key = this.expectation.id;
    let result: StoredHashResult | undefined;
    const hashing = this.hashing;
    if (hashing.state === 'hashing') {
      const { hash, expectedEnd } = hashing;
      if (this.stopped === 'error' || (expectedEnd !== undefined && hash.offset < expectedEnd)) {
        this.saveCheckpoint(); // paused or broken: a resume of this download can continue from here
      } else {
        try {
          result = storeHashResult(hash.finish(), engine, this.urls[0]!, new Date(this.deps.now()).toISOString());
        } catch (error) {
          log.warn('stream hash could not be finished', this.request.url, errorInfo(error));
        }
      }
    }
    if (result) {
      const bound: BoundStreamResult = { expectationId: key, sessionStartedAt: this.request.startedAt, result };
      this.deps.expectations.recordResult(bound);
      // Kept in memory too: this background can still use it; a restarted one falls back to reading or picking the file.
      await store.setStreamRecord('results', key, bound).catch(logWarning('stream hash not stored'));
      await store.setStreamRecord('checkpoints', key, undefined).catch(logWarning('used checkpoint not removed'));
    }
  }

  /** How to hash this response, once the pool and any checkpoint are read from storage. */
  private async decide(): Promise<{ start: StreamStart; resumed?: string }> {
    const { profile, store, expectations } = this.deps;
    const { expectation } = this;
    const urls = this.urls;
    const details = await this.request.headers;
    if (!details) return { start: { kind: 'skip', reason: 'no response (redirected away or failed)' } };
    // The answering hop's URL (after redirects) names the file too.
    if (!urls.includes(details.url)) urls.unshift(details.url);
    const name = fileNameFromUrl(details.url);
    if (name === undefined || !matchesImagePattern(profile, name))
      return { start: { kind: 'skip', reason: 'redirected to another file' } };
    const pool = await this.deps.pool();
    if (sourcePrefixFor(profile, pool, details.url) === undefined)
      return { start: { kind: 'skip', reason: 'not a mirror URL' } };
    const response = { statusCode: details.statusCode, headers: details.responseHeaders ?? [] };
    if (expectation.kind === 'start') {
      // A new download starts at byte 0: a 206 here could only continue someone else's hash.
      return { start: decideStreamStart(response, undefined) };
    }
    if (details.statusCode !== 206)
      return { start: { kind: 'skip', reason: `resumed download answered with HTTP ${details.statusCode}` } };
    const checkpoints: BoundCheckpoint[] = [];
    for (const value of Object.values(await store.streamRecords('checkpoints'))) {
      const c = parseBoundCheckpoint(value);
      if (c && c.expectationId !== expectation.id) checkpoints.push(c);
    }
    const saved =
      expectation.downloadId === undefined
        ? undefined
        : checkpointForResume(expectation.downloadId, await expectations.all(), checkpoints);
    const start = decideStreamStart(response, saved?.checkpoint);
    return start.kind === 'resume' && saved ? { start, resumed: saved.expectationId } : { start };
  }

  /** Pause the download after its response ended short, so it stays resumable (see pauseDownload). */
  private async keepResumable(): Promise<void> {
    const pause = this.deps.pauseDownload;
    if (!pause) return;
    const downloadId = await this.deps.expectations.boundDownloadId(this.expectation);
    if (downloadId === undefined) return;
    await new Promise((resolve) => setTimeout(resolve, SHORT_RESPONSE_SETTLE_MS));
    await pause(downloadId).catch(logWarning('short download not paused'));
  }
}
