/**
 * Nothing is lost when the extension's background is killed in the middle of its work.
 *
 * Chromium (MV3 service worker): the worker is stopped through CDP (puppeteer's
 * WebWorker.close() = Target.closeTarget on the service_worker target, as in Chrome's guide
 * "Test service worker termination with Puppeteer"), at two moments:
 *   - while the image still arrives from the mirror's /slow/ prefix (same bytes as /good/,
 *     dripped): the download's completion event must wake the worker, which picks it up;
 *   - while the finished file is being hashed through file://: a later event must wake the
 *     worker, whose start-up (Controller.resumeOnStartup) hashes the file again. Two wakers:
 *     an unrelated download (a browser event), and the person opening the popup. The popup
 *     case fails while the popup only reads storage and never messages the background (nothing
 *     then starts a stopped worker, and the download shows 'hashing' forever).
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
import type { Page, Target } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, verdictOf, type DownloadPhase, type TrackedDownload } from '../../src/wire/download.js';
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

function isWorkerOf(eb: ExtensionBrowser): (t: Target) => boolean {
  return (t) => t.type() === 'service_worker' && t.url().startsWith(eb.extensionBaseUrl);
}

/**
 * Stop the extension's service worker and wait until Chromium reports that very worker gone
 * (its target destroyed). Not "no worker of the extension left": an event may start a new one
 * at once (a download event, the offscreen document's port), which is the work resuming, not a
 * worker that failed to stop. If the worker is still there after a while (Chromium may defer
 * the stop while the offscreen document talks to it), it is asked to stop again.
 */
async function stopServiceWorker(eb: ExtensionBrowser): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const target = await eb.browser.waitForTarget(isWorkerOf(eb), { timeout: 30_000 });
    const gone = new Promise<void>((resolve) => {
      const onDestroyed = (t: Target) => {
        if (t !== target) return;
        eb.browser.off('targetdestroyed', onDestroyed);
        resolve();
      };
      eb.browser.on('targetdestroyed', onDestroyed);
      if (!eb.browser.targets().includes(target)) {
        eb.browser.off('targetdestroyed', onDestroyed);
        resolve();
      }
    });
    if (attempt === 1) {
      const worker = await target.worker();
      if (!worker) throw new Error('the service_worker target has no worker');
      // Under load the first close() can detach the worker's DevTools session while the worker
      // still runs; a later close() on it then finds "No session with given id".
      await worker.close().catch((error: unknown) => log(`close(): ${String(error)}`));
    } else {
      // Again through the browser's own session, which the first close() did not detach.
      const targetId = (target as unknown as { _targetId: string })._targetId;
      const session = await eb.browser.target().createCDPSession();
      await session
        .send('Target.closeTarget', { targetId })
        .catch((error: unknown) => log(`Target.closeTarget: ${String(error)}`));
      await session.detach().catch(() => {});
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopped = await Promise.race([
      gone.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 10_000))),
    ]);
    clearTimeout(timer);
    if (stopped) return;
    if (attempt === 3)
      throw new Error(
        `the service worker did not stop; targets: ${eb.browser
          .targets()
          .map((t) => `${t.type()} ${t.url()}`)
          .join(', ')}`,
      );
    log(`service worker still running after close(), attempt ${attempt}: closing it again`);
  }
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

describe('chromium: the service worker is stopped mid-operation', () => {
  it('stopped while the image downloads → the completion wakes it, and the download is verified', async () => {
    const eb = (open = await launchWithExtension('chromium', { extensionDir: EXTENSION_DIR, fileAccess: true }));
    const image = world.image('img');
    const watcher = await eb.openExtensionPage('popup.html');
    await eb.download(`${world.mirrorUrlFor('slow', image)}?rate=${SLOW_RATE}`);

    log('browser up, download started');
    const before = await waitForPhase(watcher, image.name, 'downloading', 1);
    await stopServiceWorker(eb);
    log('worker stopped mid-download');
    // Landed mid-download: the file is not complete yet and there is no verdict.
    const atStop = await trackedNow(eb, before.id);
    expect(atStop && verdictOf(atStop), describeDownload(atStop)).toBeUndefined();
    expect(
      existsSync(path.join(eb.downloadDir, image.name)),
      'the download had already finished when the worker stopped',
    ).toBe(false);

    // Nothing but the browser's own download events brings the worker back.
    const after = await eb.waitForDownload((d) => d.id === before.id, { timeoutMs: VERDICT_TIMEOUT_MS });
    log('verdict after restart');
    // A fresh tab in front: screenshots of background tabs can hang until the protocol timeout.
    const popup = await eb.openExtensionPage('popup.html', { width: 420, height: 640 });
    await popup.screenshot({ path: screenshotPath('chromium', 'restart-mid-download') }).catch(() => undefined);
    expectSameAndVerified(before, after);
    expect(after.totalBytes).toBe(image.size);
  });

  /** Start the good image, stop the worker while the finished file is hashed; returns the download as it was then. */
  async function stopMidHash(eb: ExtensionBrowser): Promise<TrackedDownload> {
    const image = world.image('img');
    const watcher = await eb.openExtensionPage('popup.html');
    await eb.download(world.mirrorUrlFor('good', image));
    const before = await waitForPhase(watcher, image.name, 'hashing');
    // The file is read in the offscreen document's workers: stop the service worker once they
    // run (Chromium does not stop it while the document is still being created).
    await eb.browser.waitForTarget((t) => t.url() === `${eb.extensionBaseUrl}hash-worker.js`, { timeout: 60_000 });
    await stopServiceWorker(eb);
    log('worker stopped mid-hash');
    // Landed mid-hash: still 'hashing', no verdict (else the hash won the race and this proves nothing).
    const atStop = await trackedNow(eb, before.id);
    expect(atStop?.phase, describeDownload(atStop)).toBe('hashing');
    expect(atStop && verdictOf(atStop)).toBeUndefined();
    return before;
  }

  it('stopped while hashing the finished file → the next download event wakes it, it hashes anew, verified', async () => {
    const eb = (open = await launchWithExtension('chromium', { extensionDir: EXTENSION_DIR, fileAccess: true }));
    const before = await stopMidHash(eb);
    // Any download wakes the worker (here the image's signature, which is not tracked itself).
    await eb.download(`${world.mirrorUrlFor('good', world.image('img'))}.sig`);
    const after = await eb.waitForDownload((d) => d.id === before.id, { timeoutMs: WAKE_TIMEOUT_MS });
    log('verdict after restart');
    expectSameAndVerified(before, after);
  });

  it('stopped while hashing the finished file → opening the popup resumes the work, verified', async () => {
    const eb = (open = await launchWithExtension('chromium', { extensionDir: EXTENSION_DIR, fileAccess: true }));
    const before = await stopMidHash(eb);
    // What a person does when the badge stops moving: open the popup.
    const popup = await eb.openExtensionPage('popup.html', { width: 420, height: 640 });
    try {
      const after = await eb.waitForDownload((d) => d.id === before.id, { timeoutMs: WAKE_TIMEOUT_MS });
      expectSameAndVerified(before, after);
    } finally {
      await popup.screenshot({ path: screenshotPath('chromium', 'restart-mid-hash-popup') }).catch(() => undefined);
    }
  });
});
