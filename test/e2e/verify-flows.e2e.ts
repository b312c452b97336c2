/**
 * The issue's five cases, in Chromium and Firefox, with the extension built with the demo
 * profile (dist/chrome, dist/firefox; `npx webpack --mode production --env profile=demo`):
 *
 *   good        download from /good/            → verified (Firefox: no user action; Chromium: file access)
 *   truncated   download from /truncated/       → incomplete
 *   rogue       download from /rogue/           → mismatch
 *   rogue-key   description signed by a non-pinned key → unverifiable, never verified
 *   upload      the good image picked on verify.html   → verified
 *
 * Verdicts are read two ways: the tracked download in extension storage ('downloads',
 * src/background/protocol.ts) and `data-verdict` on `[data-testid="verdict"]` in the popup and
 * the verification page. Screenshots: artifacts/screenshots/<browser>-<case>.png.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedDownload } from '../../src/background/protocol.js';
import type { VerdictKind } from '../../src/core/verdict.js';
import type { MirrorMode } from '../servers/mirror.js';
import { launchWithExtension, waitForVerdict, type BrowserName, type ExtensionBrowser } from './harness.js';
import { REPO_ROOT, screenshotPath, startDemoWorld, type DemoWorld } from './world.js';

const EXTENSION_DIRS: Record<BrowserName, string> = {
  chromium: path.join(REPO_ROOT, 'dist', 'chrome'),
  firefox: path.join(REPO_ROOT, 'dist', 'firefox'),
};
const POPUP_VIEWPORT = { width: 420, height: 640 };
const VERDICT_TIMEOUT_MS = 180_000;

let world: DemoWorld;
let open: ExtensionBrowser | undefined;

beforeAll(async () => {
  for (const dir of Object.values(EXTENSION_DIRS)) {
    if (!existsSync(path.join(dir, 'manifest.json'))) {
      throw new Error(`${dir} is missing: build first with npx webpack --mode production --env profile=demo`);
    }
  }
  world = await startDemoWorld();
});

afterEach(async () => {
  await open?.close();
  open = undefined;
  await world?.setSiteMode('reset');
});

afterAll(async () => {
  await world?.close();
});

async function launch(name: BrowserName): Promise<ExtensionBrowser> {
  open = await launchWithExtension(name, { extensionDir: EXTENSION_DIRS[name], fileAccess: true });
  return open;
}

/** A download counts as settled when it has a verdict, or stopped where only a person can go on. */
function settled(d: TrackedDownload): boolean {
  return d.verdict !== undefined || d.phase === 'awaiting-file' || d.phase === 'cancelled' || (d.phase === 'done' && d.error !== undefined);
}

function describeDownload(d: TrackedDownload): string {
  const reason = d.verdict && 'reason' in d.verdict ? ` (${d.verdict.reason})` : '';
  return `phase=${d.phase} verdict=${d.verdict?.kind ?? 'none'}${reason} error=${d.error ? `${d.error.code}: ${d.error.detail ?? ''}` : 'none'}`;
}

/** Download the current IMG from the mirror prefix `mode` and wait for the extension's verdict. */
async function downloadAndWait(eb: ExtensionBrowser, mode: MirrorMode): Promise<TrackedDownload> {
  const image = world.image('img');
  const url = world.mirrorUrlFor(mode, image);
  // Like a person: the download page, then a link to the mirror.
  const page = await eb.openPage(`${world.siteUrl}/install/`);
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

/** Download from `mode`, then check the stored verdict and the popup's. */
async function expectDownloadVerdict(name: BrowserName, mode: MirrorMode, caseName: string, expected: VerdictKind): Promise<TrackedDownload> {
  const eb = await launch(name);
  const d = await downloadAndWait(eb, mode);
  const shown = await popupVerdict(eb, caseName);
  expect(d.verdict?.kind, describeDownload(d)).toBe(expected);
  expect(shown, 'verdict rendered by the popup').toBe(expected);
  return d;
}

async function shoot(page: Page, browser: BrowserName, caseName: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(browser, caseName) }).catch((error: unknown) => {
    process.stderr.write(`screenshot ${browser}-${caseName} failed: ${String(error)}\n`);
  });
}

describe.each(['chromium', 'firefox'] as BrowserName[])('%s with the demo extension', (name) => {
  it('good mirror → verified without any user action', async () => {
    const d = await expectDownloadVerdict(name, 'good', 'good', 'verified');
    expect(d.verdict?.kind === 'verified' && d.verdict.expected.version).toBe(world.release.current);
  });

  it('truncated mirror (first 100 MiB) → incomplete', async () => {
    await expectDownloadVerdict(name, 'truncated', 'truncated', 'incomplete');
  });

  it('rogue mirror (one byte changed) → mismatch', async () => {
    await expectDownloadVerdict(name, 'rogue', 'rogue', 'mismatch');
  });

  it('description signed by a non-pinned key → unverifiable, never verified', async () => {
    await world.setSiteMode({ descriptionSigner: 'rogue' });
    await expectDownloadVerdict(name, 'good', 'rogue-key', 'unverifiable');
  });

  it('the good image picked on the verification page → verified', async () => {
    const eb = await launch(name);
    const page = await eb.openExtensionPage('verify.html');
    const input = await page.waitForSelector('input[type="file"]', { timeout: 30_000 });
    if (!input) throw new Error('verify.html has no file input');
    await input.uploadFile(world.image('img').file);
    let verdict: VerdictKind;
    try {
      verdict = await waitForVerdict(page, { timeoutMs: VERDICT_TIMEOUT_MS });
    } finally {
      await shoot(page, name, 'upload');
    }
    expect(verdict).toBe('verified');
  });
});
