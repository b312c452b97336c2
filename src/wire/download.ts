/**
 * A tracked download: what the background keeps about one image the browser downloads, as a
 * union keyed by phase. Each phase carries only its own fields (a verdict only when `done`,
 * an error only where one can explain the phase), and records change phase only through the
 * transition functions below, so the rules live here once. Records are stored one per
 * storage key (src/extension/storage.ts) and read back through `parseTrackedDownload`.
 */
import { ERROR_CODES, type ErrorInfo } from '../core/errors.js';
import type { HashProgress } from '../core/hash/types.js';
import type { ReproStatus } from '../core/repro/types.js';
import type { Verdict } from '../core/verdict.js';
import { isCount, isObject, isString } from './guards.js';
import { parseVerdict } from './verdict-schema.js';

/**
 * A finished hash kept with a verdict that lacked release data (stream-hash form: byte count,
 * digests, saved states), so the verdict can be decided again without reading the file again.
 */
export interface KeptHash {
  engine: string;
  bytes: number;
  digests: Record<string, string>;
  states: Record<string, string>;
  url: string;
  finishedAt: string;
}

/** Automatic attempts to decide again a verdict that lacked release data. */
export interface RedecideSchedule {
  attempts: number;
  /** ISO-8601: when the next attempt is due. */
  nextAt: string;
}

export type DownloadPhase =
  | 'downloading' // bytes arriving (Firefox hashes them as they pass)
  | 'hashing' // reading the finished file
  | 'awaiting-file' // the person must pick the file on the verify page
  | 'verifying' // hashing done, checking against release data
  | 'done' // verdict available
  | 'failed' // an error stopped the check; retry may help
  | 'interrupted' // the browser's download was interrupted; resumable
  | 'cancelled';

/** Every phase, checked complete by the compiler. */
export const DOWNLOAD_PHASES: readonly DownloadPhase[] = Object.keys({
  downloading: 1,
  hashing: 1,
  'awaiting-file': 1,
  verifying: 1,
  done: 1,
  failed: 1,
  interrupted: 1,
  cancelled: 1,
} satisfies Record<DownloadPhase, 1>) as DownloadPhase[];

/** How the bytes were (or will be) hashed: while downloading (Firefox), from file:// (Chrome), or by the verify page. */
export type HashSource = 'stream' | 'file' | 'page';

/** What every phase knows about the download itself. */
export interface DownloadFacts {
  /** Our key: `dl-<browser download id>`. */
  id: string;
  downloadId: number;
  url: string;
  finalUrl: string;
  /** Base name of the file, e.g. tails-amd64-7.2.img. */
  fileName: string;
  /** Full local path when the browser told us. */
  localPath?: string;
  /** Mirror URL prefix the download came from. */
  mirror: string;
  startedAt: string;
  updatedAt: string;
  receivedBytes: number;
  totalBytes?: number;
  hashSource: HashSource;
  /** False when the download came from a server outside the profile's mirror pool (and not the official site). */
  inPool?: boolean;
  /** The browser's own answer: can this download be resumed (DownloadItem.canResume)? */
  canResume?: boolean;
  /** Firefox: set when this download replaced one the browser started (src/extension/takeover.ts). */
  takeover?: TakeoverNote;
  /**
   * Chrome: bytes hashed while the browser was still writing the file, so only the rest was
   * read at completion (src/background/chromium/growing-file.ts).
   */
  hashedAhead?: number;
  /**
   * Made in a private window (DownloadItem.incognito): the record lives only in session
   * storage, never on disk (src/extension/downloads-store.ts).
   */
  private?: true;
}

/**
 * What became of a download the browser started by itself (another page, a typed URL, the
 * downloads panel), for the popup to say: `restarted` — cancelled and started again by the
 * extension (browser download `from`), so it is hashed while it arrives; `not-restarted` —
 * left to the browser (or, when restarting failed after the cancel, started again without the
 * hash), with the reason.
 */
export type TakeoverNote = { kind: 'restarted'; from: number } | { kind: 'not-restarted'; error: ErrorInfo };

export type TrackedDownload =
  | (DownloadFacts & { phase: 'downloading'; progress?: HashProgress })
  | (DownloadFacts & { phase: 'hashing'; progress?: HashProgress })
  /** `error` says why the extension could not hash the file itself, when something failed. */
  | (DownloadFacts & { phase: 'awaiting-file'; error?: ErrorInfo })
  | (DownloadFacts & { phase: 'verifying' })
  /**
   * `alternativeUrl`: after a mismatch, the same file on another mirror of the pool.
   * `hash` and `redecide`: kept only while the verdict lacked release data (needsReleaseData).
   */
  | (DownloadFacts & {
      phase: 'done';
      verdict: Verdict;
      repro?: ReproStatus;
      alternativeUrl?: string;
      hash?: KeptHash;
      redecide?: RedecideSchedule;
    })
  | (DownloadFacts & { phase: 'failed'; error: ErrorInfo })
  | (DownloadFacts & { phase: 'interrupted' })
  | (DownloadFacts & { phase: 'cancelled'; error?: ErrorInfo });

export type DownloadIn<P extends DownloadPhase> = Extract<TrackedDownload, { phase: P }>;

/** The browser's download states (downloads.State). */
export type BrowserDownloadState = 'in_progress' | 'interrupted' | 'complete';

/* ---------- phase rules ---------- */

/** Phases in which the background still has work to do for a download. */
export function isActive(phase: DownloadPhase): boolean {
  return phase === 'downloading' || phase === 'hashing' || phase === 'verifying';
}

/** Phases that end our work; a browser event must not move a download out of them by itself. */
export function isSettled(phase: DownloadPhase): boolean {
  return phase === 'done' || phase === 'failed' || phase === 'cancelled';
}

/**
 * Whether a 'resume-download' request can work: interrupted, or a verdict of too few bytes,
 * and the browser did not say it cannot resume (a download it considers complete never can).
 */
export function canResumeDownload(tracked: TrackedDownload): boolean {
  if (tracked.canResume === false) return false;
  return (
    tracked.phase === 'interrupted' ||
    (tracked.phase === 'done' && tracked.verdict.kind === 'incomplete' && tracked.canResume === true)
  );
}

/**
 * Whether to offer downloading the file again (this or another pool mirror): the bytes are
 * short or broken and resuming cannot help.
 */
export function canDownloadAgain(tracked: TrackedDownload): boolean {
  if (canResumeDownload(tracked)) return false;
  if (tracked.phase === 'interrupted') return true;
  // (After a mismatch the verdict itself links the file on another mirror.)
  return tracked.phase === 'done' && tracked.verdict.kind === 'incomplete';
}

/**
 * A verdict decided without the release data (the official site could not be reached): it
 * may be decided again from the kept hash once the data can be had, and be replaced.
 */
export function needsReleaseData(verdict: Verdict): boolean {
  return verdict.kind === 'unverifiable' && verdict.reason === 'offline';
}

/** Whether 'retry' can restart work for this download (anything but one still in flight). */
export function canRetry(tracked: Pick<TrackedDownload, 'phase'>): boolean {
  return tracked.phase !== 'hashing' && tracked.phase !== 'verifying';
}

/** The verdict of a download, where it has one (only `done` does). */
export function verdictOf(d: TrackedDownload): Verdict | undefined {
  return d.phase === 'done' ? d.verdict : undefined;
}

/** The error that explains a download's phase, where there is one. */
export function errorOf(d: TrackedDownload): ErrorInfo | undefined {
  return d.phase === 'failed' || d.phase === 'awaiting-file' || d.phase === 'cancelled' ? d.error : undefined;
}

/** The message key that names a phase (public/_locales). */
export function phaseKey(phase: DownloadPhase): string {
  return `phase_${phase.replace(/-/g, '_')}`;
}

/**
 * Phase after the browser reports a download state. `error` is the browser's interrupt reason
 * (USER_CANCELED / USER_CANCELLED means the person gave up: we stop too). Undefined: no change.
 * A completed download is not decided here: the completion plan chooses how it is hashed.
 */
export function phaseForDownloadState(
  current: DownloadPhase,
  state: BrowserDownloadState,
  error?: string,
): 'downloading' | 'interrupted' | 'cancelled' | undefined {
  if (isSettled(current)) return undefined;
  if (state === 'in_progress') return current === 'interrupted' ? 'downloading' : undefined;
  if (state === 'interrupted') {
    if (error === 'USER_CANCELED' || error === 'USER_CANCELLED') return 'cancelled';
    return current === 'downloading' ? 'interrupted' : undefined;
  }
  return undefined;
}

/* ---------- transitions: each builds the new record from the facts, so no stale field survives ---------- */

function factsOf(d: TrackedDownload, at: string): DownloadFacts {
  const facts: DownloadFacts = {
    id: d.id,
    downloadId: d.downloadId,
    url: d.url,
    finalUrl: d.finalUrl,
    fileName: d.fileName,
    mirror: d.mirror,
    startedAt: d.startedAt,
    updatedAt: at,
    receivedBytes: d.receivedBytes,
    hashSource: d.hashSource,
  };
  if (d.localPath !== undefined) facts.localPath = d.localPath;
  if (d.totalBytes !== undefined) facts.totalBytes = d.totalBytes;
  if (d.inPool !== undefined) facts.inPool = d.inPool;
  if (d.canResume !== undefined) facts.canResume = d.canResume;
  if (d.takeover !== undefined) facts.takeover = d.takeover;
  if (d.hashedAhead !== undefined) facts.hashedAhead = d.hashedAhead;
  return facts;
}

/** The record with what became of the browser's own download (the phase stays). */
export function withTakeover<D extends TrackedDownload>(d: D, takeover: TakeoverNote, at: string): D {
  return { ...d, takeover, updatedAt: at };
}

/** Facts the browser reports about the download itself; the phase stays. */
export interface FactsUpdate {
  localPath?: string;
  receivedBytes?: number;
  totalBytes?: number;
  hashSource?: HashSource;
  canResume?: boolean;
  hashedAhead?: number;
}

export function withFacts<D extends TrackedDownload>(d: D, update: FactsUpdate, at: string): D {
  const next = { ...d, updatedAt: at };
  if (update.localPath) next.localPath = update.localPath;
  if (update.receivedBytes !== undefined && update.receivedBytes >= 0) next.receivedBytes = update.receivedBytes;
  if (update.totalBytes !== undefined && update.totalBytes > 0) next.totalBytes = update.totalBytes;
  if (update.hashSource !== undefined) next.hashSource = update.hashSource;
  if (update.canResume !== undefined) next.canResume = update.canResume;
  if (update.hashedAhead !== undefined && update.hashedAhead >= 0) next.hashedAhead = update.hashedAhead;
  return next;
}

/** Progress of bytes arriving (downloading) or being read (hashing); other phases ignore it. */
export function withProgress(d: TrackedDownload, progress: HashProgress, at: string): TrackedDownload {
  if (d.phase === 'downloading') {
    const next: TrackedDownload = { ...factsOf(d, at), phase: 'downloading', progress, receivedBytes: progress.bytes };
    if (progress.total !== undefined && progress.total > 0) next.totalBytes = progress.total;
    return next;
  }
  if (d.phase === 'hashing') return { ...factsOf(d, at), phase: 'hashing', progress };
  return d;
}

export const toDownloading = (d: TrackedDownload, at: string): TrackedDownload => ({
  ...factsOf(d, at),
  phase: 'downloading',
});
export const toInterrupted = (d: TrackedDownload, at: string): TrackedDownload => ({
  ...factsOf(d, at),
  phase: 'interrupted',
});
export const toHashing = (d: TrackedDownload, at: string): TrackedDownload => ({
  ...factsOf(d, at),
  phase: 'hashing',
  hashSource: 'file',
});
export const toVerifying = (d: TrackedDownload, at: string): TrackedDownload => ({
  ...factsOf(d, at),
  phase: 'verifying',
});
export const toFailed = (d: TrackedDownload, error: ErrorInfo, at: string): TrackedDownload => ({
  ...factsOf(d, at),
  phase: 'failed',
  error,
});

export function toAwaitingFile(d: TrackedDownload, error: ErrorInfo | undefined, at: string): TrackedDownload {
  return { ...factsOf(d, at), phase: 'awaiting-file', hashSource: 'page', ...(error ? { error } : {}) };
}

export function toCancelled(d: TrackedDownload, error: ErrorInfo | undefined, at: string): TrackedDownload {
  return { ...factsOf(d, at), phase: 'cancelled', ...(error ? { error } : {}) };
}

export function toDone(
  d: TrackedDownload,
  verdict: Verdict,
  extras: {
    repro?: ReproStatus;
    alternativeUrl?: string | undefined;
    hash?: KeptHash | undefined;
    redecide?: RedecideSchedule | undefined;
  },
  at: string,
): TrackedDownload {
  const next: TrackedDownload = { ...factsOf(d, at), phase: 'done', verdict };
  if (extras.repro) next.repro = extras.repro;
  if (extras.alternativeUrl) next.alternativeUrl = extras.alternativeUrl;
  // The hash is kept only while it may still be needed: for a verdict that lacked release data.
  if (extras.hash && needsReleaseData(verdict)) {
    next.hash = extras.hash;
    if (extras.redecide) next.redecide = extras.redecide;
  }
  return next;
}

/** Reproducibility arrives after the verdict: only a `done` record takes it. */
export function withRepro(d: TrackedDownload, repro: ReproStatus, at: string): TrackedDownload {
  return d.phase === 'done' ? { ...d, repro, updatedAt: at } : d;
}

/**
 * The phase a browser state leads to, applied; the record unchanged when the phase stays.
 * `paused`: Firefox reports a paused download as interrupted with USER_CANCELED; it keeps its
 * partial data and can be resumed, so it is interrupted, not cancelled.
 */
export function withBrowserState(
  d: TrackedDownload,
  state: BrowserDownloadState,
  error: string | undefined,
  at: string,
  paused = false,
): TrackedDownload {
  const phase = phaseForDownloadState(d.phase, state, paused ? undefined : error);
  if (phase === 'downloading') return toDownloading(d, at);
  if (phase === 'interrupted') return toInterrupted(d, at);
  if (phase === 'cancelled') return toCancelled(d, undefined, at);
  return d;
}

/* ---------- the one parser of stored records ---------- */

const ID_RE = /^dl-\d{1,15}$/;

/** A progress record, or undefined when it is not one. */
export function parseProgress(value: unknown): HashProgress | undefined {
  if (!isObject(value) || !isCount(value.bytes) || !isCount(value.rate)) return undefined;
  const progress: HashProgress = { bytes: value.bytes, rate: value.rate };
  if (value.total !== undefined) {
    if (!isCount(value.total)) return undefined;
    progress.total = value.total;
  }
  if (value.etaSeconds !== undefined) {
    if (!isCount(value.etaSeconds)) return undefined;
    progress.etaSeconds = value.etaSeconds;
  }
  return progress;
}

/** An ErrorInfo with a known code (detail capped), or undefined. */
export function parseErrorInfo(value: unknown): ErrorInfo | undefined {
  if (!isObject(value) || !(ERROR_CODES as readonly unknown[]).includes(value.code)) return undefined;
  const info: ErrorInfo = { code: value.code as ErrorInfo['code'] };
  if (isString(value.detail)) info.detail = value.detail.slice(0, 1000);
  return info;
}

/** A stored takeover note, or undefined when it is not one. */
export function parseTakeoverNote(value: unknown): TakeoverNote | undefined {
  if (!isObject(value)) return undefined;
  if (value.kind === 'restarted')
    return Number.isSafeInteger(value.from) && (value.from as number) >= 0
      ? { kind: 'restarted', from: value.from as number }
      : undefined;
  if (value.kind === 'not-restarted') {
    const error = parseErrorInfo(value.error);
    return error ? { kind: 'not-restarted', error } : undefined;
  }
  return undefined;
}

/** The shape check of a reproducer status read from storage or received from the background. */
export function parseRepro(value: unknown): ReproStatus | undefined {
  return isObject(value) &&
    isString(value.fileName) &&
    Array.isArray(value.rebuilders) &&
    typeof value.met === 'boolean'
    ? (value as unknown as ReproStatus)
    : undefined;
}

const isStringRecord = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every(isString);

/** A kept hash (its states are checked again when restored), or undefined. */
export function parseKeptHash(value: unknown): KeptHash | undefined {
  if (
    !isObject(value) ||
    !isString(value.engine) ||
    !isCount(value.bytes) ||
    !isString(value.url) ||
    !isString(value.finishedAt)
  )
    return undefined;
  if (!isStringRecord(value.digests) || !isStringRecord(value.states)) return undefined;
  return {
    engine: value.engine,
    bytes: value.bytes,
    digests: { ...value.digests },
    states: { ...value.states },
    url: value.url,
    finishedAt: value.finishedAt,
  };
}

function parseRedecide(value: unknown): RedecideSchedule | undefined {
  if (
    !isObject(value) ||
    !isCount(value.attempts) ||
    !isString(value.nextAt) ||
    !Number.isFinite(Date.parse(value.nextAt))
  )
    return undefined;
  return { attempts: value.attempts, nextAt: value.nextAt };
}

function verdictOrUndefined(value: unknown): Verdict | undefined {
  try {
    return parseVerdict(value);
  } catch {
    return undefined;
  }
}

/**
 * A stored record as a TrackedDownload, or undefined when it is not one. Records written by
 * earlier versions (a `done` without a verdict but with an error) read as `failed`.
 */
export function parseTrackedDownload(value: unknown): TrackedDownload | undefined {
  if (!isObject(value)) return undefined;
  const { id, downloadId, url, finalUrl, fileName, mirror, startedAt, updatedAt, receivedBytes } = value;
  if (!isString(id) || !ID_RE.test(id) || !Number.isSafeInteger(downloadId) || (downloadId as number) < 0)
    return undefined;
  if (!isString(url) || !isString(fileName) || fileName === '' || !isString(startedAt) || !isString(updatedAt))
    return undefined;
  const hashSource =
    value.hashSource === 'stream' || value.hashSource === 'file' || value.hashSource === 'page'
      ? value.hashSource
      : 'page';
  const facts: DownloadFacts = {
    id,
    downloadId: downloadId as number,
    url,
    finalUrl: isString(finalUrl) ? finalUrl : url,
    fileName,
    mirror: isString(mirror) ? mirror : '',
    startedAt,
    updatedAt,
    receivedBytes: isCount(receivedBytes) ? receivedBytes : 0,
    hashSource,
  };
  if (isString(value.localPath) && value.localPath !== '') facts.localPath = value.localPath;
  if (isCount(value.totalBytes) && value.totalBytes > 0) facts.totalBytes = value.totalBytes;
  if (typeof value.inPool === 'boolean') facts.inPool = value.inPool;
  if (typeof value.canResume === 'boolean') facts.canResume = value.canResume;
  const takeover = parseTakeoverNote(value.takeover);
  if (takeover) facts.takeover = takeover;
  if (isCount(value.hashedAhead)) facts.hashedAhead = value.hashedAhead;
  if (value.private === true) facts.private = true;
  const progress = parseProgress(value.progress);
  const error = parseErrorInfo(value.error);
  switch (value.phase) {
    case 'downloading':
    case 'hashing':
      return { ...facts, phase: value.phase, ...(progress ? { progress } : {}) };
    case 'verifying':
    case 'interrupted':
      return { ...facts, phase: value.phase };
    case 'awaiting-file':
    case 'cancelled':
      return { ...facts, phase: value.phase, ...(error ? { error } : {}) };
    case 'failed':
      return error ? { ...facts, phase: 'failed', error } : undefined;
    case 'done': {
      const verdict = verdictOrUndefined(value.verdict);
      if (!verdict) return error ? { ...facts, phase: 'failed', error } : undefined;
      const repro = parseRepro(value.repro);
      const done: TrackedDownload = { ...facts, phase: 'done', verdict };
      if (repro) done.repro = repro;
      if (isString(value.alternativeUrl) && value.alternativeUrl !== '') done.alternativeUrl = value.alternativeUrl;
      const hash = parseKeptHash(value.hash);
      if (hash && needsReleaseData(verdict)) {
        done.hash = hash;
        const redecide = parseRedecide(value.redecide);
        if (redecide) done.redecide = redecide;
      }
      return done;
    }
    default:
      return undefined;
  }
}
