/**
 * Delivery of what the background found: the verdict into storage, then the toolbar badge,
 * a notification and (separately, it may take a while) reproducibility.
 */
import { errorInfo } from '../core/errors.js';
import type { ReproStatus } from '../core/repro/types.js';
import type { Verdict } from '../core/verdict.js';
import { toDone, withRepro, type KeptHash, type RedecideSchedule, type TrackedDownload } from '../wire/download.js';
import { badgeFor } from './badge.js';
import type { BackgroundContext } from './context.js';
import { notificationFor, notificationId } from './notification-text.js';
import { log } from '../extension/log.js';

export class Delivery {
  constructor(private readonly ctx: BackgroundContext) {}

  /**
   * Store a verdict, then notify (when asked) and store the reproducers' status when it comes
   * (the pipeline asked them: `repro`). `hash` and `redecide` are kept only with a verdict that
   * lacked release data (toDone).
   */
  async deliver(
    id: string,
    verdict: Verdict,
    options: {
      notify: boolean;
      repro?: Promise<ReproStatus | undefined> | undefined;
      hash?: KeptHash;
      redecide?: RedecideSchedule | undefined;
    },
  ): Promise<void> {
    const { ctx } = this;
    const current = await ctx.downloads.get(id);
    if (!current) return;
    const alternativeUrl = await ctx.verification.alternativeUrl(verdict, current.mirror);
    const updated = await ctx.downloads.update(id, (d) =>
      d ? toDone(d, verdict, { alternativeUrl, hash: options.hash, redecide: options.redecide }, ctx.now()) : undefined,
    );
    if (!updated) return;
    if (options.notify) await this.notify(updated);
    const repro = await options.repro;
    if (repro) await ctx.downloads.transition(id, (d) => withRepro(d, repro, ctx.now()));
    // With a verdict stored, this download's stream records (hash, checkpoints) have served their purpose.
    if (ctx.stream) await ctx.stream.forgetDownload(updated.downloadId);
  }

  /** A notification for a verdict, a file to pick, or a failure; a failed notification is logged (badge and popup still tell). */
  async notify(tracked: TrackedDownload): Promise<void> {
    const text = notificationFor(tracked);
    if (!text) return;
    const { browser } = this.ctx;
    try {
      await browser.notifications.create(notificationId(tracked.id), {
        type: 'basic',
        iconUrl: browser.runtime.getURL('icons/icon-128.png'),
        title: browser.i18n.getMessage(text.titleKey, text.substitutions),
        message: browser.i18n.getMessage(text.messageKey, text.substitutions),
      });
    } catch (error) {
      log.warn('notification failed', errorInfo(error));
    }
  }

  /** Remove a download's notification; one already gone is not an error worth telling anyone. */
  async clearNotification(id: string): Promise<void> {
    try {
      await this.ctx.browser.notifications.clear(notificationId(id));
    } catch (error) {
      log.warn('notification not cleared', errorInfo(error));
    }
  }

  /** `downloads`: the list just read, when the caller has it. */
  async refreshBadge(downloads?: TrackedDownload[]): Promise<void> {
    const { browser } = this.ctx;
    // The language of the extension's messages (locale_tag), as the pages use for numbers.
    const badge = badgeFor(
      downloads ?? (await this.ctx.downloads.list()),
      browser.i18n.getMessage('locale_tag') || 'en',
    );
    await browser.action.setBadgeText({ text: badge.text });
    await browser.action.setBadgeBackgroundColor({ color: badge.color });
    const title =
      badge.fileName === undefined
        ? browser.i18n.getMessage(badge.titleKey)
        : browser.i18n.getMessage(badge.titleKey, [badge.fileName]);
    await browser.action.setTitle({ title: title || browser.i18n.getMessage('extName') });
  }
}
