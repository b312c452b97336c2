/**
 * Firefox: a download of one of the profile's images that the browser started by itself is
 * taken over (the rule: src/extension/takeover.ts). The order keeps the person's download
 * safe: first everything that can be checked without touching it (the rule, host access to
 * the mirror, a stream hasher); then the browser's download is cancelled (Firefox deletes its
 * partial file) and erased from the list, so the name is free; then the same URL is started
 * with downloads.download() under the same name, expected by the stream hasher. Should that
 * start fail, the URL is started again plainly, as the browser had it (no hash while it
 * arrives; the person picks the file afterwards). A download that cannot be cancelled (it
 * finished meanwhile) is left untouched. Every outcome is noted on the tracked download, so
 * the popup says what happened.
 */
import { errorInfo, IsoVerifyError, type ErrorInfo } from '../../core/errors.js';
import type { Profile } from '../../core/profile.js';
import type { Downloads, Permissions } from '../../extension/browser-api.js';
import { withTakeover, type TakeoverNote } from '../../wire/download.js';
import { trackedId } from '../../extension/download-match.js';
import type { DownloadsWriter } from '../../extension/downloads-store.js';
import { takeoverDecision, type CreatedDownload } from '../../extension/takeover.js';
import type { MirrorPoolCache } from '../mirror-pool-cache.js';
import type { StreamHasher } from './firefox-stream.js';
import type { Tracking } from '../tracking.js';
import { log, logWarning } from '../../extension/log.js';

/** The browser APIs a takeover uses (background.ts passes the browser's; tests pass fakes). */
export interface TakeoverBrowser {
  downloads: Pick<Downloads.Static, 'cancel' | 'erase' | 'download' | 'search'>;
  permissions: Pick<Permissions.Static, 'contains'>;
}

export interface TakeoverDeps {
  browser: TakeoverBrowser;
  profile: Pick<Profile, 'officialSite' | 'imagePattern'>;
  pool: Pick<MirrorPoolCache, 'get'>;
  /** Firefox only; without it nothing is taken over. */
  stream?: Pick<StreamHasher, 'startDownload'>;
  tracking: Pick<Tracking, 'onCreated'>;
  downloads: Pick<DownloadsWriter, 'transition'>;
  now(): string;
}

/** `<scheme>://<host>/*`: the host permission Firefox needs to filter a response from `url`. */
export function originPattern(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname}/*`;
}

export class Takeover {
  /** Browser downloads taken over (cancelled) or being decided: their own events are not tracking's business. */
  private readonly claimed = new Set<number>();

  constructor(private readonly deps: TakeoverDeps) {}

  /** Whether browser download `downloadId` is (being) replaced: its events are ignored. */
  owns(downloadId: number): boolean {
    return this.claimed.has(downloadId);
  }

  /** downloads.onCreated: take the download over when the rule says so, else track it as usual. */
  async onCreated(item: Downloads.DownloadItem): Promise<void> {
    const { deps } = this;
    if (!deps.stream) return deps.tracking.onCreated(item);
    this.claimed.add(item.id);
    let decision;
    try {
      decision = takeoverDecision(deps.profile, await deps.pool.get(), item as CreatedDownload);
      if (decision.kind === 'restart' && !(await this.mayHash(decision.url))) {
        decision = {
          kind: 'leave' as const,
          error: { code: 'takeover-no-host-access' as const, detail: originPattern(decision.url) },
        };
      }
    } catch (error) {
      decision = {
        kind: 'leave' as const,
        error: { code: 'takeover-failed' as const, detail: errorInfo(error).detail ?? '' },
      };
    }
    if (decision.kind === 'restart') {
      await this.restart(item, decision.url, decision.saveAs, deps.stream);
      return;
    }
    this.claimed.delete(item.id);
    await deps.tracking.onCreated(item);
    if (decision.kind === 'leave') await this.note(item.id, { kind: 'not-restarted', error: decision.error });
  }

  private async mayHash(url: string): Promise<boolean> {
    try {
      return await this.deps.browser.permissions.contains({ origins: [originPattern(url)] });
    } catch {
      return false;
    }
  }

  private async restart(
    item: Downloads.DownloadItem,
    url: string,
    saveAs: string,
    stream: Pick<StreamHasher, 'startDownload'>,
  ): Promise<void> {
    const { browser } = this.deps;
    try {
      await browser.downloads.cancel(item.id);
    } catch (error) {
      // Finished (or gone) meanwhile: it stays the browser's, untouched.
      this.claimed.delete(item.id);
      await this.deps.tracking.onCreated((await this.browserItem(item.id)) ?? item);
      await this.note(item.id, { kind: 'not-restarted', error: failure(error, 'the download could not be cancelled') });
      return;
    }
    // Cancelling deleted the partial file; erasing takes the dead entry out of the downloads list.
    await browser.downloads.erase({ id: item.id }).catch(logWarning('cancelled download not erased'));
    // A private window's download is started again private (Firefox: downloads.download incognito), never into the history.
    const privately = item.incognito ? { incognito: true } : {};
    const options: Downloads.DownloadOptionsType = { url, filename: saveAs, conflictAction: 'uniquify', ...privately };
    let newId: number;
    let note: TakeoverNote;
    try {
      newId = await stream.startDownload(url, () => browser.downloads.download(options));
      note = { kind: 'restarted', from: item.id };
    } catch (error) {
      // Start it again as the browser had it (the browser names the file), so the person still gets it.
      log.warn('takeover failed, restarting the download plainly', errorInfo(error));
      newId = await browser.downloads.download({ url, conflictAction: 'uniquify', ...privately });
      note = { kind: 'not-restarted', error: failure(error, 'downloads.download() failed') };
    }
    // Track the new download now (onCreated may not have run yet), then say what happened.
    const created = await this.browserItem(newId);
    if (created) await this.deps.tracking.onCreated(created);
    await this.note(newId, note);
  }

  private async browserItem(id: number): Promise<Downloads.DownloadItem | undefined> {
    const [found] = await this.deps.browser.downloads.search({ id });
    return found;
  }

  private async note(downloadId: number, note: TakeoverNote): Promise<void> {
    await this.deps.downloads.transition(trackedId(downloadId), (d) => withTakeover(d, note, this.deps.now()));
  }
}

function failure(error: unknown, what: string): ErrorInfo {
  const detail = errorInfo(error).detail;
  return errorInfo(new IsoVerifyError('takeover-failed', detail ? `${what}: ${detail}`.slice(0, 500) : what));
}
