/**
 * Check one mirror against the current release: for every release file, the answer's status,
 * redirects, Content-Type and Content-Length, and (full mode) the bytes themselves, streamed
 * through the hasher and judged by the same verification pipeline as a user's download.
 * Politeness: files one after another per mirror, never more than the signed size hashed (an
 * unsigned size: at most the announced length), every transfer bounded in time and by a stall timer.
 */
import { equalBytes } from '../bytes.js';
import { errorInfo, IsoVerifyError } from '../errors.js';
import { IncrementalHash } from '../hash/incremental-hash.js';
import type { HashEngine, HashResult } from '../hash/types.js';
import { isProven, type Verdict } from '../verdict.js';
import type { MirrorCheckProgress, MirrorFileCheck, MirrorFileStatus, MirrorReport, MirrorSource } from './types.js';
import { BAD_FILE_STATUSES } from './types.js';

/** One file the mirror must serve, as the signed release data describes it. */
export interface MirrorTargetFile {
  fileName: string;
  kind: 'image' | 'signature';
  /** Path below the mirror prefix. */
  path: string;
  size: number;
  /**
   * Images: whether a signature vouches for `size` and `sha256` (a signed description, or a
   * signed upgrade description for the ISO). Absent: as `MirrorRelease.signed`. An unsigned size
   * or hash only explains; it never makes a mirror bad (#20). Signatures: `size` is the official copy's.
   */
  sizeSigned?: boolean;
  /** Images: the expected hash (signed when `sizeSigned`). */
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
  /** Called once per file as soon as its check is finished (live tables, progress counts). */
  onFileChecked?: (mirror: string, check: MirrorFileCheck) => void;
  now?: () => number;
}

const DEFAULT_FILE_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_STALL_TIMEOUT_MS = 30_000;
const PROGRESS_EVERY_BYTES = 8 * 1024 * 1024;

/** Content types that are never a release file (an error page, a directory listing). */
const WRONG_TYPES = /^(text\/html|application\/xhtml\+xml|application\/json)\b/i;

export async function checkMirror(
  source: MirrorSource,
  release: MirrorRelease,
  options: MirrorCheckOptions,
): Promise<MirrorReport> {
  const now = options.now ?? (() => Date.now());
  const started = now();
  const files: MirrorFileCheck[] = [];
  for (const target of release.files) {
    if (options.signal?.aborted) throw new IsoVerifyError('aborted', source.location);
    const check = await checkFile(source, target, release.signed, options, now);
    files.push(check);
    options.onFileChecked?.(source.location, check);
  }
  const bytesRead = files.reduce((sum, f) => sum + f.bytesRead, 0);
  // Throughput over completed reads only: a timed-out file's partial bytes would inflate it.
  const measured = files.filter((f) => f.throughput !== undefined);
  const readingBytes = measured.reduce((sum, f) => sum + f.bytesRead, 0);
  const readingMs = measured.reduce((sum, f) => sum + f.durationMs, 0);
  return {
    mirror: source.location,
    mode: options.mode,
    release: { product: release.product, version: release.version, signed: release.signed },
    ok: files.every((f) => f.status === 'ok'),
    files,
    bytesRead,
    durationMs: now() - started,
    ...(readingMs > 0 ? { throughput: Math.round((readingBytes * 1000) / readingMs) } : {}),
  };
}

/** Whether a report shows wrong or incomplete data (as opposed to "could not be checked"). */
export function reportIsBad(report: MirrorReport): boolean {
  return report.files.some((f) => BAD_FILE_STATUSES.includes(f.status));
}

/**
 * Quick mode asks for the headers of images only (HEAD: nothing is transferred) but still
 * compares signatures byte for byte, since they are tiny. Full mode reads everything.
 */
function readsBody(target: MirrorTargetFile, mode: MirrorCheckOptions['mode']): boolean {
  return mode === 'full' || target.kind === 'signature';
}

/** The most an image with an unsigned size may be read when the mirror announces no length. */
const UNSIGNED_READ_CAP = 16 * 1024 * 1024 * 1024;

/** The words for the size compared with: "signed" only when a signature covers it. */
function sizeWords(target: MirrorTargetFile, signed: boolean): string {
  if (target.kind === 'signature') return `official size ${target.size}`;
  return signed ? `signed size ${target.size}` : `expected size (unsigned) ${target.size}`;
}

async function checkFile(
  source: MirrorSource,
  target: MirrorTargetFile,
  releaseSigned: boolean,
  options: MirrorCheckOptions,
  now: () => number,
): Promise<MirrorFileCheck> {
  const started = now();
  // Signature files are compared with the official copy; images with a signed or an unsigned size.
  const sizeSigned = target.kind === 'signature' || (target.sizeSigned ?? releaseSigned);
  const result: MirrorFileCheck = {
    fileName: target.fileName,
    kind: target.kind,
    path: target.path,
    location: source.locate(target.path),
    status: 'ok',
    expectedSize: target.size,
    ...(target.kind === 'image' ? { expectedSizeSigned: sizeSigned } : {}),
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

  const readBodyToo = readsBody(target, options.mode);
  const timer = new TransferTimer(
    source.location,
    options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS,
    options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS,
    options.signal,
  );
  try {
    let response = await timer.guard(
      source.open(target.path, { method: readBodyToo ? 'GET' : 'HEAD', signal: timer.signal }),
    );
    if (!readBodyToo && (response.status === 405 || response.status === 501)) {
      // A server that refuses HEAD: ask with GET and hang up after the headers.
      await response.close();
      response = await timer.guard(source.open(target.path, { method: 'GET', signal: timer.signal }));
    }
    try {
      result.httpStatus = response.status;
      result.finalLocation = response.finalLocation;
      if (response.contentLength !== undefined) result.contentLength = response.contentLength;
      if (response.contentType !== undefined) result.contentType = response.contentType;

      if (response.redirectedOffsite)
        return finish('redirect-offsite', response.detail ?? `redirected to ${response.finalLocation}`);
      if (response.status === 404 || response.status === 410)
        return finish('missing', response.detail ?? `HTTP ${response.status}`);
      if (response.status !== 200) return finish('http-error', response.detail ?? `HTTP ${response.status}`);
      if (response.contentType && WRONG_TYPES.test(response.contentType))
        return finish('wrong-type', `Content-Type ${response.contentType}`);
      const lengthWrong = response.contentLength !== undefined && response.contentLength !== target.size;
      // A local tree has file sizes, not HTTP headers: say what was actually compared.
      const lengthName = source.kind === 'directory' ? 'file size' : 'Content-Length';
      const lengthDetail = `${lengthName} ${response.contentLength}, ${sizeWords(target, sizeSigned)}`;
      if (!readBodyToo) {
        // An unsigned size proves nothing: only the full check can tell, by the image's own signature.
        if (lengthWrong && !sizeSigned)
          return finish(
            'unverifiable',
            `${lengthDetail}: no signature covers that size; the full check decides by the image signature`,
          );
        if (lengthWrong) return finish('wrong-length', lengthDetail);
        return finish(
          'ok',
          response.contentLength === undefined ? `no ${lengthName}: size not checked (quick mode)` : undefined,
        );
      }
      if (!response.body) return finish('http-error', 'the answer has no body');

      const readStarted = now();
      // A signed size bounds the read; an unsigned one does not decide: read what the mirror announces.
      const limit = sizeSigned ? target.size : Math.min(UNSIGNED_READ_CAP, response.contentLength ?? UNSIGNED_READ_CAP);
      const body = await readBody(response.body, target, limit, response.contentLength, options, timer, (bytes) => {
        result.bytesRead = bytes;
      });
      result.bytesRead = body.bytes;
      const readMs = Math.max(1, now() - readStarted);
      result.throughput = Math.round((body.bytes * 1000) / readMs);
      if (body.dropped) return finish('dropped', `connection closed after ${body.bytes} of ${limit} bytes`);
      if (sizeSigned && body.bytes < target.size) {
        return finish('truncated', `${body.bytes} of ${target.size} bytes${lengthWrong ? ` (${lengthDetail})` : ''}`);
      }
      if (sizeSigned && body.extra)
        return finish(
          'oversized',
          `more than the ${sizeWords(target, sizeSigned)} bytes${lengthWrong ? ` (${lengthDetail})` : ''}`,
        );
      if (body.extra)
        return finish(
          'unverifiable',
          `more than ${limit} bytes without a length, not read further; ${sizeWords(target, sizeSigned)}`,
        );

      const contentStatus = await judgeContent(target, body, sizeSigned, options, result);
      if (contentStatus !== 'ok') return finish(contentStatus, result.detail);
      if (!sizeSigned) {
        // The image signature proved the bytes read; only a length that disagrees with them is wrong.
        if (response.contentLength !== undefined && response.contentLength !== body.bytes) {
          return finish(
            'wrong-length',
            `${lengthName} ${response.contentLength}, but the ${body.bytes} bytes served are the signed image`,
          );
        }
        return finish('ok', result.detail);
      }
      if (lengthWrong) {
        const after = body.closedEarly ? '; the connection closed after them' : '';
        return finish('wrong-length', `${lengthDetail}: the ${target.size} bytes served are right${after}`);
      }
      return finish('ok', result.detail);
    } finally {
      await response.close();
    }
  } catch (error) {
    if (options.signal?.aborted) throw new IsoVerifyError('aborted', source.location);
    if (timer.expired) return finish('timeout', timer.expired);
    result.error = errorInfo(error);
    return finish('unreachable', result.error.detail ?? result.error.code);
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
  /** The connection ended with an error right after the signed size (a wrong Content-Length). */
  closedEarly: boolean;
  hash?: HashResult;
  /** Signatures are small: kept to compare byte for byte. */
  content?: Uint8Array;
}

/**
 * Read at most the signed size, hashing (images) or keeping (signatures) the bytes. Past the
 * signed size, one more read tells whether the mirror serves more, unless the announced length
 * already says it does not; nothing past the signed size is ever hashed.
 */
async function readBody(
  body: AsyncIterable<Uint8Array>,
  target: MirrorTargetFile,
  limit: number,
  announcedLength: number | undefined,
  options: MirrorCheckOptions,
  timer: TransferTimer,
  onBytes: (bytes: number) => void,
): Promise<BodyResult> {
  const hash = target.kind === 'image' ? await IncrementalHash.create(['sha256', 'sha512'], options.engine) : undefined;
  const kept: Uint8Array[] = [];
  let bytes = 0;
  let nextProgress = PROGRESS_EVERY_BYTES;
  const progress = () => options.onProgress?.({ mirror: timer.mirror, fileName: target.fileName, bytes, total: limit });
  const done = (extra: boolean, closedEarly = false): BodyResult => ({
    bytes,
    extra,
    dropped: false,
    closedEarly,
    ...finished(hash, kept),
  });
  const iterator = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      if (bytes >= limit && announcedLength === limit) return done(false);
      let step: IteratorResult<Uint8Array>;
      try {
        step = await timer.guard(iterator.next());
      } catch (error) {
        if (timer.expired || options.signal?.aborted) throw error;
        if (bytes >= limit) return done(false, true);
        return { bytes, extra: false, dropped: true, closedEarly: false };
      }
      if (step.done) break;
      if (step.value.length === 0) continue;
      const room = limit - bytes;
      if (room <= 0) return done(true);
      // Never hash past the signed size: a mirror serving more is wrong, whatever follows.
      const chunk = step.value.length > room ? step.value.subarray(0, room) : step.value;
      hash?.update(chunk);
      if (!hash) kept.push(chunk.slice());
      bytes += chunk.length;
      onBytes(bytes);
      if (step.value.length > room) return done(true);
      if (bytes >= nextProgress) {
        nextProgress += PROGRESS_EVERY_BYTES;
        progress();
      }
    }
  } finally {
    progress();
    await iterator.return?.().catch(() => undefined);
  }
  return done(false);
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

async function judgeContent(
  target: MirrorTargetFile,
  body: BodyResult,
  sizeSigned: boolean,
  options: MirrorCheckOptions,
  result: MirrorFileCheck,
): Promise<MirrorFileStatus> {
  if (target.kind === 'signature') {
    if (target.bytes && body.content && equalBytes(target.bytes, body.content)) return 'ok';
    result.detail = target.bytes
      ? 'differs from the signature on the official site'
      : 'no official signature to compare with';
    return target.bytes ? 'corrupt' : 'unverifiable';
  }
  const hash = body.hash;
  if (!hash) return 'corrupt';
  const sha256 = hash.digests.sha256;
  if (sha256 !== undefined) result.sha256 = sha256;
  if (sizeSigned && target.sha256 && sha256 !== target.sha256) {
    result.detail = `SHA-256 differs from the release (${shortHash(sha256)}, expected ${shortHash(target.sha256)})`;
    return 'corrupt';
  }
  if (!options.judge) return 'ok';
  let verdict: Verdict;
  try {
    verdict = await options.judge(target, hash);
  } catch (error) {
    // The judge could not decide (e.g. the trust state cannot be written): not the mirror's fault.
    if (options.signal?.aborted) throw error;
    result.error = errorInfo(error);
    result.detail = `could not be judged: ${error instanceof Error ? error.message : String(error)}`;
    return 'unverifiable';
  }
  result.verdict = verdict.kind;
  if (
    verdict.kind !== 'verified' &&
    verdict.kind !== 'unverifiable' &&
    verdict.kind !== 'checksum-only' &&
    !isProven(verdict)
  ) {
    // Only unsigned data says these bytes are wrong: no signature by a pinned key proves it (#20).
    result.detail = `${body.bytes} bytes, SHA-256 ${shortHash(sha256)}: they differ from the unsigned description (${sizeWords(target, false)}), and no signature by the pinned key covers them`;
    return 'unverifiable';
  }
  switch (verdict.kind) {
    case 'verified': {
      const differs = verdict.evidence?.warnings?.some((w) => w.code === 'unsigned-description-differs');
      result.detail = `verified: ${verdict.signer.over} signature by the pinned key, made ${verdict.signer.signatureTime}${differs ? `; the unsigned description differs (${sizeWords(target, false)})` : ''}`;
      return 'ok';
    }
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
      if (verdict.error) result.error = verdict.error;
      result.detail = 'matches the unsigned checksum only: no signature by the pinned key vouches for it';
      return 'unverifiable';
  }
}

function shortHash(hex: string | undefined): string {
  return hex === undefined ? 'none' : `${hex.slice(0, 12)}…`;
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
export async function mapBounded<T, R>(
  items: readonly T[],
  parallel: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
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
