/**
 * The bridge between the official site's page and the extension's content script
 * (src/site/bridge.ts), over `window.postMessage` on a named channel.
 *
 * The page may ask for exactly four things: `hello` (is the extension there), `status` (the
 * newest download of the current release and its verdict: what the widget shows), `verify-file` (a File the user picked, verified by the
 * extension with ITS OWN profile and pinned key) and `cancel` (stop that verification). A
 * request is plain data with a fixed set of fields per type: anything else — an unknown type,
 * an extra field such as a hash, key, fingerprint or URL, a wrong type — makes the whole
 * message invalid, and invalid messages are ignored without an answer.
 *
 * Pure and free of extension APIs: the widget (page side) and the content script both use it.
 */
import type { ErrorInfo } from '../core/errors.js';
import type { HashProgress } from '../core/hash/types.js';
import type { ImageType, Verdict, VerdictKind } from '../core/verdict.js';
import { exitStatusFor, VERDICT_KINDS } from '../core/verdict.js';
import { maxVersion } from '../core/version.js';
import { parseErrorInfo, parseProgress, type DownloadPhase, type TrackedDownload } from './download.js';
import { hasExactly, isCount, isFile, isPlainObject } from './guards.js';
import { isVerdict } from './verdict-schema.js';

export const BRIDGE_CHANNEL = 'iso-verify/v1';

/** Request ids are echoed back; short tokens only. */
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export type PageRequestType = 'hello' | 'status' | 'verify-file' | 'cancel';

interface RequestBase {
  channel: typeof BRIDGE_CHANNEL;
  direction: 'to-extension';
  id: string;
}

export type PageRequest =
  | (RequestBase & { type: 'hello' })
  /** Ask for the newest download of the current release; the answer is sent again whenever it changes. */
  | (RequestBase & { type: 'status' })
  | (RequestBase & { type: 'verify-file'; file: File })
  /** Stop the verify-file request with this id. */
  | (RequestBase & { type: 'cancel' });

/** The fields each request type may carry: nothing more, nothing less. */
const REQUEST_FIELDS: Record<PageRequestType, readonly string[]> = {
  hello: ['channel', 'direction', 'id', 'type'],
  status: ['channel', 'direction', 'id', 'type'],
  'verify-file': ['channel', 'direction', 'id', 'type', 'file'],
  cancel: ['channel', 'direction', 'id', 'type'],
};

/**
 * The phases a page may see. A failed check shows as `done` without a verdict, as it did
 * before `failed` was a phase of its own, so widgets built earlier keep understanding it.
 */
export type PagePhase = Exclude<DownloadPhase, 'failed'>;

/**
 * The one download the page may see: exactly what the widget shows in its line (file name,
 * phase, percent, verdict) — no paths, URLs, mirror, hashes, times or other downloads.
 */
export interface DownloadSummary {
  fileName: string;
  phase: PagePhase;
  /** 0–100 while downloading or hashing, when known. */
  percent?: number;
  verdict?: VerdictSummary;
}

/**
 * The one-line facts of a verdict: its kind, and for `verified` the release and signature
 * date the widget names ("Tails 7.2, USB image (IMG), signed 18 Nov 2025").
 */
export interface VerdictSummary {
  kind: VerdictKind;
  /**
   * Set when a not-verified verdict rests on a signed fact (exit 1: red). Absent, a page shows
   * no red: unsigned data alone never makes a file bad (#20).
   */
  proven?: true;
  product?: string;
  version?: string;
  type?: ImageType;
  signatureTime?: string;
}

export interface HelloInfo {
  extension: 'iso-verify';
  version: string;
  profile: string;
  product: string;
}

interface ReplyBase {
  channel: typeof BRIDGE_CHANNEL;
  direction: 'to-page';
  id: string;
}

export type ExtensionReply =
  | (ReplyBase & { type: 'hello' } & HelloInfo)
  | (ReplyBase & { type: 'status'; downloads: DownloadSummary[] })
  | (ReplyBase & { type: 'progress'; progress: HashProgress })
  | (ReplyBase & { type: 'verdict'; verdict: Verdict })
  | (ReplyBase & { type: 'error'; error: ErrorInfo });

/**
 * A valid page request, or undefined. Used by the content script on every message from the
 * page; anything that is not exactly one of the four requests is dropped.
 */
export function parsePageRequest(data: unknown): PageRequest | undefined {
  if (!isPlainObject(data)) return undefined;
  if (data.channel !== BRIDGE_CHANNEL || data.direction !== 'to-extension') return undefined;
  const type = data.type;
  if (typeof type !== 'string' || !Object.hasOwn(REQUEST_FIELDS, type)) return undefined;
  if (!hasExactly(data, REQUEST_FIELDS[type as PageRequestType])) return undefined;
  if (typeof data.id !== 'string' || !ID_RE.test(data.id)) return undefined;
  const base: RequestBase = { channel: BRIDGE_CHANNEL, direction: 'to-extension', id: data.id };
  switch (type as PageRequestType) {
    case 'hello':
      return { ...base, type: 'hello' };
    case 'status':
      return { ...base, type: 'status' };
    case 'cancel':
      return { ...base, type: 'cancel' };
    case 'verify-file':
      return isFile(data.file) ? { ...base, type: 'verify-file', file: data.file } : undefined;
  }
}

/** Build a request (page side). */
export function pageRequest(type: 'hello' | 'status' | 'cancel', id: string): PageRequest;
export function pageRequest(type: 'verify-file', id: string, file: File): PageRequest;
export function pageRequest(type: PageRequestType, id: string, file?: File): PageRequest {
  const base: RequestBase = { channel: BRIDGE_CHANNEL, direction: 'to-extension', id };
  return type === 'verify-file' ? { ...base, type, file: file! } : { ...base, type };
}

export function reply<T extends ExtensionReply['type']>(
  id: string,
  type: T,
  body: Omit<Extract<ExtensionReply, { type: T }>, 'channel' | 'direction' | 'id' | 'type'>,
): ExtensionReply {
  return { channel: BRIDGE_CHANNEL, direction: 'to-page', id, type, ...body } as unknown as ExtensionReply;
}

/* ---------- page side: checking what comes back ---------- */

const PAGE_PHASES: readonly PagePhase[] = [
  'downloading',
  'hashing',
  'awaiting-file',
  'verifying',
  'done',
  'interrupted',
  'cancelled',
];
/** The extension sends at most one; a longer list is not from it. */
const MAX_DOWNLOADS = 1;

function isShortString(value: unknown, max = 256): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

function readSummary(value: unknown): VerdictSummary | undefined {
  if (!isPlainObject(value) || !(VERDICT_KINDS as readonly unknown[]).includes(value.kind)) return undefined;
  const summary: VerdictSummary = { kind: value.kind as VerdictKind };
  for (const key of ['product', 'version', 'signatureTime'] as const) {
    if (isShortString(value[key])) summary[key] = value[key] as string;
  }
  if (value.type === 'iso' || value.type === 'img') summary.type = value.type;
  if (value.proven === true && summary.kind !== 'verified') summary.proven = true;
  return summary;
}

function readDownload(value: unknown): DownloadSummary | undefined {
  if (!isPlainObject(value) || !isShortString(value.fileName) || !PAGE_PHASES.includes(value.phase as PagePhase))
    return undefined;
  const summary: DownloadSummary = { fileName: value.fileName, phase: value.phase as PagePhase };
  if (isCount(value.percent) && value.percent <= 100) summary.percent = value.percent;
  if (value.verdict !== undefined) {
    const verdict = readSummary(value.verdict);
    if (!verdict) return undefined;
    summary.verdict = verdict;
  }
  return summary;
}

/**
 * A valid reply from the content script, or undefined. The widget calls it only for messages
 * whose origin is its own page and whose source is its own window.
 */
export function parseExtensionReply(data: unknown): ExtensionReply | undefined {
  if (!isPlainObject(data)) return undefined;
  if (data.channel !== BRIDGE_CHANNEL || data.direction !== 'to-page') return undefined;
  if (typeof data.id !== 'string' || !ID_RE.test(data.id)) return undefined;
  const id = data.id;
  switch (data.type) {
    case 'hello':
      if (
        data.extension !== 'iso-verify' ||
        !isShortString(data.version, 64) ||
        !isShortString(data.profile, 64) ||
        !isShortString(data.product, 128)
      ) {
        return undefined;
      }
      return reply(id, 'hello', {
        extension: 'iso-verify',
        version: data.version,
        profile: data.profile,
        product: data.product,
      });
    case 'status': {
      if (!Array.isArray(data.downloads) || data.downloads.length > MAX_DOWNLOADS) return undefined;
      const downloads = data.downloads.map(readDownload);
      if (downloads.some((d) => d === undefined)) return undefined;
      return reply(id, 'status', { downloads: downloads as DownloadSummary[] });
    }
    case 'progress': {
      const progress = parseProgress(data.progress);
      return progress ? reply(id, 'progress', { progress }) : undefined;
    }
    case 'verdict':
      return isVerdict(data.verdict) ? reply(id, 'verdict', { verdict: data.verdict }) : undefined;
    case 'error': {
      const error = parseErrorInfo(data.error);
      return error ? reply(id, 'error', { error }) : undefined;
    }
    default:
      return undefined;
  }
}

/* ---------- extension side: what the page may learn ---------- */

/** The summary of a verdict the page may see: the kind, and what the widget names for `verified`. */
export function summarizeVerdict(verdict: Verdict): VerdictSummary {
  if (verdict.kind !== 'verified')
    return exitStatusFor(verdict) === 1 ? { kind: verdict.kind, proven: true } : { kind: verdict.kind };
  return {
    kind: 'verified',
    product: verdict.expected.product,
    // The version only where a signature names it ("only signed facts decide").
    ...(verdict.evidence.facts?.release === 'unsigned' ? {} : { version: verdict.expected.version }),
    type: verdict.expected.type,
    signatureTime: verdict.signer.signatureTime,
  };
}

function percentOf(download: TrackedDownload): number | undefined {
  if (download.phase !== 'downloading' && download.phase !== 'hashing') return undefined;
  const progress = download.progress;
  if (progress?.total && progress.total > 0) return Math.min(100, Math.floor((progress.bytes / progress.total) * 100));
  if (download.totalBytes && download.totalBytes > 0)
    return Math.min(100, Math.floor((download.receivedBytes / download.totalBytes) * 100));
  return undefined;
}

/** The release version a file name says it is of (the profile's imagePattern), or undefined. */
export type ReleaseOfName = (fileName: string) => string | undefined;

/**
 * The current release as far as the extension knows: the newest of the versions its tracked
 * downloads are of and of the releases their verdicts were checked against (a verdict's
 * `expected` is the release the description named at check time).
 */
export function currentRelease(downloads: readonly TrackedDownload[], releaseOf: ReleaseOfName): string | undefined {
  const versions: string[] = [];
  for (const download of downloads) {
    const named = releaseOf(download.fileName);
    if (named) versions.push(named);
    if (download.phase === 'done' && 'expected' in download.verdict && download.verdict.expected)
      versions.push(download.verdict.expected.version);
  }
  return maxVersion(versions);
}

/**
 * What `status` gives the page: the newest download (by start) of the current release,
 * reduced to DownloadSummary — zero or one entry. Downloads of other releases, unknown names,
 * older downloads, paths, URLs, mirrors, hashes and times stay in the extension.
 */
export function summarizeDownloads(downloads: readonly TrackedDownload[], releaseOf: ReleaseOfName): DownloadSummary[] {
  const current = currentRelease(downloads, releaseOf);
  if (current === undefined) return [];
  const ofCurrent = downloads.filter((d) => isShortString(d.fileName) && releaseOf(d.fileName) === current);
  const newest = ofCurrent.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0))[0];
  if (!newest) return [];
  const summary: DownloadSummary = {
    fileName: newest.fileName,
    phase: newest.phase === 'failed' ? 'done' : newest.phase,
  };
  const percent = percentOf(newest);
  if (percent !== undefined) summary.percent = percent;
  if (newest.phase === 'done') summary.verdict = summarizeVerdict(newest.verdict);
  return [summary];
}

/* ---------- origin checks, both sides ---------- */

/** The parts of a MessageEvent the checks look at. */
export interface MessageEventLike {
  source: unknown;
  origin: string;
  data: unknown;
}

/** The parts of a window the checks look at. */
export interface WindowLike {
  location: { origin: string };
}

/**
 * Content script: a request counts only when it comes from the page's own window (not a frame,
 * not another tab), the event's origin is exactly the profile's official origin, and the page
 * itself is on that origin (the manifest already limits injection to it; this is the second lock).
 */
export function acceptPageRequest(
  event: MessageEventLike,
  win: WindowLike,
  officialOrigin: string,
): PageRequest | undefined {
  if (event.source !== win) return undefined;
  if (event.origin !== officialOrigin || win.location.origin !== officialOrigin) return undefined;
  return parsePageRequest(event.data);
}

/**
 * Widget: a reply counts only when it was posted to this window by a script running in it
 * (the content script posts to the page's own origin) and has the content script's direction.
 */
export function acceptExtensionReply(event: MessageEventLike, win: WindowLike): ExtensionReply | undefined {
  if (event.source !== win || event.origin !== win.location.origin) return undefined;
  return parseExtensionReply(event.data);
}
