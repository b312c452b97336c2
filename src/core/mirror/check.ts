/**
 * Check one mirror against the current release: for every release file, the answer's status,
 * redirects, Content-Type and Content-Length, and (full mode) the bytes themselves, streamed
 * through the hasher and judged by the same verification pipeline as a user's download.
 * Politeness: files one after another per mirror, never more than the signed size hashed,
 * every transfer bounded in time and by a stall timer.
 */
import { equalBytes } from '../bytes.js';
import { errorInfo, IsoVerifyError } from '../errors.js';
import { IncrementalHash } from '../hash/incremental-hash.js';
import type { HashEngine, HashResult } from '../hash/types.js';
import type { Verdict } from '../verdict.js';
import type { MirrorCheckProgress, MirrorFileCheck, MirrorFileStatus, MirrorReport, MirrorSource } from './types.js';
import { BAD_FILE_STATUSES } from './types.js';

/** One file the mirror must serve, as the signed release data describes it. */
export interface MirrorTargetFile {
  fileName: string;
  kind: 'image' | 'signature';
  /** Path below the mirror prefix. */
  path: string;
  size: number;
  /** Images: the signed hash. */
  sha256?: string;
  /** Signatures: the exact bytes the official site serves. */
  bytes?: Uint8Array;
}

export interface MirrorRelease {
  product: string;
  version: string;
  /** Whether the release data itself was signature-checked (else sizes come from unsigned data). */
  signed: boolean;
  files: MirrorTargetFile[];
}

/** Decides a fully hashed image, normally with the core's decideVerdict. */
export type ImageJudge = (file: MirrorTargetFile, hash: HashResult) => Promise<Verdict>;

export interface MirrorCheckOptions {
  mode: 'quick' | 'full';
  engine?: HashEngine;
  judge?: ImageJudge;
  signal?: AbortSignal;
  /** Bound on one file's whole transfer (default 30 min: a 1.3 GB image over a slow link). */
  fileTimeoutMs?: number;
  /** Bound on the wait for the answer and between two chunks (default 30 s). */
  stallTimeoutMs?: number;
  onProgress?: (progress: MirrorCheckProgress) => void;
  now?: () => number;
}

const DEFAULT_FILE_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_STALL_TIMEOUT_MS = 30_000;
const PROGRESS_EVERY_BYTES = 8 * 1024 * 1024;

/** Content types that are never a release file (an error page, a directory listing). */
const WRONG_TYPES = /^(text\/html|application\/xhtml\+xml|application\/json)\b/i;

export async function checkMirror(source: MirrorSource, release: MirrorRelease, options: MirrorCheckOptions): Promise<MirrorReport> {
  const now = options.now ?? (() => Date.now());
  const started = now();
  const files: MirrorFileCheck[] = [];
  for (const target of release.files) {
    if (options.signal?.aborted) throw new IsoVerifyError('aborted', source.location);
    files.push(await checkFile(source, target, options, now));
  }
  const bytesRead = files.reduce((sum, f) => sum + f.bytesRead, 0);
  const readingMs = files.reduce((sum, f) => sum + (f.throughput ? f.durationMs : 0), 0);
  return {
    mirror: source.location,
    mode: options.mode,
    release: { product: release.product, version: release.version, signed: release.signed },
    ok: files.every((f) => f.status === 'ok'),
    files,
    bytesRead,
    durationMs: now() - started,
    ...(readingMs > 0 ? { throughput: Math.round((bytesRead * 1000) / readingMs) } : {}),
  };
}

/** Whether a report shows wrong or incomplete data (as opposed to "could not be checked"). */
export function reportIsBad(report: MirrorReport): boolean {
  return report.files.some((f) => BAD_FILE_STATUSES.includes(f.status));
}

async function checkFile(source: MirrorSource, target: MirrorTargetFile, options: MirrorCheckOptions, now: () => number): Promise<MirrorFileCheck> {
  const started = now();
  const result: MirrorFileCheck = {
    fileName: target.fileName,
    kind: target.kind,
    path: target.path,
    location: source.locate(target.path),
    status: 'ok',
    expectedSize: target.size,
    ...(target.sha256 ? { expectedSha256: target.sha256 } : {}),
    bytesRead: 0,
    durationMs: 0,
  };
  const finish = (status: MirrorFileStatus, detail?: string): MirrorFileCheck => {
    result.status = status;
    if (detail !== undefined) result.detail = detail;
    result.durationMs = now() - started;
    return result;
  };

  const timer = new TransferTimer(source.location, options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS, options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS, options.signal);
  try {
    const response = await timer.guard(source.open(target.path, { method: 'GET', signal: timer.signal }));
    try {
      result.httpStatus = response.status;
      result.finalLocation = response.finalLocation;
      if (response.contentLength !== undefined) result.contentLength = response.contentLength;
      if (response.contentType !== undefined) result.contentType = response.contentType;

      if (response.redirectedOffsite) return finish('redirect-offsite', `redirected to ${response.finalLocation}`);
      if (response.status === 404 || response.status === 410) return finish('missing', `HTTP ${response.status}`);
      if (response.status !== 200) return finish('http-error', `HTTP ${response.status}`);
      if (response.contentType && WRONG_TYPES.test(response.contentType)) return finish('wrong-type', response.contentType);
      const lengthWrong = response.contentLength !== undefined && response.contentLength !== target.size;
      if (options.mode === 'quick' || !response.body) {
        return lengthWrong
          ? finish('wrong-length', `Content-Length ${response.contentLength}, signed size ${target.size}`)
          : finish('ok');
      }

      const readStarted = now();
      const body = await readBody(response.body, target, options, timer, (bytes) => {
        result.bytesRead = bytes;
      });
      result.bytesRead = body.bytes;
      const readMs = Math.max(1, now() - readStarted);
      result.throughput = Math.round((body.bytes * 1000) / readMs);
      if (body.dropped) return finish('dropped', `connection closed after ${body.bytes} of ${target.size} bytes`);
      if (body.bytes < target.size) return finish('truncated', `${body.bytes} of ${target.size} bytes`);
      if (body.extra) return finish('oversized', `more than the signed ${target.size} bytes`);

      const contentStatus = await judgeContent(target, body, options, result);
      if (contentStatus !== 'ok') return finish(contentStatus, result.detail);
      return lengthWrong
        ? finish('wrong-length', `Content-Length ${response.contentLength}, but the ${target.size} bytes are right`)
        : finish('ok');
    } finally {
      await response.close();
    }
  } catch (error) {
    if (options.signal?.aborted) throw new IsoVerifyError('aborted', source.location);
    if (timer.expired) return finish('timeout', timer.expired);
    result.error = errorInfo(error);
    return finish('unreachable', error instanceof Error ? error.message : String(error));
  } finally {
    timer.dispose();
  }
}

interface BodyResult {
  bytes: number;
  /** More bytes arrived after the signed size (not hashed). */
  extra: boolean;
  /** The connection ended with an error before the signed size was reached. */
  dropped: boolean;
  hash?: HashResult;
  /** Signatures are small: kept to compare byte for byte. */
  content?: Uint8Array;
}

async function readBody(
  body: AsyncIterable<Uint8Array>,
  target: MirrorTargetFile,
  options: MirrorCheckOptions,
  timer: TransferTimer,
  onBytes: (bytes: number) => void,
): Promise<BodyResult> {
  const hash = target.kind === 'image' ? await IncrementalHash.create(['sha256', 'sha512'], options.engine) : undefined;
  const kept: Uint8Array[] = [];
  let bytes = 0;
  let nextProgress = PROGRESS_EVERY_BYTES;
  const iterator = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      let step: IteratorResult<Uint8Array>;
      try {
        step = await timer.guard(iterator.next());
      } catch (error) {
        if (timer.expired || options.signal?.aborted) throw error;
        return { bytes, extra: false, dropped: true };
      }
      if (step.done) break;
      const room = target.size - bytes;
      if (room <= 0) return { bytes, extra: step.value.length > 0, dropped: false, ...finished(hash, kept) };
      // Never hash past the signed size: a mirror serving more is wrong, whatever follows.
      const chunk = step.value.length > room ? step.value.subarray(0, room) : step.value;
      hash?.update(chunk);
      if (!hash) kept.push(chunk.slice());
      bytes += chunk.length;
      onBytes(bytes);
      if (step.value.length > room) return { bytes, extra: true, dropped: false, ...finished(hash, kept) };
      if (bytes >= nextProgress) {
        nextProgress += PROGRESS_EVERY_BYTES;
        options.onProgress?.({ mirror: timer.mirror, fileName: target.fileName, bytes, total: target.size });
      }
    }
  } finally {
    await iterator.return?.().catch(() => undefined);
  }
  return { bytes, extra: false, dropped: false, ...finished(hash, kept) };
}

function finished(hash: IncrementalHash | undefined, kept: Uint8Array[]): Pick<BodyResult, 'hash' | 'content'> {
  if (hash) return { hash: hash.finish() };
  const total = kept.reduce((n, c) => n + c.length, 0);
  const content = new Uint8Array(total);
  let at = 0;
  for (const c of kept) {
    content.set(c, at);
    at += c.length;
  }
  return { content };
}

async function judgeContent(target: MirrorTargetFile, body: BodyResult, options: MirrorCheckOptions, result: MirrorFileCheck): Promise<MirrorFileStatus> {
  if (target.kind === 'signature') {
    if (target.bytes && body.content && equalBytes(target.bytes, body.content)) return 'ok';
    result.detail = 'differs from the signature on the official site';
    return 'corrupt';
  }
  const hash = body.hash;
  if (!hash) return 'corrupt';
  const sha256 = hash.digests.sha256;
  if (sha256 !== undefined) result.sha256 = sha256;
  if (target.sha256 && sha256 !== target.sha256) {
    result.detail = 'SHA-256 differs from the signed release';
    return 'corrupt';
  }
  if (!options.judge) return 'ok';
  const verdict = await options.judge(target, hash);
  result.verdict = verdict.kind;
  switch (verdict.kind) {
    case 'verified':
      return 'ok';
    case 'mismatch':
      result.detail = 'not the bytes the release describes';
      return 'corrupt';
    case 'incomplete':
      return 'truncated';
    case 'oversized':
      return 'oversized';
    case 'wrong-release':
      result.detail = `wrong release (${verdict.reason})`;
      return 'corrupt';
    case 'unverifiable':
      result.error = verdict.error;
      result.detail = `${verdict.reason}${verdict.error.detail ? `: ${verdict.error.detail}` : ''}`;
      // A bad signature over bytes that match the description means someone changed both.
      return verdict.reason === 'signature-bad' ? 'corrupt' : 'unverifiable';
    case 'checksum-only':
      result.detail = 'matches the unsigned checksum only';
      return 'unverifiable';
  }
}

/**
 * One transfer's time limits: a bound on the whole file and a stall timer reset at every
 * chunk. `expired` says which fired (for the report line).
 */
class TransferTimer {
  private readonly controller = new AbortController();
  private readonly total: ReturnType<typeof setTimeout>;
  private stall: ReturnType<typeof setTimeout> | undefined;
  private readonly onOuterAbort: () => void;
  /** Rejects once the transfer is aborted or timed out; shared by every guarded step. */
  private readonly aborted: Promise<never>;
  expired: string | undefined;

  constructor(
    readonly mirror: string,
    totalMs: number,
    private readonly stallMs: number,
    private readonly outer?: AbortSignal,
  ) {
    this.total = setTimeout(() => this.expire(`no complete answer within ${Math.round(totalMs / 1000)} s`), totalMs);
    this.onOuterAbort = () => this.controller.abort(outer?.reason);
    outer?.addEventListener('abort', this.onOuterAbort, { once: true });
    this.aborted = new Promise<never>((_, reject) => {
      const signal = this.controller.signal;
      const fail = () => reject(new IsoVerifyError(this.expired ? 'fetch-timeout' : 'aborted', this.expired));
      if (signal.aborted) fail();
      else signal.addEventListener('abort', fail, { once: true });
    });
    this.aborted.catch(() => undefined);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Resolve with `step`, or reject when the stall timer or the total bound fires first. */
  async guard<T>(step: Promise<T>): Promise<T> {
    clearTimeout(this.stall);
    let rejectStall: (e: Error) => void = () => undefined;
    const stalled = new Promise<never>((_, reject) => {
      rejectStall = reject;
    });
    this.stall = setTimeout(() => {
      this.expire(`no data for ${Math.round(this.stallMs / 1000)} s`);
      rejectStall(new IsoVerifyError('fetch-timeout', this.expired));
    }, this.stallMs);
    try {
      return await Promise.race([step, stalled, this.aborted]);
    } finally {
      clearTimeout(this.stall);
    }
  }

  private expire(why: string): void {
    if (this.expired) return;
    this.expired = why;
    this.controller.abort(new IsoVerifyError('fetch-timeout', why));
  }

  dispose(): void {
    clearTimeout(this.total);
    clearTimeout(this.stall);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}

/** Run `task` over `items` with at most `parallel` at once, keeping the input order. */
export async function mapBounded<T, R>(items: readonly T[], parallel: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(parallel, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}
