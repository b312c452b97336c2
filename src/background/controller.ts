/**
 * The background's orchestration: tracks downloads from the profile's mirrors, gets their
 * hash (Firefox: while downloading; Chrome: file:// after completion; else the verify page),
 * decides the verdict and delivers it (storage, badge, notification). Every step starts from
 * what storage says, so a restarted service worker / event page picks up where it stopped.
 */
import { errorInfo, IsoVerifyError } from '../core/errors.js';
import { KeyValueTrustState } from '../core/freshness.js';
import type { HashEngine, HashResult } from '../core/hash/types.js';
import type { Fetcher } from '../core/net/types.js';
import type { Profile } from '../core/profile.js';
import type { Verdict } from '../core/verdict.js';
import { mayAttachVerdict } from './attach-policy.js';
import { badgeFor } from './badge.js';
import { browser, type Downloads } from './browser-api.js';
import { hashLocalFile } from './chrome-file.js';
import { matchDownload, trackedId } from './download-match.js';
import { whileAlive } from './keep-alive.js';
import { checkLinkDownload, senderMayBePrivate } from './link-download.js';
import type { MirrorPoolCache } from './mirror-pool-cache.js';
import { notificationFor, notificationId } from './notification-text.js';
import { canResumeDownload, canRetry, completionPlan, isSettled, phaseForDownloadState } from './phase.js';
import { STORAGE_KEYS, type StateResponse, type TrackedDownload } from './protocol.js';
import type { StateStore } from './state-store.js';
import { loadHashResult } from './stored-hash.js';
import type { StreamHasher } from './firefox-stream.js';
import { Throttle } from './throttle.js';
import { decide, recordDecision } from '../core/verify/index.js';
import { alternativeMirrorUrl, reproFor, type MaterialCache } from './verification.js';

export interface ControllerDeps {
  profile: Profile;
  store: StateStore;
  pool: MirrorPoolCache;
  materials: MaterialCache;
  fetcher: Fetcher;
  engine: HashEngine;
  /** Firefox only. */
  stream?: StreamHasher;
}

/** How often to refresh byte counts of running downloads (the downloads API has no progress event). */
const POLL_MS = 1000;
/** On start-up, look back this far for matching downloads that started while we were not running. */
const STARTUP_LOOKBACK_MS = 60 * 60 * 1000;

function nowIso(): string {
  return new Date().toISOString();
}

function finalUrlOf(item: Downloads.DownloadItem): string {
  const finalUrl = (item as Downloads.DownloadItem & { finalUrl?: string }).finalUrl;
  return typeof finalUrl === 'string' && finalUrl !== '' ? finalUrl : item.url;
}

function sizeOf(item: Downloads.DownloadItem): number | undefined {
  if (item.fileSize > 0) return item.fileSize;
  if (item.state === 'complete' && item.bytesReceived >= 0) return item.bytesReceived;
  return undefined;
}

export class Controller {
  private readonly trustState: KeyValueTrustState;
  /** Work in flight per tracked id (hashing a file, verifying), to cancel and to avoid doing it twice. */
  private readonly running = new Map<string, AbortController>();
  private readonly progressWriters = new Map<string, Throttle<Partial<TrackedDownload>>>();
  private poller: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly deps: ControllerDeps) {
    this.trustState = new KeyValueTrustState({
      read: () => deps.store.readKey(STORAGE_KEYS.trustState),
      write: (value) => deps.store.writeKey(STORAGE_KEYS.trustState, value),
    });
  }

  // ---- downloads events ----------------------------------------------------------------

  /** onCreated handling in flight per browser id: onChanged for the same download waits for it. */
  private readonly creating = new Map<number, Promise<void>>();

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
    if (item.incognito) return; // never record private downloads in storage
    const id = trackedId(item.id);
    if (await this.deps.store.download(id)) return;
    const pool = await this.deps.pool.get();
    const match = matchDownload(this.deps.profile, pool, { url: item.url, finalUrl: finalUrlOf(item), filename: item.filename });
    if (!match) return;
    const at = nowIso();
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
      hashSource: this.deps.stream ? 'stream' : 'file',
    };
    if (item.filename) tracked.localPath = item.filename;
    if (item.totalBytes > 0) tracked.totalBytes = item.totalBytes;
    const stored = await this.deps.store.updateDownload(id, (current) => current ?? tracked);
    if (stored !== tracked) return; // someone else tracked it meanwhile
    this.deps.materials.prefetch(match.fileName);
    this.startPolling();
    // Events that arrived while we were deciding are not replayed: catch up from the browser.
    const [now] = await browser.downloads.search({ id: item.id });
    const state = now?.state ?? item.state;
    if (state === 'complete') {
      await this.onComplete(id);
    } else if (state === 'interrupted') {
      const phase = phaseForDownloadState('downloading', 'interrupted', now?.error);
      if (phase) await this.patch(id, { phase });
    }
  }

  async onChanged(delta: Downloads.OnChangedDownloadDeltaType): Promise<void> {
    await this.creating.get(delta.id);
    const id = trackedId(delta.id);
    let tracked = await this.deps.store.download(id);
    if (!tracked) {
      // Chrome picks the file name after onCreated: a name that matches may only show up now.
      if (delta.filename?.current || delta.url?.current) {
        const [item] = await browser.downloads.search({ id: delta.id });
        if (item) await this.onCreated(item);
      }
      return;
    }
    const state = delta.state?.current as 'in_progress' | 'interrupted' | 'complete' | undefined;
    tracked = await this.deps.store.updateDownload(id, (current) => {
      if (!current) return undefined;
      const next: TrackedDownload = { ...current, updatedAt: nowIso() };
      if (delta.filename?.current) next.localPath = delta.filename.current;
      if (delta.totalBytes?.current !== undefined && delta.totalBytes.current > 0) next.totalBytes = delta.totalBytes.current;
      if (state) {
        const phase = phaseForDownloadState(current.phase, state, delta.error?.current);
        if (phase) next.phase = phase;
        if (phase === 'downloading') delete next.error;
      }
      return next;
    });
    if (!tracked) return;
    if (state === 'complete') await this.onComplete(id);
    else if (state === 'in_progress') this.startPolling();
  }

  async onErased(downloadId: number): Promise<void> {
    const id = trackedId(downloadId);
    this.running.get(id)?.abort();
    // Keep a verdict the user has seen; forget a download that never got one.
    await this.deps.store.updateDownload(id, (current) =>
      current && !isSettled(current.phase) ? { ...current, phase: 'cancelled', updatedAt: nowIso() } : undefined,
    );
  }

  // ---- completion: obtain the hash ----------------------------------------------------

  /** A tracked download is complete in the browser: get its hash and verify. Idempotent. */
  async onComplete(id: string, force = false): Promise<void> {
    if (this.running.has(id)) return;
    const tracked = await this.deps.store.download(id);
    if (!tracked) return;
    if (!force && (isSettled(tracked.phase) || tracked.phase === 'awaiting-file')) return;
    const [item] = await browser.downloads.search({ id: tracked.downloadId });
    if (!item || item.state !== 'complete') return;

    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      await whileAlive(() => this.completeWith(tracked, item, controller.signal));
    } catch (error) {
      const info = errorInfo(error);
      const phase = info.code === 'aborted' ? 'cancelled' : 'done';
      const updated = await this.patch(id, { phase, error: info, progress: undefined });
      if (updated && phase === 'done') await this.notify(updated);
    } finally {
      if (this.running.get(id) === controller) this.running.delete(id);
      this.progressWriters.get(id)?.cancel();
      this.progressWriters.delete(id);
    }
  }

  private async completeWith(tracked: TrackedDownload, item: Downloads.DownloadItem, signal: AbortSignal): Promise<void> {
    const id = tracked.id;
    const fileSize = sizeOf(item);
    const localPath = item.filename || tracked.localPath;
    await this.patch(id, {
      // Firefox's bytesReceived can lag behind the finished file: the file size is the truth.
      receivedBytes: Math.max(item.bytesReceived, fileSize ?? 0),
      ...(fileSize !== undefined ? { totalBytes: fileSize } : {}),
      ...(localPath ? { localPath } : {}),
    });
    // Only the stream hash bound to this very download (stream-binding.ts) counts.
    const startedAt = Date.parse(item.startTime);
    const accepted = this.deps.stream
      ? await this.deps.stream.resultFor({
          downloadId: item.id,
          ...(Number.isFinite(startedAt) ? { startedAt } : {}),
          ...(fileSize !== undefined ? { fileSize } : {}),
        })
      : undefined;
    if (accepted?.kind === 'reject') console.warn('stream hash not used', id, accepted.reason);
    const stream = accepted?.kind === 'accept' ? accepted.result : undefined;
    const fileAccess = this.deps.stream ? false : await this.fileAccess();
    const plan = completionPlan({
      ...(stream ? { streamHash: { bytes: stream.bytes } } : {}),
      ...(accepted?.kind === 'reject' ? { streamRejected: true } : {}),
      ...(fileSize !== undefined ? { fileSize } : {}),
      fileAccess: fileAccess === true,
      ...(localPath ? { localPath } : {}),
    });

    let hash: HashResult;
    if (plan.kind === 'verify-stream' && stream) {
      hash = await loadHashResult(stream, this.deps.engine);
      await this.patch(id, { hashSource: 'stream' });
    } else if (plan.kind === 'read-file' && localPath) {
      await this.patch(id, { phase: 'hashing', hashSource: 'file', error: undefined });
      const writer = this.progressWriter(id);
      try {
        hash = await hashLocalFile(localPath, {
          engine: this.deps.engine,
          signal,
          ...(fileSize !== undefined ? { total: fileSize } : {}),
          onProgress: (progress) => writer.push({ progress }),
        });
      } catch (error) {
        if (signal.aborted) throw error;
        // Moved, deleted or unreadable: the user can still pick it on the verify page.
        await this.awaitFile(id, errorInfo(error));
        return;
      }
      writer.cancel();
    } else {
      await this.awaitFile(id, undefined);
      return;
    }
    await this.verify(id, hash, signal);
  }

  private async awaitFile(id: string, error: ReturnType<typeof errorInfo> | undefined): Promise<void> {
    const updated = await this.patch(id, { phase: 'awaiting-file', hashSource: 'page', progress: undefined, error });
    if (updated) await this.notify(updated);
  }

  // ---- verdict -------------------------------------------------------------------------

  private async verify(id: string, hash: HashResult, signal: AbortSignal): Promise<void> {
    const tracked = await this.patch(id, { phase: 'verifying', progress: undefined, error: undefined });
    if (!tracked) return;
    const material = await this.deps.materials.get(tracked.fileName);
    if (signal.aborted) throw new IsoVerifyError('aborted');
    const decision = await decide({ profile: this.deps.profile, material, fileName: tracked.fileName, hash, trustState: this.trustState });
    if (signal.aborted) throw new IsoVerifyError('aborted');
    await recordDecision(this.trustState, decision);
    const { verdict } = decision;
    await this.deliver(id, verdict, { notify: true });
  }

  /** Store a verdict, then badge, notification and (separately) reproducibility. */
  private async deliver(id: string, verdict: Verdict, options: { notify: boolean; repro?: TrackedDownload['repro'] }): Promise<void> {
    const current = await this.deps.store.download(id);
    if (!current) return;
    const alternativeUrl = alternativeMirrorUrl(verdict, await this.deps.pool.cached(), current.mirror);
    const updated = await this.patch(id, {
      phase: 'done',
      verdict,
      error: undefined,
      progress: undefined,
      alternativeUrl,
      ...(options.repro ? { repro: options.repro } : {}),
    });
    if (!updated) return;
    if (options.notify) await this.notify(updated);
    if (!options.repro) {
      const repro = await reproFor(this.deps.profile, verdict, this.deps.fetcher);
      if (repro) await this.patch(id, { repro });
    }
    // With a verdict stored, this download's stream records (hash, checkpoints) have served their purpose.
    if (this.deps.stream) await this.deps.stream.forgetDownload(updated.downloadId);
  }

  // ---- requests from pages ---------------------------------------------------------------

  async state(): Promise<StateResponse> {
    const downloads = Object.values(await this.deps.store.downloads()).sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
    return {
      downloads,
      profileId: this.deps.profile.id,
      pinnedFingerprints: [...this.deps.profile.pinnedFingerprints],
      fileAccess: this.deps.stream ? 'unknown' : await this.fileAccess(),
    };
  }

  async cancel(id: string): Promise<void> {
    this.running.get(id)?.abort();
    await this.requireTracked(id);
    await this.patch(id, { phase: 'cancelled', progress: undefined });
  }

  async retry(id: string): Promise<void> {
    const tracked = await this.requireTracked(id);
    if (!canRetry(tracked) || this.running.has(id)) throw new IsoVerifyError('usage', `${id} is still being checked`);
    // A failed release-data fetch must be tried again, not served from the cache.
    this.deps.materials.forget(tracked.fileName);
    const [item] = await browser.downloads.search({ id: tracked.downloadId });
    if (!item) throw new IsoVerifyError('io-failed', `download ${tracked.downloadId} is no longer in the browser's list`);
    if (item.state === 'complete') {
      await this.patch(id, { phase: 'verifying', verdict: undefined, error: undefined, alternativeUrl: undefined, repro: undefined });
      await this.onComplete(id, true);
    } else {
      await this.patch(id, { phase: item.state === 'interrupted' ? 'interrupted' : 'downloading', error: undefined });
      this.deps.materials.prefetch(tracked.fileName);
      this.startPolling();
    }
  }

  async forget(id: string): Promise<void> {
    this.running.get(id)?.abort();
    const tracked = await this.deps.store.download(id);
    await this.deps.store.removeDownload(id);
    if (tracked && this.deps.stream) await this.deps.stream.forgetDownload(tracked.downloadId);
    await browser.notifications.clear(notificationId(id)).catch(() => undefined);
  }

  async resumeDownload(id: string): Promise<void> {
    const tracked = await this.requireTracked(id);
    if (!canResumeDownload(tracked)) throw new IsoVerifyError('usage', `${id} is not interrupted`);
    const [item] = await browser.downloads.search({ id: tracked.downloadId });
    if (!item?.canResume) throw new IsoVerifyError('usage', `the browser cannot resume download ${tracked.downloadId}`);
    const resume = () => browser.downloads.resume(tracked.downloadId);
    // Firefox: expect the resumed request, so its 206 may continue this download's checkpoint.
    if (this.deps.stream) await this.deps.stream.resumeDownload(tracked.downloadId, [tracked.url, tracked.finalUrl], resume);
    else await resume();
    await this.patch(id, { phase: 'downloading', verdict: undefined, error: undefined, alternativeUrl: undefined, repro: undefined });
    this.startPolling();
  }

  /**
   * Firefox: the official site's content script hands over a clicked image link, so that the
   * download starts with downloads.download() and is hashed while it arrives (firefox-stream.ts).
   * Only an image of the profile on a pool mirror or the official site is accepted.
   */
  async startLinkDownload(url: string, senderTab: unknown): Promise<void> {
    if (!this.deps.stream) throw new IsoVerifyError('usage', 'links are handed over only where downloads are hashed while they arrive (Firefox)');
    if (senderMayBePrivate(senderTab)) throw new IsoVerifyError('usage', 'links from private windows are left to the browser');
    let target;
    try {
      target = checkLinkDownload(this.deps.profile, await this.deps.pool.cached(), url);
    } catch {
      // The pool in memory may be stale or not loaded yet: judge again with a fresh one.
      target = checkLinkDownload(this.deps.profile, await this.deps.pool.get(), url);
    }
    // Only a request we expect (this download's) gets a stream filter (stream-binding.ts).
    await this.deps.stream.startDownload(target.url, () => browser.downloads.download({ url: target.url }));
  }

  async openVerifyPage(id?: string): Promise<void> {
    const query = id === undefined ? '' : `?download=${encodeURIComponent(id)}`;
    await browser.tabs.create({ url: browser.runtime.getURL(`verify.html${query}`) });
  }

  /** The verify page hashed the file itself and reports the verdict. */
  async attachVerdict(id: string, verdict: Verdict, repro?: TrackedDownload['repro']): Promise<void> {
    const tracked = await this.requireTracked(id);
    const decision = mayAttachVerdict(tracked, verdict);
    if (!decision.ok) throw new IsoVerifyError('input-invalid-value', decision.why);
    this.running.get(id)?.abort();
    await this.patch(id, { hashSource: 'page' });
    await this.deliver(id, verdict, repro ? { notify: false, repro } : { notify: false });
  }

  // ---- start-up --------------------------------------------------------------------------

  /** Pick up after a restart: finish what completed meanwhile, track what started meanwhile. */
  async resumeOnStartup(): Promise<void> {
    // Stream records of downloads long gone must not pile up (nor be picked up later).
    await this.deps.stream?.purgeStale().catch((error: unknown) => console.warn('stream records not purged', errorInfo(error)));
    const all = Object.values(await this.deps.store.downloads());
    for (const tracked of all) {
      if (isSettled(tracked.phase) || tracked.phase === 'awaiting-file') continue;
      const [item] = await browser.downloads.search({ id: tracked.downloadId });
      if (!item) {
        await this.patch(tracked.id, { phase: 'cancelled', error: { code: 'io-failed', detail: 'the download is no longer in the browser' } });
      } else if (item.state === 'complete') {
        await this.onComplete(tracked.id, true);
      } else if (item.state === 'interrupted') {
        await this.patch(tracked.id, { phase: 'interrupted', progress: undefined });
      } else {
        await this.patch(tracked.id, { phase: 'downloading', receivedBytes: item.bytesReceived });
        this.deps.materials.prefetch(tracked.fileName);
      }
    }
    const since = new Date(Date.now() - STARTUP_LOOKBACK_MS).toISOString();
    const recent = await browser.downloads.search({ startedAfter: since, limit: 50, orderBy: ['-startTime'] });
    for (const item of recent) await this.onCreated(item);
    this.startPolling();
    await this.refreshBadge();
  }

  // ---- badge, notifications, progress ----------------------------------------------------

  async refreshBadge(): Promise<void> {
    const badge = badgeFor(Object.values(await this.deps.store.downloads()));
    const action = browser.action;
    await action.setBadgeText({ text: badge.text });
    await action.setBadgeBackgroundColor({ color: badge.color });
    const title = badge.fileName === undefined ? browser.i18n.getMessage(badge.titleKey) : browser.i18n.getMessage(badge.titleKey, [badge.fileName]);
    await action.setTitle({ title: title || browser.i18n.getMessage('extName') });
  }

  private async notify(tracked: TrackedDownload): Promise<void> {
    const text = notificationFor(tracked);
    if (!text) return;
    try {
      await browser.notifications.create(notificationId(tracked.id), {
        type: 'basic',
        iconUrl: browser.runtime.getURL('icons/icon-128.png'),
        title: browser.i18n.getMessage(text.titleKey, text.substitutions),
        message: browser.i18n.getMessage(text.messageKey, text.substitutions),
      });
    } catch (error) {
      console.warn('notification failed', errorInfo(error)); // the badge and popup still tell
    }
  }

  async onNotificationClicked(id: string): Promise<void> {
    await browser.notifications.clear(notificationId(id)).catch(() => undefined);
    if (await this.deps.store.download(id)) await this.openVerifyPage(id);
  }

  /** Firefox stream progress for the download(s) with these URLs. */
  async onStreamProgress(urls: readonly string[], progress: { bytes: number; total?: number; rate: number; etaSeconds?: number }): Promise<void> {
    const all = Object.values(await this.deps.store.downloads());
    for (const d of all) {
      if (d.phase !== 'downloading' || !(urls.includes(d.url) || urls.includes(d.finalUrl))) continue;
      await this.patch(d.id, { progress, receivedBytes: progress.bytes, ...(progress.total ? { totalBytes: progress.total } : {}) });
    }
  }

  /** A stream hash settled: a download that already completed can now go on. */
  async onStreamSettled(urls: readonly string[]): Promise<void> {
    const all = Object.values(await this.deps.store.downloads());
    for (const d of all) {
      if (urls.includes(d.url) || urls.includes(d.finalUrl)) {
        if (d.phase === 'downloading') await this.onComplete(d.id);
      }
    }
  }

  private progressWriter(id: string): Throttle<Partial<TrackedDownload>> {
    let writer = this.progressWriters.get(id);
    if (!writer) {
      writer = new Throttle((fields) => void this.patch(id, fields), 500);
      this.progressWriters.set(id, writer);
    }
    return writer;
  }

  /** While downloads run, refresh their byte counts about once a second (badge percentage). */
  private startPolling(): void {
    if (this.poller !== undefined) return;
    this.poller = setInterval(() => void this.poll(), POLL_MS);
  }

  private async poll(): Promise<void> {
    const downloading = Object.values(await this.deps.store.downloads()).filter((d) => d.phase === 'downloading');
    if (downloading.length === 0) {
      clearInterval(this.poller);
      this.poller = undefined;
      return;
    }
    for (const d of downloading) {
      const [item] = await browser.downloads.search({ id: d.downloadId });
      if (!item) continue;
      if (item.state === 'complete') {
        await this.onComplete(d.id);
      } else if (item.bytesReceived !== d.receivedBytes) {
        await this.patch(d.id, { receivedBytes: item.bytesReceived, ...(item.totalBytes > 0 ? { totalBytes: item.totalBytes } : {}) });
      }
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  private async fileAccess(): Promise<boolean | 'unknown'> {
    try {
      return await browser.extension.isAllowedFileSchemeAccess();
    } catch {
      return 'unknown';
    }
  }

  private async requireTracked(id: string): Promise<TrackedDownload> {
    const tracked = await this.deps.store.download(id);
    if (!tracked) throw new IsoVerifyError('input-invalid-value', `no tracked download ${id}`);
    return tracked;
  }

  /** Merge fields into a stored download; `undefined` values delete the field. */
  private patch(id: string, fields: Partial<TrackedDownload>): Promise<TrackedDownload | undefined> {
    return this.deps.store.updateDownload(id, (current) => {
      if (!current) return undefined;
      const next: Record<string, unknown> = { ...current, updatedAt: nowIso() };
      for (const [key, value] of Object.entries(fields)) {
        if (value === undefined) delete next[key];
        else next[key] = value;
      }
      return next as unknown as TrackedDownload;
    });
  }
}

