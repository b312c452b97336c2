/**
 * What extension pages (and, for two requests, the official site's content script) ask the
 * background to do. Each method throws a typed IsoVerifyError that names what went wrong;
 * messages.ts turns it into the error reply the page shows.
 */
import { IsoVerifyError } from '../core/errors.js';
import type { ReproStatus } from '../core/repro/types.js';
import { mirrorLayoutOf, mirrorUrlFor, pickMirror } from '../core/release/mirrors.js';
import { otherMirrorUrlFor, trackedId } from '../extension/download-match.js';
import {
  canDownloadAgain,
  canResumeDownload,
  canRetry,
  toCancelled,
  toDownloading,
  toInterrupted,
  toVerifying,
  withFacts,
  type TrackedDownload,
} from '../wire/download.js';
import { checkLinkDownload, senderIncognito } from '../extension/link-download.js';
import type { BackgroundRequest, PageVerdict, StateResponse } from '../wire/messages.js';
import { logError } from '../extension/log.js';
import { mayAttachVerdict } from './attach-policy.js';
import { fileSchemeAccess, type Completion } from './completion.js';
import { browserItem, type BackgroundContext } from './context.js';
import type { Delivery } from './delivery.js';
import type { Tracking } from './tracking.js';

/**
 * Reproducer checks the background runs for pages, until the page asks for the answer (once).
 * Bounded: a page that never asks cannot make them pile up.
 */
class PendingRepro {
  static readonly MAX = 16;
  private readonly pending = new Map<string, Promise<ReproStatus | undefined>>();

  add(repro: Promise<ReproStatus | undefined>): string {
    const token = globalThis.crypto.randomUUID();
    this.pending.set(token, repro);
    for (const old of this.pending.keys()) {
      if (this.pending.size <= PendingRepro.MAX) break;
      this.pending.delete(old);
    }
    return token;
  }

  take(token: string): Promise<ReproStatus | undefined> {
    const repro = this.pending.get(token);
    this.pending.delete(token);
    return repro ?? Promise.resolve(undefined);
  }
}

export class PageRequests {
  private readonly pendingRepro = new PendingRepro();

  constructor(
    private readonly ctx: BackgroundContext,
    private readonly tracking: Pick<Tracking, 'startPolling'>,
    private readonly completion: Pick<Completion, 'onComplete' | 'abort' | 'isRunning' | 'redecide'>,
    private readonly delivery: Pick<Delivery, 'deliver' | 'clearNotification'>,
  ) {}

  async state(): Promise<StateResponse> {
    const { ctx } = this;
    // Firefox: the options page offers access to the mirror hosts once the pool is known; a
    // fresh install has none yet, so an extension page asking for the state loads it (the
    // options page sees it arrive in storage). Not awaited: the popup answers at once.
    if (ctx.stream && (await ctx.pool.cached()).length === 0) void ctx.pool.get().catch(logError('mirror pool'));
    const downloads = (await ctx.downloads.list()).sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
    return {
      downloads,
      profileId: ctx.profile.id,
      pinnedFingerprints: [...ctx.profile.pinnedFingerprints],
      fileAccess: ctx.stream ? 'unknown' : await fileSchemeAccess(ctx),
    };
  }

  async cancel(id: string): Promise<void> {
    this.completion.abort(id);
    await this.requireTracked(id);
    await this.ctx.downloads.transition(id, (d) => toCancelled(d, undefined, this.ctx.now()));
  }

  async retry(id: string): Promise<void> {
    const { ctx } = this;
    const tracked = await this.requireTracked(id);
    if (!canRetry(tracked) || this.completion.isRunning(id))
      throw new IsoVerifyError('download-busy', `${id} is still being checked`);
    // A verdict that lacked release data: decided again from the kept hash, never by hashing again.
    if (await this.completion.redecide(id, false)) return;
    // A failed release-data fetch must be tried again, not served from the cache.
    ctx.materials.forget(tracked.fileName);
    const item = await browserItem(ctx, tracked.downloadId);
    if (!item)
      throw new IsoVerifyError('download-gone', `download ${tracked.downloadId} is no longer in the browser's list`);
    if (item.state === 'complete') {
      await ctx.downloads.transition(id, (d) => toVerifying(d, ctx.now()));
      await this.completion.onComplete(id, true);
    } else {
      await ctx.downloads.transition(id, (d) =>
        item.state === 'interrupted' ? toInterrupted(d, ctx.now()) : toDownloading(d, ctx.now()),
      );
      ctx.materials.prefetch(tracked.fileName);
      this.tracking.startPolling();
    }
  }

  /**
   * Download the file again, from the same URL or from another mirror of the pool: what can
   * still work when resuming cannot (the browser considers a short download complete). The new
   * download is tracked like any other; the old record is forgotten. Answers the new download's
   * tracked id (a page about the old one follows it).
   */
  async downloadAgain(id: string, from: 'same' | 'other'): Promise<{ id: string }> {
    const { ctx } = this;
    const tracked = await this.requireTracked(id);
    if (!canDownloadAgain(tracked)) throw new IsoVerifyError('download-busy', `${id} does not need downloading again`);
    const pool = from === 'same' ? [] : await ctx.pool.get();
    // The path on the mirror it came from, else (a server outside the pool) the path the signed release names.
    const expected = tracked.phase === 'done' && 'expected' in tracked.verdict ? tracked.verdict.expected : undefined;
    const fromRelease = () => {
      const picked = expected ? pickMirror(pool, { exclude: [tracked.mirror] }) : undefined;
      return picked && expected ? mirrorUrlFor(picked.urlPrefix, expected.url, mirrorLayoutOf(ctx.profile)) : undefined;
    };
    const url = from === 'same' ? tracked.url : (otherMirrorUrlFor(tracked, pool) ?? fromRelease());
    if (!url) throw new IsoVerifyError('no-other-mirror', `no other mirror of the pool serves ${tracked.fileName}`);
    // A private download starts again private; only Firefox can do that (Chrome's downloads.download has no incognito).
    if (tracked.private === true && !ctx.stream)
      throw new IsoVerifyError(
        'link-not-handled',
        'Chrome cannot start a download in a private window: start it again there',
      );
    const start = () =>
      ctx.browser.downloads.download({ url, ...(tracked.private === true ? { incognito: true } : {}) });
    // Firefox: a download we start is hashed while it arrives.
    const downloadId = ctx.stream ? await ctx.stream.startDownload(url, start) : await start();
    await this.forget(id);
    return { id: trackedId(downloadId) };
  }

  async forget(id: string): Promise<void> {
    const { ctx } = this;
    this.completion.abort(id);
    const tracked = await ctx.downloads.get(id);
    await ctx.downloads.remove(id);
    if (tracked && ctx.stream) await ctx.stream.forgetDownload(tracked.downloadId);
    await this.delivery.clearNotification(id);
  }

  async resumeDownload(id: string): Promise<void> {
    const { ctx } = this;
    const tracked = await this.requireTracked(id);
    if (!canResumeDownload(tracked)) throw new IsoVerifyError('download-not-resumable', `${id} is not interrupted`);
    const item = await browserItem(ctx, tracked.downloadId);
    if (!item?.canResume)
      throw new IsoVerifyError('download-not-resumable', `the browser cannot resume download ${tracked.downloadId}`);
    const resume = () => ctx.browser.downloads.resume(tracked.downloadId);
    // Firefox: expect the resumed request, so its 206 may continue this download's checkpoint.
    if (ctx.stream) await ctx.stream.resumeDownload(tracked.downloadId, [tracked.url, tracked.finalUrl], resume);
    else await resume();
    await ctx.downloads.transition(id, (d) => toDownloading(d, ctx.now()));
    this.tracking.startPolling();
  }

  /**
   * Firefox: the official site's content script hands over a clicked image link, so that the
   * download starts with downloads.download() and is hashed while it arrives (firefox-stream.ts).
   * Only an image of the profile on a pool mirror or the official site is accepted.
   */
  async startLinkDownload(url: string, senderTab: unknown): Promise<void> {
    const { ctx } = this;
    const stream = ctx.stream;
    if (!stream)
      throw new IsoVerifyError(
        'link-not-handled',
        'links are handed over only where downloads are hashed while they arrive (Firefox)',
      );
    const incognito = senderIncognito(senderTab);
    if (incognito === undefined)
      throw new IsoVerifyError('link-not-handled', 'a link from a tab of unknown privacy is left to the browser');
    let target;
    try {
      target = checkLinkDownload(ctx.profile, await ctx.pool.cached(), url);
    } catch {
      // The pool in memory may be stale or not loaded yet: judge again with a fresh one.
      target = checkLinkDownload(ctx.profile, await ctx.pool.get(), url);
    }
    // Only a request we expect (this download's) gets a stream filter (stream-binding.ts).
    // From a private window, the download is private too (never in the browser's history).
    await stream.startDownload(target.url, () =>
      ctx.browser.downloads.download({ url: target.url, ...(incognito ? { incognito: true } : {}) }),
    );
  }

  async openVerifyPage(id?: string): Promise<void> {
    const query = id === undefined ? '' : `?download=${encodeURIComponent(id)}`;
    await this.ctx.browser.tabs.create({ url: this.ctx.browser.runtime.getURL(`verify.html${query}`) });
  }

  /**
   * An extension page hashed a file and sends its hash state: verify here (the background is
   * the only writer of the trust state and the one that asks the reproducers). For a tracked
   * download the verdict also becomes the download's, when it is about that download's file
   * (attach-policy.ts). With `repro`, the page gets a token to ask for the reproducers' status.
   */
  async verifyPageHash(request: Extract<BackgroundRequest, { type: 'verify-hash' }>): Promise<PageVerdict> {
    const { id, repro: pageAsks, ...hash } = request;
    const tracked = id === undefined ? undefined : await this.requireTracked(id);
    const { verdict, repro } = await this.ctx.verification.verifyPageHash(hash, {
      repro: pageAsks === true || tracked !== undefined,
    });
    const reply: PageVerdict = { verdict };
    if (pageAsks && repro) reply.reproToken = this.pendingRepro.add(repro);
    if (!tracked) return reply;
    const attach = mayAttachVerdict(tracked, verdict);
    if (!attach.ok) return { ...reply, attachError: { code: 'input-invalid-value', detail: attach.why } };
    this.completion.abort(tracked.id);
    await this.ctx.downloads.transition(tracked.id, (d) => withFacts(d, { hashSource: 'page' }, this.ctx.now()));
    await this.delivery.deliver(tracked.id, verdict, { notify: false, repro });
    return reply;
  }

  /** The reproducers' status for a page's verification (its token from verifyPageHash); null when unknown or none. */
  async reproStatus(token: string): Promise<ReproStatus | null> {
    return (await this.pendingRepro.take(token)) ?? null;
  }

  async onNotificationClicked(id: string): Promise<void> {
    await this.delivery.clearNotification(id);
    if (await this.ctx.downloads.get(id)) await this.openVerifyPage(id);
  }

  private async requireTracked(id: string): Promise<TrackedDownload> {
    const tracked = await this.ctx.downloads.get(id);
    if (!tracked) throw new IsoVerifyError('download-unknown', `no tracked download ${id}`);
    return tracked;
  }
}
