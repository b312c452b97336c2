/**
 * Chrome: hash a download while Chrome writes it, so that at completion only the tail is left
 * to read (README "Chrome: hashed while it is written").
 *
 * Chrome writes an in-progress download to `<target>.crdownload` (the downloads API reports
 * `<target>` as the filename) and renames it at completion; its file: loader answers a Range
 * request with exactly those bytes. While a download runs, each poll may read the next slice of
 * that file, below the byte count Chrome reports as received (minus a margin), continuing from
 * the saved hash states of the slices before it. Why the result is sound:
 *
 * - Without an interruption Chrome appends and never rewrites what it has written. Any sign of
 *   a rewrite — the download interrupted or paused (a resume may truncate and fetch the tail
 *   again, possibly other bytes), fewer bytes received than before, another file name — spoils
 *   the head start for good: the finished file is then read from byte 0, as before.
 * - A read must return exactly the bytes it asked for, or the head start is spoiled.
 * - Parallel downloading can leave holes below the received count: bytes read from a hole are
 *   not the final bytes, so the hash cannot match a signature. That is why Completion accepts a
 *   hash made with a head start only when it verifies; any other verdict is decided again from a
 *   full read of the finished file. A head start can cost a second read; it can never turn a
 *   good file red.
 *
 * State lives in memory only: a restarted service worker reads the finished file in full.
 */
import { errorInfo, IsoVerifyError } from '../../core/errors.js';
import { restoreHashResult } from '../../core/hash/restore.js';
import type { HashAlgorithm, HashEngine, HashProgress, HashResult } from '../../core/hash/types.js';
import type { ByteRange, ResumeStates } from '../../wire/worker-protocol.js';

/** Saved states of the bytes [0, bytes) of a file. */
export interface SavedHash {
  bytes: number;
  states: Partial<Record<HashAlgorithm, string>>;
}

/**
 * Hash bytes [range.start, range.end) of the file at `path`, continuing from `resumeFrom` (the
 * states of the bytes before range.start): the states of [0, range.end) come back.
 */
export type RangeHasher = (
  path: string,
  range: ByteRange,
  resumeFrom: ResumeStates | undefined,
  options: { signal: AbortSignal; onProgress: (progress: HashProgress) => void; total?: number },
) => Promise<SavedHash>;

/** What a poll saw of one browser download (downloads.DownloadItem). */
export interface ObservedDownload {
  id: number;
  filename: string;
  bytesReceived: number;
  state: string;
  paused: boolean;
}

export interface GrowingFileDeps {
  hashRange: RangeHasher;
  /** Whether the person allowed file access (asked once per download). */
  fileAccess(): Promise<boolean>;
  /** Read ahead only when at least this many new bytes are ready (default 64 MiB). */
  step?: number;
  /** Stay this far below the received count (default 4 MiB). */
  margin?: number;
  log?(message: string, detail?: unknown): void;
}

export const DEFAULT_STEP = 64 * 1024 * 1024;
export const DEFAULT_MARGIN = 4 * 1024 * 1024;

/** The suffix Chrome gives a download while it writes it. */
export const IN_PROGRESS_SUFFIX = '.crdownload';

interface HeadStart {
  path: string;
  received: number;
  /** States of the file's bytes [0, checkpoint.bytes). */
  checkpoint?: SavedHash | undefined;
  reading?: Promise<void> | undefined;
  spoiled: boolean;
  controller: AbortController;
}

export class GrowingFileHashes {
  private readonly heads = new Map<number, HeadStart>();
  private readonly step: number;
  private readonly margin: number;

  constructor(private readonly deps: GrowingFileDeps) {
    this.step = deps.step ?? DEFAULT_STEP;
    this.margin = deps.margin ?? DEFAULT_MARGIN;
  }

  /** A poll saw this download; read the next slice when enough is ready. */
  observe(item: ObservedDownload): void {
    if (item.state !== 'in_progress' || !item.filename) return;
    let head = this.heads.get(item.id);
    if (!head) {
      head = { path: item.filename, received: item.bytesReceived, spoiled: false, controller: new AbortController() };
      this.heads.set(item.id, head);
      const created = head;
      // Without file access every read fails: find out once instead.
      created.reading = this.deps
        .fileAccess()
        .then((allowed) => {
          if (!allowed) this.spoil(item.id, 'no file access');
        })
        .catch(() => this.spoil(item.id, 'file access unknown'))
        .finally(() => {
          created.reading = undefined;
        });
      return;
    }
    if (head.spoiled) return;
    if (item.paused) return this.spoil(item.id, 'paused');
    if (item.filename !== head.path) return this.spoil(item.id, 'file name changed');
    if (item.bytesReceived < head.received) return this.spoil(item.id, 'fewer bytes received than before');
    head.received = item.bytesReceived;
    if (head.reading) return;
    const start = head.checkpoint?.bytes ?? 0;
    const end = item.bytesReceived - this.margin;
    if (end - start < this.step) return;
    const current = head;
    current.reading = this.deps
      .hashRange(
        `${current.path}${IN_PROGRESS_SUFFIX}`,
        { start, end },
        current.checkpoint ? { offset: start, states: current.checkpoint.states } : undefined,
        { signal: current.controller.signal, onProgress: () => undefined },
      )
      .then((saved) => {
        if (!current.spoiled) current.checkpoint = saved;
      })
      .catch((error: unknown) => this.spoil(item.id, 'read failed', errorInfo(error)))
      .finally(() => {
        current.reading = undefined;
      });
  }

  /** The download was interrupted, paused or cancelled: its head start is never used. */
  spoil(downloadId: number, reason: string, detail?: unknown): void {
    const head = this.heads.get(downloadId);
    if (!head || head.spoiled) return;
    head.spoiled = true;
    head.checkpoint = undefined;
    head.controller.abort(new IsoVerifyError('aborted', reason));
    this.deps.log?.(`no head start for download ${downloadId}: ${reason}`, detail);
  }

  forget(downloadId: number): void {
    this.spoil(downloadId, 'forgotten');
    this.heads.delete(downloadId);
  }

  /**
   * At completion: the states to continue from (after any read in flight), or undefined when
   * there is no sound head start. The record is gone afterwards.
   */
  async take(downloadId: number, size: number | undefined): Promise<SavedHash | undefined> {
    const head = this.heads.get(downloadId);
    if (!head) return undefined;
    await this.whenIdle(downloadId);
    this.heads.delete(downloadId);
    if (head.spoiled || !head.checkpoint || size === undefined || head.checkpoint.bytes > size) return undefined;
    return head.checkpoint;
  }

  /** Resolves once no read is in flight for the download. */
  async whenIdle(downloadId: number): Promise<void> {
    for (let head = this.heads.get(downloadId); head?.reading;) await head.reading;
  }

  /** Hash the rest [ahead.bytes, size) of the finished file, continuing from `ahead`. */
  async finish(
    path: string,
    ahead: SavedHash,
    size: number,
    options: { engine: HashEngine; signal: AbortSignal; onProgress: (progress: HashProgress) => void },
  ): Promise<HashResult> {
    if (ahead.bytes === size) return restoreHashResult(size, ahead.states, options.engine);
    const saved = await this.deps.hashRange(
      path,
      { start: ahead.bytes, end: size },
      { offset: ahead.bytes, states: ahead.states },
      {
        signal: options.signal,
        onProgress: options.onProgress,
        total: size,
      },
    );
    return restoreHashResult(saved.bytes, saved.states, options.engine);
  }

  /** Downloads with a head start record (tests, diagnostics). */
  get size(): number {
    return this.heads.size;
  }
}
