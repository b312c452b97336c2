/**
 * Nothing is lost when the extension's background is killed in the middle of its work.
 *
 * Chromium (MV3 service worker): the worker is stopped through CDP's ServiceWorker domain
 * (ServiceWorker.stopWorker, from an extension page's session), and the test waits until
 * Chromium reports that version 'stopped'. Then the watchdog alarm is cleared, so the worker
 * stays stopped until the event under test wakes it, and the test checks that it is still
 * stopped before that event. All reads go through extension pages opened before the stop
 * (opening popup.html messages the background, which would wake it). Moments and wakers:
 *   - while the image still arrives from the mirror's /slow/ prefix (same bytes as /good/,
 *     dripped): the download's completion event must wake the worker, which picks it up;
 *   - while the finished file is being hashed through file://: a later event must wake the
 *     worker, whose start-up (Controller.resumeOnStartup) hashes the file again. Three wakers:
 *     an unrelated download (a browser event), the person opening the popup, and — with
 *     nothing happening at all — the watchdog alarm (src/background/watchdog.ts), left in
 *     place for that case.
 * Each time the tracked download (storage 'downloads') must keep its identity (id, downloadId,
 * startedAt) and still reach 'verified'.
 *
 * Firefox is not covered: its background is an event page that the WebExtension API offers no
 * way to stop on its own; runtime.reload() reloads the whole add-on, which also tears down the
 * webRequest stream filter that hashes the download while it arrives — a different scenario
 * (an add-on update) than a background being suspended, and the harness has no BiDi command to
 * suspend an event page.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page, Protocol } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, verdictOf, type DownloadPhase, type TrackedDownload } from '../../src/wire/download.js';
import { WATCHDOG_ALARM } from '../../src/background/watchdog.js';
import { launchWithExtension, type ExtensionBrowser } from './harness.js';
import { screenshotPath, startDemoWorld, DEMO_EXTENSION_DIRS, requireDemoBuilds, type DemoWorld } from './world.js';

const EXTENSION_DIR = DEMO_EXTENSION_DIRS.chromium;
const VERDICT_TIMEOUT_MS = 180_000;
/** Once woken, hashing 128 MiB and verifying takes seconds: a minute means nothing resumed. */
const WAKE_TIMEOUT_MS = 60_000;
/** /slow/ rate for the mid-download case: the 128 MiB image takes ~10 s, time enough to stop the worker once bytes flow. */
const SLOW_RATE = 12 * 1024 * 1024;

let world: DemoWorld;
let open: ExtensionBrowser | undefined;

beforeAll(async () => {
  requireDemoBuilds([EXTENSION_DIR]);
  world = await startDemoWorld();
});

beforeEach(() => {
  testStarted.at = Date.now();
});

afterEach(async () => {
  await open?.close();
  open = undefined;
});

afterAll(async () => {
  await world?.close();
});

const testStarted = { at: Date.now() };
/** Milestones on stderr, so a slow run shows where the time went. */
function log(what: string): void {
  process.stderr.write(`restart.e2e +${((Date.now() - testStarted.at) / 1000).toFixed(1)}s ${what}\n`);
}

type WorkerVersion = Protocol.ServiceWorker.ServiceWorkerVersion;
type RunningStatus = Protocol.ServiceWorker.ServiceWorkerVersionRunningStatus;

/**
 * The extension's service worker as Chromium itself reports it: the ServiceWorker domain of an
 * extension page's DevTools session (same storage partition as the worker). Its runningStatus
 * says whether the worker runs. The worker's DevTools target is no such witness: Chromium keeps a
 * stopped worker's target while a DevTools session is attached and reuses it when the worker
 * starts again, so "target destroyed" can fail to come although the worker did stop (under
 * load, the stop and a restart by the watchdog alarm can fall between puppeteer's close and
 * its detach; that made this file flaky).
 */
class WorkerWatch {
  private version: WorkerVersion | undefined;
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly session: CDPSession,
    private readonly scriptUrl: string,
  ) {
    session.on('ServiceWorker.workerVersionUpdated', (event) => {
      for (const version of event.versions) {
        if (version.scriptURL !== this.scriptUrl) continue;
        if (this.version?.runningStatus !== version.runningStatus) log(`service worker ${version.runningStatus}`);
        this.version = version;
      }
      for (const waiter of this.waiters) waiter();
    });
  }

  static async open(eb: ExtensionBrowser, page: Page): Promise<WorkerWatch> {
    const watch = new WorkerWatch(await page.createCDPSession(), `${eb.extensionBaseUrl}background.js`);
    await watch.session.send('ServiceWorker.enable');
    await watch.until((v) => v !== undefined, 30_000, 'no service worker of the extension reported');
    return watch;
  }

  get status(): RunningStatus | undefined {
    return this.version?.runningStatus;
  }

  /** Resolve once `ok(version)` holds; reject with `what` after `timeoutMs`. */
  until(ok: (version: WorkerVersion | undefined) => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!ok(this.version)) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${what} (service worker: ${this.version?.runningStatus ?? 'none'})`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /**
   * Stop the worker and keep it stopped until an event of the test's choosing wakes it: the
   * watchdog alarm (src/background/watchdog.ts), which would start it within 30 s whatever
   * the test does, is cleared while the worker is stopped (a stopped worker cannot set it
   * again). If the alarm fired in between, the worker is running again and is stopped anew.
   */
  async stopAndQuiet(page: Page): Promise<void> {
    for (let attempt = 1; attempt <= 5; attempt++) {
      await this.stop();
      await page.evaluate(
        (name: string) => (globalThis as unknown as { chrome: PageAlarmsApi }).chrome.alarms.clear(name),
        WATCHDOG_ALARM,
      );
      if (this.status === 'stopped') return;
      log(`service worker started again before the watchdog was cleared (attempt ${attempt})`);
    }
    throw new Error(`the service worker kept starting again (service worker: ${this.status ?? 'none'})`);
  }

  /** ServiceWorker.stopWorker, then wait for Chromium to report the version stopped (the watchdog stays). */
  async stop(): Promise<void> {
    const version = this.version;
    if (!version) throw new Error('no service worker of the extension reported');
    if (version.runningStatus === 'stopped') return;
    await this.session.send('ServiceWorker.stopWorker', { versionId: version.versionId });
    await this.until((v) => v?.runningStatus === 'stopped', 30_000, 'the service worker did not stop');
  }
}

/** The part of `chrome.*` the test uses to clear the watchdog alarm inside the extension page. */
interface PageAlarmsApi {
  alarms: { clear(name: string): Promise<boolean> };
}

/**
 * Resolve, inside an extension page, as soon as the tracked download of `fileName` is in
 * `phase` (and `minBytes` received): the worker is then stopped within milliseconds.
 */
async function waitForPhase(
  page: Page,
  fileName: string,
  phase: DownloadPhase,
  minBytes = 0,
): Promise<TrackedDownload> {
  const found = await page.evaluate(
    (name: string, want: string, bytes: number, timeoutMs: number) =>
      new Promise<unknown>((resolve, reject) => {
        const api = (globalThis as unknown as { chrome: PageChromeApi }).chrome;
        // Each tracked download is its own storage key, `download:<id>` (src/extension/storage.ts).
        const pick = (all: Record<string, { newValue?: unknown } | unknown>, changes: boolean) =>
          Object.entries(all)
            .filter(([key]) => key.startsWith('download:'))
            .map(
              ([, value]) =>
                (changes ? (value as { newValue?: unknown }).newValue : value) as
                  { fileName: string; phase: string; receivedBytes: number } | undefined,
            )
            .find((d) => d !== undefined && d.fileName === name && d.phase === want && d.receivedBytes >= bytes);
        const done = (d: unknown) => {
          api.storage.onChanged.removeListener(listener);
          clearTimeout(timer);
          resolve(d);
        };
        const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
          const d = area === 'local' ? pick(changes, true) : undefined;
          if (d) done(d);
        };
        const timer = setTimeout(() => {
          api.storage.onChanged.removeListener(listener);
          void api.storage.local
            .get(null)
            .then((all) => reject(new Error(`no ${want} phase seen; storage: ${JSON.stringify(all)}`)));
        }, timeoutMs);
        api.storage.onChanged.addListener(listener);
        void api.storage.local.get(null).then((all) => {
          const d = pick(all, false);
          if (d) done(d);
        });
      }),
    fileName,
    phase,
    minBytes,
    VERDICT_TIMEOUT_MS,
  );
  return found as TrackedDownload;
}

/** The part of `chrome.*` the watcher uses inside the extension page. */
interface PageChromeApi {
  storage: {
    local: { get(key: string | null): Promise<Record<string, unknown>> };
    onChanged: {
      addListener(listener: (changes: Record<string, { newValue?: unknown }>, area: string) => void): void;
      removeListener(listener: (changes: Record<string, { newValue?: unknown }>, area: string) => void): void;
    };
  };
}

async function trackedNow(eb: ExtensionBrowser, id: string): Promise<TrackedDownload | undefined> {
  return (await eb.downloads()).find((d) => d.id === id);
}

function describeDownload(d: TrackedDownload | undefined): string {
  if (!d) return 'not tracked';
  const verdict = verdictOf(d);
  const error = errorOf(d);
  const reason = verdict && 'reason' in verdict ? ` (${verdict.reason})` : '';
  return `phase=${d.phase} verdict=${verdict?.kind ?? 'none'}${reason} error=${error ? `${error.code}: ${error.detail ?? ''}` : 'none'}`;
}

/** The download after the restart: the same one, verified. */
function expectSameAndVerified(before: TrackedDownload, after: TrackedDownload): void {
  expect(verdictOf(after)?.kind, describeDownload(after)).toBe('verified');
  expect(after.id).toBe(before.id);
  expect(after.downloadId).toBe(before.downloadId);
  expect(after.startedAt).toBe(before.startedAt);
  expect(after.url).toBe(before.url);
  expect(after.hashSource).toBe('file');
  const verdict = verdictOf(after);
  expect(verdict?.kind === 'verified' && verdict.expected.version).toBe(world.release.current);
}

/**
 * The extension pages the test reads through, opened while the worker runs: opening
 * popup.html messages the background (src/ui/popup.tsx), so a page opened after the stop
 * would itself wake the worker and hide whether the event under test does.
 */
async function watchers(eb: ExtensionBrowser): Promise<{ page: Page; worker: WorkerWatch }> {
  const page = await eb.openExtensionPage('popup.html');
  await eb.downloads(); // opens the harness's own storage page now
  return { page, worker: await WorkerWatch.open(eb, page) };
}

describe('chromium: the service worker is stopped mid-operation', () => {
  it('stopped while the image downloads → the completion wakes it, and the download is verified', async () => {
    const eb = (open = await launchWithExtension('chromium', { extensionDir: EXTENSION_DIR, fileAccess: true }));
    const image = world.image('img');
    const watch = await watchers(eb);
    await eb.download(`${world.mirrorUrlFor('slow', image)}?rate=${SLOW_RATE}`);

    log('browser up, download started');
    const before = await waitForPhase(watch.page, image.name, 'downloading', 1);
    await watch.worker.stopAndQuiet(watch.page);
    log('worker stopped mid-download');
    // Landed mid-download: the file is not complete yet and there is no verdict.
    const atStop = await trackedNow(eb, before.id);
    expect(atStop && verdictOf(atStop), describeDownload(atStop)).toBeUndefined();
    expect(
      existsSync(path.join(eb.downloadDir, image.name)),
      'the download had already finished when the worker stopped',
    ).toBe(false);
    expect(watch.worker.status, 'something other than the download woke the worker').toBe('stopped');

    // Nothing but the browser's own download events brings the worker back.
    const after = await eb.waitForDownload((d) => d.id === before.id, { timeoutMs: VERDICT_TIMEOUT_MS });
    log('verdict after restart');
    // A fresh tab in front: screenshots of background tabs can hang until the protocol timeout.
    const popup = await eb.openExtensionPage('popup.html', { width: 420, height: 640 });
    await popup.screenshot({ path: screenshotPath('chromium', 'restart-mid-download') }).catch(() => undefined);
    expectSameAndVerified(before, after);
    expect(after.totalBytes).toBe(image.size);
  });

  /**
   * Start the good image, stop the worker while the finished file is hashed; returns the
   * download as it was then. `quiet`: also clear the watchdog alarm, so only the test's own
   * waker can start the worker again.
   */
  async function stopMidHash(
    eb: ExtensionBrowser,
    quiet: boolean,
  ): Promise<{ before: TrackedDownload; worker: WorkerWatch }> {
    const image = world.image('img');
    const watch = await watchers(eb);
    await eb.download(world.mirrorUrlFor('good', image));
    const before = await waitForPhase(watch.page, image.name, 'hashing');
    // The file is read in the offscreen document's workers: stop the service worker once they
    // run (Chromium does not stop it while the document is still being created).
    await eb.browser.waitForTarget((t) => t.url() === `${eb.extensionBaseUrl}hash-worker.js`, { timeout: 60_000 });
    if (quiet) await watch.worker.stopAndQuiet(watch.page);
    else await watch.worker.stop();
    log('worker stopped mid-hash');
    // Landed mid-hash: still 'hashing', no verdict (else the hash won the race and this proves nothing).
    const atStop = await trackedNow(eb, before.id);
    expect(atStop?.phase, describeDownload(atStop)).toBe('hashing');
    expect(atStop && verdictOf(atStop)).toBeUndefined();
    if (quiet) expect(watch.worker.status, 'something other than the waker woke the worker').toBe('stopped');
    return { before, worker: watch.worker };
  }

  it('stopped while hashing the finished file → the next download event wakes it, it hashes anew, verified', async () => {
    const eb = (open = await launchWithExtension('chromium', { extensionDir: EXTENSION_DIR, fileAccess: true }));
    const { before } = await stopMidHash(eb, true);
    // Any download wakes the worker (here the image's signature, which is not tracked itself).
    await eb.download(`${world.mirrorUrlFor('good', world.image('img'))}.sig`);
    const after = await eb.waitForDownload((d) => d.id === before.id, { timeoutMs: WAKE_TIMEOUT_MS });
    log('verdict after restart');
    expectSameAndVerified(before, after);
  });

  it('stopped while hashing the finished file → opening the popup resumes the work, verified', async () => {
    const eb = (open = await launchWithExtension('chromium', { extensionDir: EXTENSION_DIR, fileAccess: true }));
    const { before } = await stopMidHash(eb, true);
    // What a person does when the badge stops moving: open the popup.
    const popup = await eb.openExtensionPage('popup.html', { width: 420, height: 640 });
    try {
      const after = await eb.waitForDownload((d) => d.id === before.id, { timeoutMs: WAKE_TIMEOUT_MS });
      expectSameAndVerified(before, after);
    } finally {
      await popup.screenshot({ path: screenshotPath('chromium', 'restart-mid-hash-popup') }).catch(() => undefined);
    }
  });

  it('stopped while hashing the finished file, and nothing happens → the watchdog alarm wakes it, verified', async () => {
    const eb = (open = await launchWithExtension('chromium', { extensionDir: EXTENSION_DIR, fileAccess: true }));
    const { before, worker } = await stopMidHash(eb, false);
    // No person, no event: the alarm (every 30 s while work is unfinished) must start it.
    await worker.until((v) => v?.runningStatus === 'running', WAKE_TIMEOUT_MS, 'the watchdog did not start the worker');
    log('worker started again by the watchdog');
    const after = await eb.waitForDownload((d) => d.id === before.id, { timeoutMs: WAKE_TIMEOUT_MS });
    log('verdict after restart');
    expectSameAndVerified(before, after);
  });
});
