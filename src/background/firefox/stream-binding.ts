/**
 * Firefox: which responses get a StreamFilter, and which finished stream hash a download may
 * use. Pure, so the rules (and the attacks they stop) are unit-tested.
 *
 * Why: a hash taken from another response for the same URL — a page's fetch(mirrorUrl), a
 * second download, a stale result — must never stand in for the bytes the browser saved.
 * So only a request the extension itself started (downloads.download / downloads.resume) is
 * filtered: before starting one, the background records an *expectation* (a random id, the
 * URL, the time); a request matches it only when Firefox says it came from no tab (tabId -1),
 * with type 'other', on behalf of the extension's own document. Measured in Firefox ESR 153
 * (both download() and resume()): tabId -1, type "other", documentUrl moz-extension://<uuid>/,
 * no originUrl; a page's fetch has its tab's id and type "xmlhttprequest". Every record
 * (finished hash, checkpoint) is keyed by the expectation id, which is bound to the browser's
 * download id once download() returns it. Anything ambiguous — a second matching request,
 * two downloads of one URL started together, no binding — yields no usable hash: the user
 * then picks the file on the verify page (fail closed).
 */
import { isObject, isWholeCount } from '../../core/guards.js';
import type { HashCheckpoint } from '../../core/hash/types.js';
import type { StoredHashResult } from '../stored-hash.js';

/** How long after downloads.download()/resume() the browser's request may arrive. */
export const EXPECTATION_START_MS = 2 * 60 * 1000;
/** Stream records older than this are purged at start-up, whatever became of their download. */
export const STREAM_RECORD_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** A finished hash must come from a request that began after the download (clock rounding). */
export const START_TIME_TOLERANCE_MS = 1000;
/** webRequest `type` of a request made by downloads.download() and downloads.resume() (measured). */
export const DOWNLOAD_REQUEST_TYPE = 'other';

export interface StreamExpectation {
  /** Random, unique: the key of every record this download's filter writes. */
  id: string;
  /** URLs the browser's first request may have (download(): its URL; resume(): url and finalUrl). */
  urls: string[];
  /** ms since the epoch, taken before the download was started. */
  createdAt: number;
  /** 'resume' hashes only a 206 that continues a checkpoint of the same download. */
  kind: 'start' | 'resume';
  /** The browser's download id, once downloads.download() returned it (resume: from the start). */
  downloadId?: number;
  /** Matching requests seen: the first got the filter; any further one makes the binding ambiguous. */
  claims: number;
  /**
   * Open until its request comes, not only EXPECTATION_START_MS: a download of ours that is
   * interrupted or paused waits for a resume — the popup's, or the browser's own Resume/Retry
   * in the downloads panel, which restarts the same download without telling us first.
   */
  standing?: boolean;
}

/** What onBeforeRequest tells about a request (webRequest.OnBeforeRequestDetailsType). */
export interface RequestFacts {
  url: string;
  method: string;
  tabId: number;
  type: string;
  originUrl?: string;
  documentUrl?: string;
}

/** Finished stream hash as stored: bound to an expectation and to when its request began. */
export interface BoundStreamResult {
  expectationId: string;
  /** ms since the epoch when the request reached onBeforeRequest. */
  sessionStartedAt: number;
  result: StoredHashResult;
}

/** A partial hash saved when a response stopped early, bound like a result. */
export interface BoundCheckpoint {
  expectationId: string;
  savedAt: number;
  checkpoint: HashCheckpoint;
}

/** Whether Firefox reports the request as one the extension's own downloads API made. */
export function isExtensionDownloadRequest(request: RequestFacts, extensionBaseUrl: string): boolean {
  if (request.method !== 'GET') return false;
  // A page (or an extension page) in a tab: never a download we started.
  if (request.tabId !== -1) return false;
  if (request.type !== DOWNLOAD_REQUEST_TYPE) return false;
  // A site's service worker also has no tab: it is told apart by the document it acts for.
  if (request.originUrl !== undefined && !request.originUrl.startsWith(extensionBaseUrl)) return false;
  return request.documentUrl !== undefined && request.documentUrl.startsWith(extensionBaseUrl);
}

function isOpen(expectation: StreamExpectation, now: number): boolean {
  if (now < expectation.createdAt) return false;
  return (
    now - expectation.createdAt <= EXPECTATION_START_MS || (expectation.standing === true && expectation.claims === 0)
  );
}

export type FilterDecision =
  /** Filter this request; it is the one download `expectation` waits for. */
  | { filter: true; expectation: StreamExpectation }
  /** Leave it alone; `ambiguous` lists expectations this request makes unusable. */
  | { filter: false; reason: string; ambiguous: string[] };

/**
 * Which request gets a filter. Exactly one open (unexpired) expectation for the URL, not yet
 * claimed, and a request shaped like the extension's own download: filter it. A request of
 * that shape for a URL whose expectation is already claimed (or with two open expectations,
 * so we cannot tell which download it is) makes those expectations ambiguous. A resume's
 * expectation may coexist with claimed ones of the same download id (an early interruption).
 */
export function filterDecision(
  expectations: Iterable<StreamExpectation>,
  request: RequestFacts,
  now: number,
  extensionBaseUrl: string,
): FilterDecision {
  if (!isExtensionDownloadRequest(request, extensionBaseUrl))
    return { filter: false, reason: 'not a request of our downloads API', ambiguous: [] };
  const open = [...expectations].filter((e) => isOpen(e, now) && e.urls.includes(request.url));
  if (open.length === 0) return { filter: false, reason: 'no download of ours expects this URL', ambiguous: [] };
  const waiting = open.filter((e) => e.claims === 0);
  const [only] = waiting;
  // A resume supersedes the earlier request of the same download (it ended: that is why we resume).
  const supersedes = (e: StreamExpectation) =>
    e === only || (only?.kind === 'resume' && e.downloadId === only.downloadId);
  if (waiting.length === 1 && only && open.every(supersedes)) return { filter: true, expectation: only };
  return {
    filter: false,
    reason: open.length > 1 ? 'several downloads of ours expect this URL' : 'the expected request was already seen',
    ambiguous: open.map((e) => e.id),
  };
}

export interface DownloadFacts {
  downloadId: number;
  /** The browser's DownloadItem.startTime in ms (undefined when the browser gave none). */
  startedAt?: number;
  /** Size of the file on disk; undefined when unknown. */
  fileSize?: number;
}

export type StreamAcceptance =
  | { kind: 'accept'; result: StoredHashResult }
  /** No stream hash was taken for this download. */
  | { kind: 'none' }
  /** A hash exists but cannot be trusted to be this file's. */
  | { kind: 'reject'; reason: string };

/**
 * Which stream hash a completed download may use: the single result bound (through its
 * expectation) to this download id, from a request that began after the download and the
 * expectation, covering exactly the bytes on disk. Anything else is not accepted.
 */
export function acceptStreamResult(
  download: DownloadFacts,
  expectations: Iterable<StreamExpectation>,
  results: Iterable<BoundStreamResult>,
): StreamAcceptance {
  const bound = new Map<string, StreamExpectation>();
  for (const e of expectations) if (e.downloadId === download.downloadId) bound.set(e.id, e);
  const mine = [...results].filter((r) => bound.has(r.expectationId));
  if (mine.length === 0) return { kind: 'none' };
  if ([...bound.values()].some((e) => e.claims > 1))
    return { kind: 'reject', reason: 'more than one request claimed this download' };
  if (mine.length > 1) return { kind: 'reject', reason: `${mine.length} stream hashes for one download` };
  const [hit] = mine;
  const expectation = hit && bound.get(hit.expectationId);
  if (!hit || !expectation) return { kind: 'none' };
  if (hit.sessionStartedAt < expectation.createdAt)
    return { kind: 'reject', reason: 'hash began before its download was requested' };
  if (download.startedAt !== undefined && hit.sessionStartedAt < download.startedAt - START_TIME_TOLERANCE_MS) {
    return { kind: 'reject', reason: 'hash began before the download started' };
  }
  if (download.fileSize === undefined || hit.result.bytes !== download.fileSize) {
    return {
      kind: 'reject',
      reason: `hash covers ${hit.result.bytes} bytes, file has ${download.fileSize ?? 'unknown'}`,
    };
  }
  return { kind: 'accept', result: hit.result };
}

/**
 * The checkpoint a resumed download may continue: the one saved for this same download id
 * (there must be exactly one). decideStreamStart then also requires the 206 to start at its offset.
 */
export function checkpointForResume(
  downloadId: number,
  expectations: Iterable<StreamExpectation>,
  checkpoints: Iterable<BoundCheckpoint>,
): BoundCheckpoint | undefined {
  const bound = new Set<string>();
  for (const e of expectations) if (e.downloadId === downloadId) bound.add(e.id);
  const mine = [...checkpoints].filter((c) => bound.has(c.expectationId));
  return mine.length === 1 ? mine[0] : undefined;
}

// ---- storage values (storage can hold anything: validate before use) --------------------

export function parseExpectation(value: unknown): StreamExpectation | undefined {
  if (!isObject(value)) return undefined;
  const { id, urls, createdAt, kind, downloadId, claims, standing } = value;
  if (typeof id !== 'string' || !Array.isArray(urls) || !urls.every((u) => typeof u === 'string')) return undefined;
  if (!isWholeCount(createdAt) || (kind !== 'start' && kind !== 'resume') || !isWholeCount(claims)) return undefined;
  if (downloadId !== undefined && !isWholeCount(downloadId)) return undefined;
  if (standing !== undefined && (standing !== true || kind !== 'resume' || downloadId === undefined)) return undefined;
  const out: StreamExpectation = { id, urls: [...(urls as string[])], createdAt, kind, claims };
  if (downloadId !== undefined) out.downloadId = downloadId;
  if (standing === true) out.standing = true;
  return out;
}

export function parseBoundResult(value: unknown): BoundStreamResult | undefined {
  if (!isObject(value)) return undefined;
  const { expectationId, sessionStartedAt, result } = value;
  if (typeof expectationId !== 'string' || !isWholeCount(sessionStartedAt) || !isObject(result)) return undefined;
  // The hash itself is validated when loaded (loadHashResult).
  if (typeof result.bytes !== 'number') return undefined;
  return { expectationId, sessionStartedAt, result: result as unknown as StoredHashResult };
}

export function parseBoundCheckpoint(value: unknown): BoundCheckpoint | undefined {
  if (!isObject(value)) return undefined;
  const { expectationId, savedAt, checkpoint } = value;
  if (
    typeof expectationId !== 'string' ||
    !isWholeCount(savedAt) ||
    !isObject(checkpoint) ||
    !isWholeCount(checkpoint.offset)
  )
    return undefined;
  return { expectationId, savedAt, checkpoint: checkpoint as unknown as HashCheckpoint };
}

export interface StreamRecords {
  expectations: Record<string, unknown>;
  results: Record<string, unknown>;
  checkpoints: Record<string, unknown>;
}

/**
 * Keys of the stream records to delete at start-up: malformed ones; expectations older than
 * the maximum age, or past their start window without a request or a download id (nothing can
 * use them any more); results and checkpoints whose expectation is gone or that are too old.
 */
export function staleStreamRecords(
  records: StreamRecords,
  now: number,
): { expectations: string[]; results: string[]; checkpoints: string[] } {
  const kept = new Set<string>();
  const expectations: string[] = [];
  for (const [key, value] of Object.entries(records.expectations)) {
    const e = parseExpectation(value);
    const tooOld = !e || now - e.createdAt > STREAM_RECORD_MAX_AGE_MS || e.createdAt > now;
    const unusable = e !== undefined && !isOpen(e, now) && (e.claims === 0 || e.downloadId === undefined);
    if (!e || e.id !== key || tooOld || unusable) expectations.push(key);
    else kept.add(key);
  }
  const results = Object.entries(records.results)
    .filter(([key, value]) => {
      const r = parseBoundResult(value);
      return !r || r.expectationId !== key || !kept.has(key) || now - r.sessionStartedAt > STREAM_RECORD_MAX_AGE_MS;
    })
    .map(([key]) => key);
  const checkpoints = Object.entries(records.checkpoints)
    .filter(([key, value]) => {
      const c = parseBoundCheckpoint(value);
      return !c || c.expectationId !== key || !kept.has(key) || now - c.savedAt > STREAM_RECORD_MAX_AGE_MS;
    })
    .map(([key]) => key);
  return { expectations, results, checkpoints };
}
