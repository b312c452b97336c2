/**
 * Completion: a tracked download finished in the browser, so get its hash (Firefox: the
 * stream hash bound to it; Chrome: read the file; else the person picks it on the verify
 * page) and decide the verdict. Every step starts from what storage says, so a restarted
 * background picks up where it stopped. Work in flight is kept per id, to cancel it and to
 * never run it twice.
 */
import { errorInfo, IsoVerifyError, type ErrorInfo } from '../core/errors.js';
import type { HashProgress, HashResult } from '../core/hash/types.js';
import type { Verdict } from '../core/verdict.js';
import type { Downloads } from '../extension/browser-api.js';
import {
  needsReleaseData,
  isSettled,
  toAwaitingFile,
  toCancelled,
  toFailed,
  toHashing,
  toVerifying,
  withFacts,
  withProgress,
  type KeptHash,
  type RedecideSchedule,
  type TrackedDownload,
} from '../wire/download.js';
import { completionPlan } from './completion-plan.js';
import { browserItem, sizeOf, type BackgroundContext } from './context.js';
import type { Delivery } from './delivery.js';
import { nextRedecide } from './redecide.js';
import type { SavedHash } from './chromium/growing-file.js';
import { loadHashResult, storeHashResult } from './stored-hash.js';
import { Throttle } from './throttle.js';
import { log, logError } from '../extension/log.js';

export class Completion {
  private readonly running = new Map<string, AbortController>();
  /**
   * Checks in flight per id, claimed before the first await: the browser's event, the poll and
   * the stream hasher all report the same completion, and on a busy machine they arrive within
   * the same seconds. `again`: another report came while the check was in flight.
   */
  private readonly checking = new Map<string, { again: boolean; force: boolean }>();

  constructor(
    private readonly ctx: BackgroundContext,
    private readonly delivery: Delivery,
    /** Keeps a Chrome service worker alive while work runs (keep-alive.ts); tests run the work as is. */
    private readonly keepAlive: <T>(work: () => Promise<T>) => Promise<T> = (work) => work(),
  ) {}

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** Stop the work in flight for `id`, if any. */
  abort(id: string): void {
    this.running.get(id)?.abort();
  }

  /**
   * A tracked download is complete in the browser: get its hash and verify. Idempotent: reports
   * that arrive while one is checked or worked on do not start a second run; one that arrives
   * while a check found nothing to do yet makes it look once more.
   */
  async onComplete(id: string, force = false): Promise<void> {
    const inFlight = this.checking.get(id);
    if (inFlight) {
      inFlight.again = true;
      inFlight.force ||= force;
      return;
    }
    if (this.running.has(id)) return;
    const claim = { again: false, force };
    this.checking.set(id, claim);
    try {
      do {
        claim.again = false;
        if (await this.completeIfReady(id, claim.force)) return;
      } while (claim.again);
    } finally {
      this.checking.delete(id);
    }
  }

  /** Verify `id` when its record and the browser say it is ready; false when it is not (yet). */
  private async completeIfReady(id: string, force: boolean): Promise<boolean> {
    const { ctx } = this;
    const tracked = await ctx.downloads.get(id);
    if (!tracked) return false;
    if (!force && (isSettled(tracked.phase) || tracked.phase === 'awaiting-file')) return false;
    const item = await browserItem(ctx, tracked.downloadId);
    if (!item || item.state !== 'complete') return false;

    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      await this.keepAlive(() => this.completeWith(tracked, item, controller.signal));
    } catch (error) {
      const info = errorInfo(error);
      const updated = await ctx.downloads.transition(id, (d) =>
        info.code === 'aborted' ? toCancelled(d, undefined, ctx.now()) : toFailed(d, info, ctx.now()),
      );
      if (updated?.phase === 'failed') await this.delivery.notify(updated);
    } finally {
      if (this.running.get(id) === controller) this.running.delete(id);
    }
    return true;
  }

  private async completeWith(
    tracked: TrackedDownload,
    item: Downloads.DownloadItem,
    signal: AbortSignal,
  ): Promise<void> {
    const { ctx } = this;
    const id = tracked.id;
    const fileSize = sizeOf(item);
    const localPath = item.filename || tracked.localPath;
    await ctx.downloads.update(id, (d) =>
      d
        ? withFacts(
            d,
            {
              // Firefox's bytesReceived can lag behind the finished file: the file size is the truth.
              receivedBytes: Math.max(item.bytesReceived, fileSize ?? 0),
              ...(fileSize !== undefined ? { totalBytes: fileSize } : {}),
              ...(localPath ? { localPath } : {}),
              // A download the browser considers complete can never be resumed: the popup must not offer it.
              canResume: item.canResume === true,
            },
            ctx.now(),
          )
        : undefined,
    );
    // Only the stream hash bound to this very download (stream-binding.ts) counts.
    const startedAt = Date.parse(item.startTime);
    const accepted = ctx.stream
      ? await ctx.stream.resultFor({
          downloadId: item.id,
          ...(Number.isFinite(startedAt) ? { startedAt } : {}),
          ...(fileSize !== undefined ? { fileSize } : {}),
        })
      : undefined;
    if (accepted?.kind === 'reject') log.warn('stream hash not used', id, accepted.reason);
    const stream = accepted?.kind === 'accept' ? accepted.result : undefined;
    const fileAccess = ctx.stream ? false : await fileSchemeAccess(ctx);
    const plan = completionPlan({
      ...(stream ? { streamHash: { bytes: stream.bytes } } : {}),
      ...(accepted?.kind === 'reject' ? { streamRejected: true } : {}),
      ...(fileSize !== undefined ? { fileSize } : {}),
      fileAccess: fileAccess === true,
      ...(localPath ? { localPath } : {}),
    });

    let hash: HashResult;
    if (plan.kind === 'verify-stream' && stream) {
      hash = await loadHashResult(stream, ctx.engine);
      await ctx.downloads.transition(id, (d) => withFacts(d, { hashSource: 'stream' }, ctx.now()));
    } else if (plan.kind === 'read-file' && localPath) {
      const ahead = await ctx.growing?.take(item.id, fileSize);
      if (ahead && fileSize !== undefined) {
        // Most of the file was hashed while Chrome wrote it: read only the rest. The result
        // counts only when it verifies (growing-file.ts); otherwise the whole file is read.
        const quick = await this.readFile(id, localPath, fileSize, signal, ahead).catch((error: unknown) => {
          if (signal.aborted) throw error;
          log.warn('the rest of the file could not be read, reading all of it', errorInfo(error));
          return undefined;
        });
        if (quick) {
          await this.verify(id, quick, signal, {
            bytes: ahead.bytes,
            readAgain: () => this.readFileOrAwait(id, localPath, fileSize, signal),
          });
          return;
        }
      }
      const full = await this.readFileOrAwait(id, localPath, fileSize, signal);
      if (!full) return;
      hash = full;
    } else {
      await this.awaitFile(id, undefined);
      return;
    }
    await this.verify(id, hash, signal);
  }

  /** Read the file (from `ahead.bytes` on, when given) with progress in the record. */
  private async readFile(
    id: string,
    localPath: string,
    fileSize: number | undefined,
    signal: AbortSignal,
    ahead?: SavedHash,
  ): Promise<HashResult> {
    const { ctx } = this;
    await ctx.downloads.transition(id, (d) => toHashing(d, ctx.now()));
    // The one writer of this download's hashing progress.
    const writer = new Throttle<HashProgress>(
      (progress) =>
        ctx.downloads.transition(id, (d) => withProgress(d, progress, ctx.now())).catch(logError('progress')),
      500,
    );
    const options = { engine: ctx.engine, signal, onProgress: (progress: HashProgress) => writer.push(progress) };
    try {
      if (ahead && ctx.growing && fileSize !== undefined)
        return await ctx.growing.finish(localPath, ahead, fileSize, options);
      return await ctx.hashFile(localPath, { ...options, ...(fileSize !== undefined ? { total: fileSize } : {}) });
    } finally {
      writer.cancel();
    }
  }

  /** The whole file's hash, or undefined when it cannot be read (the person then picks it). */
  private async readFileOrAwait(
    id: string,
    localPath: string,
    fileSize: number | undefined,
    signal: AbortSignal,
  ): Promise<HashResult | undefined> {
    try {
      return await this.readFile(id, localPath, fileSize, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      // Moved, deleted or unreadable: the person can still pick it on the verify page.
      await this.awaitFile(id, errorInfo(error));
      return undefined;
    }
  }

  private async awaitFile(id: string, error: ErrorInfo | undefined): Promise<void> {
    const updated = await this.ctx.downloads.transition(id, (d) => toAwaitingFile(d, error, this.ctx.now()));
    if (updated) await this.delivery.notify(updated);
  }

  /**
   * Decide and deliver. `headStart`: the hash was partly made while Chrome wrote the file, which
   * counts only when it verifies; any other verdict is decided again from the whole file.
   */
  private async verify(
    id: string,
    hash: HashResult,
    signal: AbortSignal,
    headStart?: { bytes: number; readAgain: () => Promise<HashResult | undefined> },
  ): Promise<void> {
    const { ctx } = this;
    const tracked = await ctx.downloads.transition(id, (d) => toVerifying(d, ctx.now()));
    if (!tracked) return;
    const { verdict, repro } = await ctx.verification.verify(tracked.fileName, hash, signal);
    if (signal.aborted) throw new IsoVerifyError('aborted');
    if (headStart) {
      if (verdict.kind !== 'verified') {
        log.warn('not verified with the head start, reading the whole file', id, verdict.kind);
        const full = await headStart.readAgain();
        if (full) await this.verify(id, full, signal);
        return;
      }
      await ctx.downloads.transition(id, (d) => withFacts(d, { hashedAhead: headStart.bytes }, ctx.now()));
    }
    await this.delivery.deliver(id, verdict, {
      notify: true,
      repro,
      ...this.keepFor(verdict, hash, tracked.finalUrl, 0),
    });
  }

  /** Without release data, keep the hash (and the next automatic attempt) so the verdict can be decided again. */
  private keepFor(
    verdict: Verdict,
    hash: HashResult,
    url: string,
    attempts: number,
  ): { hash?: KeptHash; redecide?: RedecideSchedule | undefined } {
    if (!needsReleaseData(verdict)) return {};
    try {
      const kept = storeHashResult(hash, this.ctx.engine, url, this.ctx.now()) as KeptHash;
      return { hash: kept, redecide: nextRedecide(attempts, Date.parse(this.ctx.now())) };
    } catch (error) {
      log.warn('hash not kept, "Try again" will read the file again', errorInfo(error));
      return {};
    }
  }

  /**
   * Decide again the verdict of a download that lacked release data, from its kept hash (no
   * re-hash): "Try again", or an automatic attempt (`automatic`: counts towards the back-off).
   * Release data is fetched afresh. Returns false when there is nothing to decide again.
   */
  async redecide(id: string, automatic: boolean): Promise<boolean> {
    const { ctx } = this;
    if (this.running.has(id)) throw new IsoVerifyError('download-busy', `${id} is still being checked`);
    const tracked = await ctx.downloads.get(id);
    if (!tracked || tracked.phase !== 'done' || !tracked.hash || !needsReleaseData(tracked.verdict)) return false;
    const kept = tracked.hash;
    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      ctx.materials.forget(tracked.fileName);
      const hash = await loadHashResult(kept, ctx.engine);
      const { verdict, repro } = await ctx.verification.verify(tracked.fileName, hash, controller.signal);
      if (controller.signal.aborted) throw new IsoVerifyError('aborted');
      const attempts = automatic ? (tracked.redecide?.attempts ?? 0) + 1 : 0;
      // Tell the person only when something changed: a verdict with the release data.
      await this.delivery.deliver(id, verdict, {
        notify: !needsReleaseData(verdict),
        repro,
        hash: kept,
        redecide: nextRedecide(attempts, Date.parse(ctx.now())),
      });
      return true;
    } finally {
      if (this.running.get(id) === controller) this.running.delete(id);
    }
  }
}

/** Chrome: whether the person allowed file:// access ('unknown' when the browser cannot say). */
export async function fileSchemeAccess(ctx: BackgroundContext): Promise<boolean | 'unknown'> {
  try {
    return await ctx.browser.extension.isAllowedFileSchemeAccess();
  } catch {
    return 'unknown';
  }
}
