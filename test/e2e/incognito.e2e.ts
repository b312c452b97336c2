/**
 * Chromium Incognito (issue #24, goals 1, 2 and 5): what private.e2e.ts does for Firefox and
 * Tor Browser, in Debian's Chromium.
 *
 * How: "Allow in Incognito" is switched as chrome://extensions' details page does
 * (developerPrivate `incognitoAccess`, harness.ts); an Incognito window is the browser's own
 * off-the-record profile, opened with `windows.create({ incognito: true })` (as Ctrl+Shift+N);
 * its downloads go to the test's directory through CDP Page.setDownloadBehavior on its page.
 *
 * - ordinary window (control): the official page's link to the good mirror is verified, and
 *   the widget verifies the file through the extension; after quitting, the search finds the
 *   file name in the profile (the record is in storage.local): the search can fail.
 * - Incognito, allowed: the same link and widget reach the same verdict, signed by the same
 *   key at the same time; the record is private and only in storage.session; a notification
 *   tells the verdict; after quitting, no file of the profile contains the file name, the
 *   mirror's host, the download URL or the image's SHA-256 (hex or raw).
 * - Incognito, not allowed (Chrome's default): the options page says so in one sentence with
 *   how to allow it; the extension sees nothing of the Incognito download.
 * In each the browser's own end state is the same: the download completes and the file, whole,
 * is in the download directory; and the person acts once (the click on the link).
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { verdictOf } from '../../src/wire/download.js';
import { idOfDownloadKey } from '../../src/extension/storage.js';
import { launchWithExtension, type ExtensionBrowser } from './harness.js';
import { DEMO_EXTENSION_DIRS, screenshotPath } from './world.js';
import { useDemoSession } from './session.js';
import {
  decisive,
  describeDownload,
  needlesFor,
  officialPageFlow,
  searchProfile,
  type FlowResult,
} from './private-flow.js';

const session = useDemoSession({
  reset: async (world) => {
    await world.setSiteMode('reset');
  },
});

/** The browser's own end state of the download: the file in the download directory, whole. */
async function endState(eb: ExtensionBrowser): Promise<{ file: string; size: number; sha256: string }> {
  const image = session.world.image('img');
  const file = await eb.waitForFile(image.name, { size: image.size, timeoutMs: 120_000 });
  const bytes = await readFile(file);
  return {
    file: path.basename(file),
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** Download keys in storage.local and storage.session. */
async function recordKeys(eb: ExtensionBrowser): Promise<{ local: string[]; session: string[] }> {
  const keys = (all: Record<string, unknown> | undefined) =>
    Object.keys(all ?? {}).filter((key) => idOfDownloadKey(key) !== undefined);
  return {
    local: keys(await eb.storage<Record<string, unknown>>(null as unknown as string)),
    session: keys(await eb.sessionStorage<Record<string, unknown>>(null)),
  };
}

async function privateWindowsSection(eb: ExtensionBrowser): Promise<{ allowed: string | null; text: string }> {
  const options = await eb.openExtensionPage('options.html');
  try {
    const section = await options.waitForSelector('[data-testid="private-windows"]', { timeout: 20_000 });
    return {
      allowed: await section!.evaluate((el) => el.getAttribute('data-allowed')),
      text: await section!.evaluate((el) => el.querySelector('p')?.textContent ?? ''),
    };
  } finally {
    await options.screenshot({ path: screenshotPath('chromium', 'incognito-options') }).catch(() => undefined);
    await options.close();
  }
}

/** The words chrome://extensions shows: the card's "Details" button and the details page's Incognito switch. */
async function chromeLabels(eb: ExtensionBrowser): Promise<{ details: string; allowIncognito: string }> {
  const page = await eb.browser.newPage();
  try {
    await page.goto('chrome://extensions/', { waitUntil: 'load' });
    const button = await page.waitForSelector('>>> extensions-item >>> #detailsButton', { timeout: 15_000 });
    const details = (await button!.evaluate((el) => el.textContent ?? '')).trim();
    await page.goto(`chrome://extensions/?id=${eb.extensionId}`, { waitUntil: 'load' });
    const row = await page.waitForSelector('>>> extensions-detail-view >>> #allow-incognito', { timeout: 15_000 });
    const allowIncognito = (await row!.evaluate((el) => el.textContent ?? '')).replace(/\s+/g, ' ').trim();
    await page.screenshot({ path: screenshotPath('chromium', 'incognito-extension-details') }).catch(() => undefined);
    return { details, allowIncognito };
  } finally {
    await page.close().catch(() => {});
  }
}

const expected = () => {
  const image = session.world.image('img');
  return { file: image.name, size: image.size, sha256: image.sha256.toLowerCase() };
};

describe('Chromium: Incognito windows', () => {
  let baseline: FlowResult | undefined;

  it('ordinary window (control): verified by the official page flow and the widget, and the profile search finds the record of this download', async () => {
    const eb = (session.browser = await launchWithExtension('chromium', {
      extensionDir: DEMO_EXTENSION_DIRS.chromium,
      incognitoAccess: true,
    }));
    const result = await officialPageFlow(eb, session.world, 'incognito-control');
    expect(verdictOf(result.download)?.kind, describeDownload(result.download)).toBe('verified');
    expect(result.download.private).toBeUndefined();
    expect(result.popup).toBe('verified');
    expect(result.widget).toEqual({ kind: 'verified', byExtension: true });
    expect(await recordKeys(eb)).toEqual({ local: [`download:${result.download.id}`], session: [] });
    expect(await endState(eb)).toEqual(expected());
    baseline = result;
    const profile = eb.profileDir;
    await eb.close({ keepProfile: true });
    session.browser = undefined;
    try {
      const hits = await searchProfile(profile, { 'file name': session.world.image('img').name });
      expect(hits.length, 'the search finds the history record of an ordinary download').toBeGreaterThan(0);
    } finally {
      await rm(path.dirname(profile), { recursive: true, force: true });
    }
  });

  it('Incognito, allowed: same verdict and signature in one action, record in session memory only, and no trace in the profile after quitting', async () => {
    expect(baseline, 'the ordinary-window control ran first').toBeDefined();
    const eb = (session.browser = await launchWithExtension('chromium', {
      extensionDir: DEMO_EXTENSION_DIRS.chromium,
      incognitoAccess: true,
    }));
    const section = await privateWindowsSection(eb);
    expect(section.allowed).toBe('true');

    let incognitoPage: Page | undefined;
    const result = await officialPageFlow(eb, session.world, 'incognito', {
      open: async (url) => (incognitoPage = await eb.openIncognitoPage(url)),
      // Opening the popup clears the notification checked below: the popup is opened after it.
      popup: false,
    });
    expect(verdictOf(result.download)?.kind, describeDownload(result.download)).toBe('verified');
    expect(result.download.private).toBe(true);
    expect(decisive(verdictOf(result.download))).toEqual(decisive(verdictOf(baseline!.download)));
    expect(result.widget).toEqual({ kind: 'verified', byExtension: true });
    expect(incognitoPage).toBeDefined();

    // The person's one action was the click: the verdict reaches them by a notification.
    const worker = await (
      await eb.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(eb.extensionBaseUrl), {
        timeout: 15_000,
      })
    ).worker();
    const notifications = await worker!.evaluate(() =>
      (
        globalThis as unknown as { chrome: { notifications: { getAll(): Promise<Record<string, unknown>> } } }
      ).chrome.notifications.getAll(),
    );
    expect(Object.keys(notifications)).toContain(`iso-verify:${result.download.id}`);

    // A popup in an ordinary window lists nothing of it. (The popup of the Incognito window
    // itself cannot be opened under automation: puppeteer's triggerAction and action.openPopup
    // open popup.html as a tab of an ordinary window; private-window.test.ts covers its choice.)
    const ordinaryPopup = await eb.openExtensionPage('popup.html', { width: 420, height: 640 });
    await ordinaryPopup.waitForSelector('[data-testid="downloads-empty"]', { timeout: 15_000 });
    expect(await ordinaryPopup.$('[data-testid="verdict"]')).toBeNull();
    await ordinaryPopup.close();

    // Nothing about it in storage.local: the record is in storage.session.
    expect(await recordKeys(eb)).toEqual({ local: [], session: [`download:${result.download.id}`] });
    expect(await endState(eb)).toEqual(expected());

    const profile = eb.profileDir;
    await eb.close({ keepProfile: true });
    session.browser = undefined;
    try {
      expect(await searchProfile(profile, needlesFor(session.world))).toEqual([]);
    } finally {
      await rm(path.dirname(profile), { recursive: true, force: true });
    }
  });

  it('Incognito, not allowed (the default): the options page says how to allow it in one sentence; the download is the browser’s alone', async () => {
    // Only an extension allowed in Incognito can open an Incognito window: open it, then switch
    // "Allow in Incognito" off as a person does (Chrome reloads the extension), then load the page again.
    const eb = (session.browser = await launchWithExtension('chromium', {
      extensionDir: DEMO_EXTENSION_DIRS.chromium,
      incognitoAccess: true,
    }));
    const page = await eb.openIncognitoPage(`${session.world.siteUrl}/install/`);
    await eb.setIncognitoAccess(false);
    await page.reload({ waitUntil: 'load' });
    const section = await privateWindowsSection(eb);
    expect(section.allowed).toBe('false');
    expect(section.text).toContain('Incognito');
    expect(section.text).toContain('chrome://extensions');
    // The labels are Chrome's own: read from chrome://extensions in this browser.
    const labels = await chromeLabels(eb);
    expect(labels.details).toBe('Details');
    expect(labels.allowIncognito).toContain('Allow in Incognito');
    expect(section.text).toContain(`“${labels.details}”`);
    expect(section.text).toContain('“Allow in Incognito”');
    expect(section.text.trim().split(/(?<=[.!?])\s/)).toHaveLength(1);

    await page.waitForSelector('[data-testid="mirror-good-img"]', { timeout: 20_000 });
    await page.click('[data-testid="mirror-good-img"]');
    expect(await endState(eb)).toEqual(expected());
    expect(await recordKeys(eb)).toEqual({ local: [], session: [] });
  });
});
