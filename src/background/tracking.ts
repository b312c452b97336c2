/**
 * Tracking: which browser downloads are ours (an image of the profile from a pool mirror or
 * the official site), and how far they are. Browser events and a one-second poll keep each
 * record's phase and byte count current; a completed download is handed to Completion.
 * Each download has one progress writer: the Firefox stream hasher while it hashes that
 * download, the poll otherwise.
 */
import type { HashProgress } from '../core/hash/types.js';
import type { Downloads } from '../extension/browser-api.js';
import {
  isSettled,
  toCancelled,
  withBrowserState,
  withFacts,
  withProgress,
  type BrowserDownloadState,
  type TrackedDownload,
} from '../wire/download.js';
import { matchDownload, trackedId } from '../extension/download-match.js';
import type { Completion } from './completion.js';
import { logError } from '../extension/log.js';
import { browserItem, finalUrlOf, type BackgroundContext } from './context.js';
import { Throttle } from './throttle.js';

/** How often to refresh byte counts of running downloads (the downloads API has no progress event). */
export const POLL_MS = 1000;

export interface PollTimer {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimer: PollTimer = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export class Tracking {
  /** onCreated handling in flight per browser id: onChanged for the same download waits for it. */
  private readonly creating = new Map<number, Promise<void>>();
  /** Throttled stream progress per browser download id. */
  private readonly streamProgress = new Map<number, Throttle<HashProgress>>();
  private poller: unknown;
  /** A poll in flight: the next tick is skipped, so slow storage cannot stack polls up. */
  private polling = false;

  constructor(
    private readonly ctx: BackgroundContext,
    private readonly completion: Pick<Completion, 'onComplete' | 'abort'>,
    private readonly timer: PollTimer = realTimer,
  ) {}

  onCreated(item: Downloads.DownloadItem): Promise<void> {
    const existing = this.creating.get(item.id);
    if (existing) return existing;
    const run = this.track(item).finally(() => {
      if (this.creating.get(item.id) === run) this.creating.delete(item.id);
    });
    this.creating.set(item.id, run);
    return run;
  }

  private async track(item: Downloads.DownloadItem): Promise<void> {
    const { ctx } = this;
    const id = trackedId(item.id);
    if (await ctx.downloads.get(id)) return;
    const pool = await ctx.pool.get();
    const match = matchDownload(ctx.profile, pool, {
      url: item.url,
      finalUrl: finalUrlOf(item),
      filename: item.filename,
    });
    if (!match) return;
    const at = ctx.now();
    const tracked: TrackedDownload = {
      id,
      downloadId: item.id,
      url: item.url,
      finalUrl: finalUrlOf(item),
      fileName: match.fileName,
      mirror: match.mirror,
      startedAt: at,
      updatedAt: at,
      phase: item.state === 'interrupted' ? 'interrupted' : 'downloading',
      receivedBytes: item.bytesReceived,
      hashSource: ctx.stream ? 'stream' : 'file',
      inPool: match.inPool,
      canResume: item.canResume,
    };
    // A private window's download: watched and verified the same, its record kept in memory only (downloads-store.ts).
    if (item.incognito) tracked.private = true;
    if (item.filename) tracked.localPath = item.filename;
    if (item.totalBytes > 0) tracked.totalBytes = item.totalBytes;
    const stored = await ctx.downloads.update(id, (current) => current ?? tracked);
    if (stored !== tracked) return; // someone else tracked it meanwhile
    ctx.materials.prefetch(match.fileName);
    this.startPolling();
    // Events that arrived while we were deciding are not replayed: catch up from the browser.
    const now = await browserItem(ctx, item.id);
    const state = now?.state ?? item.state;
    if (state === 'complete') {
      await this.completion.onComplete(id);
    } else if (state === 'interrupted') {
      await ctx.downloads.transition(id, (d) =>
        withBrowserState(d, 'interrupted', now?.error, ctx.now(), now?.paused === true),
      );
    }
  }

  async onChanged(delta: Downloads.OnChangedDownloadDeltaType): Promise<void> {
    const { ctx } = this;
    await this.creating.get(delta.id);
    const id = trackedId(delta.id);
    if (!(await ctx.downloads.get(id))) {
      // Chrome picks the file name after onCreated: a name that matches may only show up now.
      if (delta.filename?.current || delta.url?.current) {
        const item = await browserItem(ctx, delta.id);
        if (item) await this.onCreated(item);
      }
      return;
    }
    const state = delta.state?.current as BrowserDownloadState | undefined;
    const tracked = await ctx.downloads.update(id, (current) => {
      if (!current) return undefined;
      const at = ctx.now();
      const next = withFacts(
        current,
        {
          ...(delta.filename?.current ? { localPath: delta.filename.current } : {}),
          ...(delta.totalBytes?.current !== undefined ? { totalBytes: delta.totalBytes.current } : {}),
          ...(typeof delta.canResume?.current === 'boolean' ? { canResume: delta.canResume.current } : {}),
        },
        at,
      );
      return state ? withBrowserState(next, state, delta.error?.current, at, delta.paused?.current === true) : next;
    });
    if (!tracked) return;
    // Chrome: a stopped download may be truncated and written again when it resumes.
    if (state === 'interrupted' || delta.paused?.current === true)
      ctx.growing?.spoil(delta.id, state === 'interrupted' ? 'interrupted' : 'paused');
    if (state === 'complete') await this.completion.onComplete(id);
    else if (state === 'in_progress') this.startPolling();
    // Firefox: a download hashed as it arrives stopped; its resume may come from the browser's own panel.
    else if (state === 'interrupted' && ctx.stream && tracked.hashSource === 'stream')
      await ctx.stream.expectBrowserResume(delta.id, [tracked.url, tracked.finalUrl]);
  }

  async onErased(downloadId: number): Promise<void> {
    const id = trackedId(downloadId);
    this.completion.abort(id);
    this.ctx.growing?.forget(downloadId);
    // Keep a verdict the person has seen; forget a download that never got one.
    await this.ctx.downloads.update(id, (current) =>
      current && !isSettled(current.phase) ? toCancelled(current, undefined, this.ctx.now()) : undefined,
    );
  }

  /**
   * Firefox: the stream hasher's progress for browser download `downloadId`, throttled to
   * about two writes a second; the last value is never lost.
   */
  onStreamProgress(downloadId: number, progress: HashProgress): void {
    let throttle = this.streamProgress.get(downloadId);
    if (!throttle) {
      const id = trackedId(downloadId);
      throttle = new Throttle(
        (latest) =>
          this.ctx.downloads
            .update(id, (d) => (d?.phase === 'downloading' ? withProgress(d, latest, this.ctx.now()) : undefined))
            .catch(logError('progress')),
        500,
      );
      this.streamProgress.set(downloadId, throttle);
    }
    throttle.push(progress);
  }

  /** Firefox: the stream hash of `downloadId` settled; a download that already completed can go on. */
  async onStreamSettled(downloadId: number): Promise<void> {
    this.streamProgress.get(downloadId)?.cancel();
    this.streamProgress.delete(downloadId);
    const tracked = await this.ctx.downloads.get(trackedId(downloadId));
    if (tracked?.phase === 'downloading') await this.completion.onComplete(tracked.id);
  }

  /** While downloads run, refresh their byte counts about once a second (badge percentage). */
  startPolling(): void {
    if (this.poller !== undefined) return;
    this.poller = this.timer.setInterval(() => {
      if (this.polling) return;
      this.polling = true;
      void this.poll()
        .catch(logError('poll'))
        .finally(() => (this.polling = false));
    }, POLL_MS);
  }

  async poll(): Promise<void> {
    const { ctx } = this;
    const downloading = (await ctx.downloads.list()).filter((d) => d.phase === 'downloading');
    if (downloading.length === 0) {
      this.timer.clearInterval(this.poller);
      this.poller = undefined;
      return;
    }
    for (const d of downloading) {
      const item = await browserItem(ctx, d.downloadId);
      if (!item) continue;
      if (item.state === 'complete') {
        // Not awaited: the next poll must not wait for a whole verification.
        void this.completion.onComplete(d.id).catch(logError('completion'));
        continue;
      }
      if (d.hashSource === 'file')
        ctx.growing?.observe({
          id: item.id,
          filename: item.filename,
          bytesReceived: item.bytesReceived,
          state: item.state,
          paused: item.paused,
        });
      if (item.bytesReceived !== d.receivedBytes && !ctx.stream?.isHashing(d.downloadId)) {
        await ctx.downloads.update(d.id, (current) =>
          current?.phase === 'downloading'
            ? withFacts(current, { receivedBytes: item.bytesReceived, totalBytes: item.totalBytes }, ctx.now())
            : undefined,
        );
      }
    }
  }
}
