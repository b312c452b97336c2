/**
 * Tor Browser and private windows (issue #24, goals 1, 2 and 5), Firefox ESR.
 *
 * Tor Browser is Firefox in permanent private browsing with fingerprinting resistance and
 * first-party isolation; the harness sets those prefs (TOR_BROWSER_PREFS) and installs the
 * add-on allowed in private windows, as a person does in about:addons. Then:
 *
 * - ordinary window (baseline): a download from the official page's link to the good mirror
 *   is verified; the widget on the official page verifies the downloaded file through the
 *   extension. After the browser quit, the search below finds the download's file name in the
 *   profile: the search works (the record is in storage.local, the history).
 * - Tor-Browser-like: the same two flows reach the same verdicts, signed by the same key at
 *   the same signature time; the record is private and only in storage.session; and after the
 *   browser quit, nothing in the whole profile directory (every file, sqlite / IndexedDB /
 *   cache / session store, mozLz4 files decompressed) contains the file name, the mirror's
 *   host:port, the download URL or the image's SHA-256 (hex, or its 32 raw bytes).
 *
 * Chromium Incognito: incognito.e2e.ts (the helpers are shared: private-flow.ts).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verdictOf } from '../../src/wire/download.js';
import { idOfDownloadKey } from '../../src/extension/storage.js';
import { launchWithExtension } from './harness.js';
import { DEMO_EXTENSION_DIRS } from './world.js';
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

describe('Firefox: private windows and a Tor-Browser-like set-up', () => {
  let baseline: FlowResult | undefined;

  it('ordinary window: verified by the official page flow and the widget, and the profile search finds the record of this download', async () => {
    const eb = (session.browser = await launchWithExtension('firefox', { extensionDir: DEMO_EXTENSION_DIRS.firefox }));
    const result = await officialPageFlow(eb, session.world, 'ordinary');
    expect(verdictOf(result.download)?.kind, describeDownload(result.download)).toBe('verified');
    expect(result.download.private).toBeUndefined();
    expect(result.popup).toBe('verified');
    expect(result.widget).toEqual({ kind: 'verified', byExtension: true });
    baseline = result;
    const profile = eb.profileDir;
    await eb.close({ keepProfile: true });
    session.browser = undefined;
    try {
      // The control: the same search does see a record kept on disk (storage.local).
      const hits = await searchProfile(profile, { 'file name': session.world.image('img').name });
      expect(hits.length, 'the search finds the history record of an ordinary download').toBeGreaterThan(0);
    } finally {
      await rm(path.dirname(profile), { recursive: true, force: true });
    }
  });

  it('Tor-Browser-like (permanent private browsing, resistFingerprinting, first-party isolation): same verdicts and signature, record in session memory only, and no trace in the profile after quitting', async () => {
    const eb = (session.browser = await launchWithExtension('firefox', {
      extensionDir: DEMO_EXTENSION_DIRS.firefox,
      torBrowserLike: true,
    }));
    // The options page says the add-on may run in private windows.
    const options = await eb.openExtensionPage('options.html');
    await options.waitForSelector('[data-testid="private-windows"][data-allowed="true"]', { timeout: 20_000 });
    await options.close();

    const result = await officialPageFlow(eb, session.world, 'tor-browser-like');
    expect(verdictOf(result.download)?.kind, describeDownload(result.download)).toBe('verified');
    expect(result.download.private).toBe(true);
    expect(result.popup).toBe('verified');
    expect(result.widget).toEqual({ kind: 'verified', byExtension: true });
    if (baseline) expect(decisive(verdictOf(result.download))).toEqual(decisive(verdictOf(baseline.download)));

    // Nothing about it in storage.local: the record is in storage.session.
    const local = (await eb.storage<Record<string, unknown>>(null as unknown as string)) ?? {};
    expect(Object.keys(local).filter((key) => idOfDownloadKey(key) !== undefined)).toEqual([]);
    const inSession = (await eb.sessionStorage<Record<string, unknown>>(null)) ?? {};
    expect(Object.keys(inSession).filter((key) => idOfDownloadKey(key) !== undefined)).toEqual([
      `download:${result.download.id}`,
    ]);

    const profile = eb.profileDir;
    await eb.close({ keepProfile: true });
    session.browser = undefined;
    try {
      expect(await searchProfile(profile, needlesFor(session.world))).toEqual([]);
    } finally {
      await rm(path.dirname(profile), { recursive: true, force: true });
    }
  });
});
