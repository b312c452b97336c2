/**
 * The issue's five cases, in Chromium and Firefox, with the extension built with the demo
 * profile (dist/chrome, dist/firefox; `npx webpack --mode production --env profile=demo`):
 *
 *   good        download from /good/            → verified (Firefox: no user action; Chromium: file access)
 *   truncated   download from /truncated/       → incomplete
 *   rogue       download from /rogue/           → mismatch
 *   rogue-key   description signed by a non-pinned key → unverifiable, never verified
 *   upload      the good image picked on verify.html   → verified
 *   repro       rebuilders: two reproduce, one pending, and the static reproducer-d reproduced →
 *               "reproduced by 3 of 4"; one with other
 *               bytes → a red mismatch line, and the verdict stays verified
 *
 * For every download case the downloaded file is also picked on verify.html, which must reach
 * the same verdict (screenshots <browser>-<case>-verify.png).
 * Verdicts are read two ways: the tracked download in extension storage ('downloads',
 * src/wire/download.ts) and `data-verdict` on `[data-testid="verdict"]` in the popup and
 * the verification page. Screenshots: artifacts/screenshots/<browser>-<case>.png.
 */
import type { Page, Target } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { errorOf, verdictOf, type TrackedDownload } from '../../src/wire/download.js';
import type { VerdictKind } from '../../src/core/verdict.js';
import type { MirrorMode } from '../servers/mirror.js';
import {
  launchWithExtension,
  waitForVerdict,
  watchCompletion,
  type BrowserName,
  type ExtensionBrowser,
} from './harness.js';
import { DEFAULT_REBUILD_SCENARIOS, screenshotPath, DEMO_EXTENSION_DIRS } from './world.js';
import { useDemoSession } from './session.js';

const EXTENSION_DIRS = DEMO_EXTENSION_DIRS;
const POPUP_VIEWPORT = { width: 420, height: 640 };
const VERDICT_TIMEOUT_MS = 180_000;

const session = useDemoSession({
  reset: async (world) => {
    await world.setSiteMode('reset');
    await world.setRebuilders(DEFAULT_REBUILD_SCENARIOS);
  },
});

/** Chromium: URLs of the offscreen documents the extension opened (src/background/chromium/offscreen-hash.ts). */
let offscreenDocuments: string[] = [];

async function launch(name: BrowserName): Promise<ExtensionBrowser> {
  const eb = (session.browser = await launchWithExtension(name, {
    extensionDir: EXTENSION_DIRS[name],
    fileAccess: true,
  }));
  offscreenDocuments = [];
  // The document's target is created with an empty URL and gets it when it loads.
  const note = (target: Target) => {
    if (target.url().endsWith('/offscreen.html') && !offscreenDocuments.includes(target.url()))
      offscreenDocuments.push(target.url());
  };
  eb.browser.on('targetcreated', note);
  eb.browser.on('targetchanged', note);
  return eb;
}

/** A download counts as settled when it has a verdict, or stopped where only a person can go on. */
function settled(d: TrackedDownload): boolean {
  return verdictOf(d) !== undefined || d.phase === 'awaiting-file' || d.phase === 'cancelled' || d.phase === 'failed';
}

function describeDownload(d: TrackedDownload): string {
  const verdict = verdictOf(d);
  const error = errorOf(d);
  const reason = verdict && 'reason' in verdict ? ` (${verdict.reason})` : '';
  return `phase=${d.phase} verdict=${verdict?.kind ?? 'none'}${reason} error=${error ? `${error.code}: ${error.detail ?? ''}` : 'none'}`;
}

/** Download the current IMG from the mirror prefix `mode` and wait for the extension's verdict. */
async function downloadAndWait(eb: ExtensionBrowser, mode: MirrorMode): Promise<TrackedDownload> {
  const image = session.world.image('img');
  const url = session.world.mirrorUrlFor(mode, image);
  // Like a person: the download page, then a link to the mirror.
  const page = await eb.openPage(`${session.world.siteUrl}/install/`);
  await page.click(`[data-testid="mirror-${mode}-img"]`);
  return eb.waitForDownload((d) => d.url === url || d.finalUrl === url, { settled, timeoutMs: VERDICT_TIMEOUT_MS });
}

/**
 * The popup (opened as a tab) and the verdict it renders, or 'none'. Its screenshot is taken
 * whatever it shows, so a failing case leaves a picture of what the user would have seen.
 */
async function popupVerdict(eb: ExtensionBrowser, caseName: string): Promise<VerdictKind | 'none'> {
  const popup = await eb.openExtensionPage('popup.html', POPUP_VIEWPORT);
  try {
    return await waitForVerdict(popup, { timeoutMs: 15_000 }).catch(() => 'none' as const);
  } finally {
    await shoot(popup, eb.name, caseName);
  }
}

/** Pick `file` on the verification page and return the verdict it renders (screenshot either way). */
async function verifyPageVerdict(eb: ExtensionBrowser, file: string, shotName: string): Promise<VerdictKind> {
  const page = await eb.openExtensionPage('verify.html');
  const input = await page.waitForSelector('input[type="file"]', { timeout: 30_000 });
  if (!input) throw new Error('verify.html has no file input');
  await input.uploadFile(file);
  try {
    return await waitForVerdict(page, { timeoutMs: VERDICT_TIMEOUT_MS });
  } finally {
    await shoot(page, eb.name, shotName);
  }
}

/**
 * Download from `mode`, then check the stored verdict, the popup's, and the verification
 * page's for the file that landed on disk.
 */
async function expectDownloadVerdict(
  name: BrowserName,
  mode: MirrorMode,
  caseName: string,
  expected: VerdictKind,
): Promise<{ download: TrackedDownload; eb: ExtensionBrowser }> {
  const eb = await launch(name);
  const d = await downloadAndWait(eb, mode);
  const shown = await popupVerdict(eb, caseName);
  expect(verdictOf(d)?.kind, describeDownload(d)).toBe(expected);
  expect(shown, 'verdict rendered by the popup').toBe(expected);
  const onDisk = await eb.waitForFile(session.world.image('img').name, { timeoutMs: 60_000 });
  expect(
    await verifyPageVerdict(eb, onDisk, `${caseName}-verify`),
    'verdict of the verification page for the same file',
  ).toBe(expected);
  return { download: d, eb };
}

/** The download once its reproducibility status is stored (it follows the verdict, never changes it). */
function withRepro(eb: ExtensionBrowser, d: TrackedDownload): Promise<TrackedDownload> {
  return eb.waitForDownload((x) => x.id === d.id, {
    settled: (x) => x.phase === 'done' && x.repro !== undefined,
    timeoutMs: 60_000,
  });
}

/** The popup's reproducibility section, opened, with its screenshot. */
async function popupRepro(eb: ExtensionBrowser, shotName: string): Promise<{ met: string | null; text: string }> {
  const popup = await eb.openExtensionPage('popup.html', POPUP_VIEWPORT);
  try {
    const repro = await popup.waitForSelector('[data-testid="repro"]', { timeout: 30_000 });
    if (!repro) throw new Error('the popup shows no reproducibility status');
    await popup.evaluate(() => {
      for (const details of document.querySelectorAll<HTMLDetailsElement>('[data-testid="repro"] details'))
        details.open = true;
    });
    return await repro.evaluate((el) => ({
      met: el.getAttribute('data-repro-met'),
      text: (el as HTMLElement).innerText,
    }));
  } finally {
    await shoot(popup, eb.name, shotName);
  }
}

async function shoot(page: Page, browser: BrowserName, caseName: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(browser, caseName) }).catch((error: unknown) => {
    process.stderr.write(`screenshot ${browser}-${caseName} failed: ${String(error)}\n`);
  });
}

describe.each(['chromium', 'firefox'] as BrowserName[])('%s with the demo extension', (name) => {
  it('good mirror → verified without any user action, reproduced by 3 of 4 (two rebuilderd, one static reproducer)', async () => {
    const { download, eb } = await expectDownloadVerdict(name, 'good', 'good', 'verified');
    // Chromium reads the finished file in the offscreen document's workers, not in the service worker.
    expect(download.hashSource).toBe(name === 'chromium' ? 'file' : 'stream');
    if (name === 'chromium') expect(offscreenDocuments).toEqual([`${eb.extensionBaseUrl}offscreen.html`]);
    const d = await withRepro(eb, download);
    const verdict = verdictOf(d);
    expect(verdict?.kind === 'verified' && verdict.expected.version).toBe(session.world.release.current);
    const repro = d.phase === 'done' ? d.repro : undefined;
    expect(repro?.reproducedBy, JSON.stringify(repro?.rebuilders.map((r) => `${r.name}: ${r.state}`))).toBe(3);
    expect(repro?.met).toBe(true);
    expect(repro?.rebuilders.map((r) => `${r.name}: ${r.state}`)).toEqual([
      'rebuilder-a: reproduced',
      'rebuilder-b: reproduced',
      'rebuilder-c: pending',
      'reproducer-d: reproduced',
    ]);
    const shown = await popupRepro(eb, 'good-rebuilders');
    expect(shown.met).toBe('true');
    expect(shown.text).toMatch(/3 of 4/);
  });

  it('a rebuilder that got different bytes is shown in red, and the verdict stays verified', async () => {
    await session.world.setRebuilders(['good', 'other-bytes', 'good']);
    const { download, eb } = await expectDownloadVerdict(name, 'good', 'repro-mismatch', 'verified');
    const d = await withRepro(eb, download);
    const repro = d.phase === 'done' ? d.repro : undefined;
    expect(repro?.anyMismatch).toBe(true);
    expect(repro?.met).toBe(false);
    const shown = await popupRepro(eb, 'repro-mismatch-rebuilders');
    expect(shown.met).toBe('false');
    expect(shown.text).toMatch(/different bytes/i);
  });

  it('truncated mirror (first 100 MiB) → incomplete', async () => {
    await expectDownloadVerdict(name, 'truncated', 'truncated', 'incomplete');
  });

  it('rogue mirror (one byte changed) → mismatch', async () => {
    await expectDownloadVerdict(name, 'rogue', 'rogue', 'mismatch');
  });

  it('description signed by a non-pinned key → unverifiable, never verified', async () => {
    await session.world.setSiteMode({ descriptionSigner: 'rogue' });
    await expectDownloadVerdict(name, 'good', 'rogue-key', 'unverifiable');
  });

  it('the good image picked on the verification page → verified', async () => {
    const eb = await launch(name);
    expect(await verifyPageVerdict(eb, session.world.image('img').file, 'upload')).toBe('verified');
  });
});

/**
 * The verdict soon after the browser says complete (#22: goal 3 s at 2 GiB, measured by
 * `npm run bench:verdict`). The bound here is loose, so that a loaded machine does not fail
 * it, yet far below what reading the whole file again would take at the bench's size.
 */
const COMPLETE_TO_VERDICT_BOUND_MS = 10_000;

describe('chromium: a download hashed while Chrome writes it', () => {
  it('at 16 MiB/s most of the image is hashed before it completes; only the tail is read, and it is verified', async () => {
    const eb = await launch('chromium');
    const image = session.world.image('img');
    const url = `${session.world.mirrorUrlFor('slow', image)}?rate=${16 * 1024 * 1024}`;
    const completion = await watchCompletion(eb);
    await eb.download(url);
    const d = await eb.waitForDownload((x) => x.url === url || x.finalUrl === url, {
      settled,
      timeoutMs: VERDICT_TIMEOUT_MS,
    });
    expect(verdictOf(d)?.kind, describeDownload(d)).toBe('verified');
    // The first read waits for 64 MiB past the margin; the 128 MiB image arrives over ~8 s.
    expect(d.hashedAhead ?? 0).toBeGreaterThanOrEqual(64 * 1024 * 1024);
    expect(d.hashedAhead ?? 0).toBeLessThan(image.size);
    const completedAt = await completion.read();
    await completion.close();
    expect(completedAt).toBeDefined();
    expect(Date.parse(d.updatedAt) - completedAt!).toBeLessThan(COMPLETE_TO_VERDICT_BOUND_MS);
    expect(await popupVerdict(eb, 'growing-verified')).toBe('verified');
  });
});

describe('firefox: a download hashed as it arrives', () => {
  it('at 16 MiB/s the verdict follows the completion at once', async () => {
    const eb = await launch('firefox');
    const image = session.world.image('img');
    const url = `${session.world.mirrorUrlFor('slow', image)}?rate=${16 * 1024 * 1024}`;
    const completion = await watchCompletion(eb);
    await eb.download(url);
    const d = await eb.waitForDownload((x) => x.url === url || x.finalUrl === url, {
      settled,
      timeoutMs: VERDICT_TIMEOUT_MS,
    });
    expect(verdictOf(d)?.kind, describeDownload(d)).toBe('verified');
    expect(d.hashSource, describeDownload(d)).toBe('stream');
    const completedAt = await completion.read();
    await completion.close();
    expect(completedAt).toBeDefined();
    expect(Date.parse(d.updatedAt) - completedAt!).toBeLessThan(COMPLETE_TO_VERDICT_BOUND_MS);
  });
});
