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
 * Chromium Incognito is not covered here: see the README "Tor Browser and private windows".
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { errorOf, verdictOf, type TrackedDownload } from '../../src/wire/download.js';
import type { Verdict } from '../../src/core/verdict.js';
import { idOfDownloadKey } from '../../src/extension/storage.js';
import { launchWithExtension, waitForVerdict, type ExtensionBrowser } from './harness.js';
import { DEMO_EXTENSION_DIRS, screenshotPath } from './world.js';
import { useDemoSession } from './session.js';

const VERDICT_TIMEOUT_MS = 240_000;
const WIDGET = 'iso-verify-download >>> [data-testid="iso-verify-widget"]';

const session = useDemoSession({
  reset: async (world) => {
    await world.setSiteMode('reset');
  },
});

interface FlowResult {
  download: TrackedDownload;
  popup: string;
  widget: { kind: string; byExtension: boolean };
}

/** What must be equal in every window: the verdict and the signature it rests on. */
function decisive(verdict: Verdict | undefined): unknown {
  if (!verdict) return undefined;
  return {
    kind: verdict.kind,
    ...('expected' in verdict ? { expected: verdict.expected } : {}),
    ...('signer' in verdict ? { signer: verdict.signer } : {}),
  };
}

function describeDownload(d: TrackedDownload): string {
  return `phase=${d.phase} verdict=${verdictOf(d)?.kind ?? 'none'} error=${errorOf(d)?.code ?? 'none'} ${errorOf(d)?.detail ?? ''}`;
}

async function verifyInWidget(page: Page, file: string): Promise<{ kind: string; byExtension: boolean }> {
  const input = await page.waitForSelector('iso-verify-download >>> input[type="file"]');
  await input!.uploadFile(file);
  const handle = await page.waitForFunction(
    () => {
      const root = document.querySelector('iso-verify-download')?.shadowRoot;
      const error = root?.querySelector('[data-testid="verify-error"]');
      if (error) return { kind: `error: ${error.textContent ?? ''}`, byExtension: false };
      const verdict = root?.querySelector('[data-testid="verdict"]');
      if (!verdict) return false;
      return {
        kind: verdict.getAttribute('data-verdict') ?? '',
        byExtension: root!.querySelector('[data-testid="checked-by-extension"]') !== null,
      };
    },
    { timeout: VERDICT_TIMEOUT_MS, polling: 250 },
  );
  return (await handle.jsonValue()) as { kind: string; byExtension: boolean };
}

/** The official page's link to the good mirror, the verdict (storage and popup), then the widget on the same page with the downloaded file. */
async function officialPageFlow(eb: ExtensionBrowser, shot: string): Promise<FlowResult> {
  const image = session.world.image('img');
  const url = session.world.mirrorUrlFor('good', image);
  const page = await eb.openPage(`${session.world.siteUrl}/install/`);
  await page.click('[data-testid="mirror-good-img"]');
  const download = await eb.waitForDownload((d) => d.url === url || d.finalUrl === url, {
    settled: (d) =>
      verdictOf(d) !== undefined || d.phase === 'awaiting-file' || d.phase === 'failed' || d.phase === 'cancelled',
    timeoutMs: VERDICT_TIMEOUT_MS,
  });
  const popupPage = await eb.openExtensionPage('popup.html', { width: 420, height: 640 });
  const popup = await waitForVerdict(popupPage, { timeoutMs: 15_000 }).catch(() => 'none');
  await popupPage.screenshot({ path: screenshotPath('firefox', `${shot}-popup`) }).catch(() => undefined);
  const file = await eb.waitForFile(image.name, { timeoutMs: 60_000 });
  const sitePage = await eb.openPage(`${session.world.siteUrl}/install/`);
  await sitePage.waitForSelector(WIDGET, { timeout: 20_000 });
  const widget = await verifyInWidget(sitePage, file);
  await sitePage.screenshot({ path: screenshotPath('firefox', `${shot}-widget`) }).catch(() => undefined);
  return { download, popup, widget };
}

/* ---------- the search of the profile directory ---------- */

/** LZ4 block decoder (Firefox's mozLz4 files: "mozLz40\0", u32 size, one LZ4 block). */
function lz4Block(src: Buffer, size: number): Buffer {
  const out = Buffer.alloc(size);
  let i = 0;
  let o = 0;
  while (i < src.length) {
    const token = src[i++]!;
    let literals = token >> 4;
    if (literals === 15) for (let b = 255; b === 255; literals += b) b = src[i++]!;
    src.copy(out, o, i, i + literals);
    i += literals;
    o += literals;
    if (i >= src.length) break;
    const offset = src[i]! | (src[i + 1]! << 8);
    i += 2;
    let match = token & 15;
    if (match === 15) for (let b = 255; b === 255; match += b) b = src[i++]!;
    match += 4;
    for (let k = 0; k < match; k++, o++) out[o] = out[o - offset]!;
  }
  return out.subarray(0, o);
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Every file of `dir` that contains one of `needles` (as UTF-8, UTF-16LE or raw bytes), with which. */
async function searchProfile(dir: string, needles: Record<string, Buffer | string>): Promise<string[]> {
  const patterns: [string, Buffer][] = [];
  for (const [name, needle] of Object.entries(needles)) {
    if (typeof needle === 'string') {
      patterns.push(
        [`${name} (utf-8)`, Buffer.from(needle, 'utf8')],
        [`${name} (utf-16)`, Buffer.from(needle, 'utf16le')],
      );
    } else patterns.push([name, needle]);
  }
  const hits: string[] = [];
  for (const file of await filesUnder(dir)) {
    let bytes: Buffer = await readFile(file);
    if (bytes.subarray(0, 8).toString('latin1') === 'mozLz40\0')
      bytes = lz4Block(bytes.subarray(12), bytes.readUInt32LE(8));
    for (const [name, pattern] of patterns) {
      if (bytes.includes(pattern)) hits.push(`${path.relative(dir, file)}: ${name}`);
    }
  }
  return hits;
}

function needlesFor(): Record<string, Buffer | string> {
  const image = session.world.image('img');
  const url = session.world.mirrorUrlFor('good', image);
  return {
    'file name': image.name,
    'mirror host': new URL(url).host,
    'download URL': url,
    'SHA-256 (hex)': image.sha256.toLowerCase(),
    'SHA-256 (HEX)': image.sha256.toUpperCase(),
    'SHA-256 (raw)': Buffer.from(image.sha256, 'hex'),
  };
}

describe('Firefox: private windows and a Tor-Browser-like set-up', () => {
  let baseline: FlowResult | undefined;

  it('ordinary window: verified by the official page flow and the widget, and the profile search finds the record of this download', async () => {
    const eb = (session.browser = await launchWithExtension('firefox', { extensionDir: DEMO_EXTENSION_DIRS.firefox }));
    const result = await officialPageFlow(eb, 'ordinary');
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

    const result = await officialPageFlow(eb, 'tor-browser-like');
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
      expect(await searchProfile(profile, needlesFor())).toEqual([]);
    } finally {
      await rm(path.dirname(profile), { recursive: true, force: true });
    }
  });
});
