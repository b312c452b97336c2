/**
 * The background's orchestration, in four parts with one job each: Tracking (which downloads
 * are ours and how far they are), Completion (get the hash of a finished download and decide),
 * Delivery (store the verdict, badge, notification, reproducibility) and PageRequests (what
 * pages ask). The browser and every store are injected (context.ts), so each part is
 * unit-tested with fakes; background.ts wires the real ones to the browser's events.
 */
import type { ErrorInfo } from '../core/errors.js';
import { isSettled, toCancelled, toDownloading, toInterrupted, withFacts } from '../wire/download.js';
import { Completion } from './completion.js';
import { logError } from '../extension/log.js';
import { browserItem, type BackgroundContext } from './context.js';
import { Delivery } from './delivery.js';
import { dueRedecides } from './redecide.js';
import { PageRequests } from './page-requests.js';
import { Tracking, type PollTimer } from './tracking.js';

/** On start-up, look back this far for matching downloads that started while we were not running. */
const STARTUP_LOOKBACK_MS = 60 * 60 * 1000;

export class Controller {
  readonly delivery: Delivery;
  readonly completion: Completion;
  readonly tracking: Tracking;
  readonly requests: PageRequests;

  constructor(
    private readonly ctx: BackgroundContext,
    options: { keepAlive?: <T>(work: () => Promise<T>) => Promise<T>; timer?: PollTimer } = {},
  ) {
    this.delivery = new Delivery(ctx);
    this.completion = new Completion(ctx, this.delivery, options.keepAlive);
    this.tracking = new Tracking(ctx, this.completion, options.timer);
    this.requests = new PageRequests(ctx, this.tracking, this.completion, this.delivery);
  }

  /** Automatic attempts that are due: decide again, from the kept hash, verdicts that lacked release data. */
  async redecideDue(): Promise<void> {
    const { ctx } = this;
    for (const id of dueRedecides(await ctx.downloads.list(), Date.parse(ctx.now()))) {
      await this.completion.redecide(id, true).catch(logError('deciding again'));
    }
  }

  /** Pick up after a restart: finish what completed meanwhile, track what started meanwhile. */
  async resumeOnStartup(): Promise<void> {
    const { ctx } = this;
    await ctx.downloads.migrateLegacy();
    // Stream records of downloads long gone must not pile up (nor be picked up later).
    await ctx.stream?.purgeStale().catch(logError('purging stream records'));
    for (const tracked of await ctx.downloads.list()) {
      if (isSettled(tracked.phase) || tracked.phase === 'awaiting-file') continue;
      const item = await browserItem(ctx, tracked.downloadId);
      if (!item) {
        const error: ErrorInfo = { code: 'download-gone', detail: 'the download is no longer in the browser' };
        await ctx.downloads.transition(tracked.id, (d) => toCancelled(d, error, ctx.now()));
      } else if (item.state === 'complete') {
        await this.completion.onComplete(tracked.id, true);
      } else if (item.state === 'interrupted') {
        await ctx.downloads.transition(tracked.id, (d) => toInterrupted(d, ctx.now()));
      } else {
        await ctx.downloads.transition(tracked.id, (d) =>
          withFacts(toDownloading(d, ctx.now()), { receivedBytes: item.bytesReceived }, ctx.now()),
        );
        ctx.materials.prefetch(tracked.fileName);
      }
    }
    const since = new Date(Date.parse(ctx.now()) - STARTUP_LOOKBACK_MS).toISOString();
    const recent = await ctx.browser.downloads.search({ startedAfter: since, limit: 50, orderBy: ['-startTime'] });
    for (const item of recent) await this.tracking.onCreated(item);
    this.tracking.startPolling();
    await this.delivery.refreshBadge();
    await this.redecideDue();
  }
}
