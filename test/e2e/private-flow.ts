/**
 * What the private-window tests share (private.e2e.ts: Firefox / Tor Browser; incognito.e2e.ts:
 * Chromium Incognito): the official page's flow, what must be equal in every window, and the
 * search of a profile directory for traces of a download after the browser quit.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { errorOf, verdictOf, type TrackedDownload } from '../../src/wire/download.js';
import type { Verdict } from '../../src/core/verdict.js';
import { waitForVerdict, type ExtensionBrowser } from './harness.js';
import { screenshotPath, type DemoWorld } from './world.js';

export const VERDICT_TIMEOUT_MS = 240_000;
const WIDGET = 'iso-verify-download >>> [data-testid="iso-verify-widget"]';

export interface FlowResult {
  download: TrackedDownload;
  popup: string;
  widget: { kind: string; byExtension: boolean };
}

/** What must be equal in every window: the verdict and the signature it rests on. */
export function decisive(verdict: Verdict | undefined): unknown {
  if (!verdict) return undefined;
  return {
    kind: verdict.kind,
    ...('expected' in verdict ? { expected: verdict.expected } : {}),
    ...('signer' in verdict ? { signer: verdict.signer } : {}),
  };
}

/** The assertion message when a flow did not verify: the whole record (phase, error, hash source, takeover note). */
export function describeDownload(d: TrackedDownload): string {
  return `phase=${d.phase} verdict=${verdictOf(d)?.kind ?? 'none'} error=${errorOf(d)?.code ?? 'none'} ${errorOf(d)?.detail ?? ''}\nrecord: ${JSON.stringify(d)}`;
}

export async function verifyInWidget(page: Page, file: string): Promise<{ kind: string; byExtension: boolean }> {
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

/**
 * The official page's link to the good mirror, the verdict (storage and the popup), then the
 * widget on the same page with the downloaded file. `open` opens a web page in the window
 * under test (default: an ordinary tab); `popup: false` skips the popup (a popup opened as a
 * tab is in an ordinary window, which lists no private download).
 */
export async function officialPageFlow(
  eb: ExtensionBrowser,
  world: DemoWorld,
  shot: string,
  options: { open?: (url: string) => Promise<Page>; popup?: boolean } = {},
): Promise<FlowResult> {
  const open = options.open ?? ((url: string) => eb.openPage(url));
  const image = world.image('img');
  const url = world.mirrorUrlFor('good', image);
  const page = await open(`${world.siteUrl}/install/`);
  await page.waitForSelector('[data-testid="mirror-good-img"]', { timeout: 20_000 });
  await page.click('[data-testid="mirror-good-img"]');
  const download = await eb.waitForDownload((d) => d.url === url || d.finalUrl === url, {
    settled: (d) =>
      verdictOf(d) !== undefined || d.phase === 'awaiting-file' || d.phase === 'failed' || d.phase === 'cancelled',
    timeoutMs: VERDICT_TIMEOUT_MS,
  });
  let popup = 'skipped';
  if (options.popup !== false) {
    const popupPage = await eb.openExtensionPage('popup.html', { width: 420, height: 640 });
    popup = await waitForVerdict(popupPage, { timeoutMs: 15_000 }).catch(() => 'none');
    await popupPage.screenshot({ path: screenshotPath(eb.name, `${shot}-popup`) }).catch(() => undefined);
  }
  const file = await eb.waitForFile(image.name, { timeoutMs: 60_000 });
  const sitePage = await open(`${world.siteUrl}/install/`);
  await sitePage.waitForSelector(WIDGET, { timeout: 20_000 });
  const widget = await verifyInWidget(sitePage, file);
  await sitePage.screenshot({ path: screenshotPath(eb.name, `${shot}-widget`) }).catch(() => undefined);
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
export async function searchProfile(dir: string, needles: Record<string, Buffer | string>): Promise<string[]> {
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

/** What must not be on disk after a private download of the current USB image from the good mirror. */
export function needlesFor(world: DemoWorld): Record<string, Buffer | string> {
  const image = world.image('img');
  const url = world.mirrorUrlFor('good', image);
  return {
    'file name': image.name,
    'mirror host': new URL(url).host,
    'download URL': url,
    'SHA-256 (hex)': image.sha256.toLowerCase(),
    'SHA-256 (HEX)': image.sha256.toUpperCase(),
    'SHA-256 (raw)': Buffer.from(image.sha256, 'hex'),
  };
}
