/**
 * Time from the browser's "download complete" to the extension's verdict, in real Chromium and
 * Firefox, with the demo extension and a demo release whose current IMG has a real Tails size:
 *
 *   chromium                Chrome hashes the download while it writes it (growing-file.ts): at
 *                           completion only the tail is read
 *   chromium, whole file    the same download, paused once and resumed: the head start is
 *                           dropped, so the finished file is read in full (the path before)
 *   firefox                 hashed as it arrives (filterResponseData)
 *
 * Same release, same mirror, same run. "complete" is the browser's own DownloadItem.endTime
 * (Chromium) or the moment an extension page hears `downloads.onChanged` say complete (Firefox has
 * no endTime), "verdict" the time the extension stored it (both this machine's clock).
 *
 *   npm run bench:verdict                              (2048 MiB image, 40 MB/s, 3 runs)
 *   BENCH_IMAGE_MIB=512 BENCH_RATE_MB=30 BENCH_REPEAT=1 npm run bench:verdict
 *   BENCH_ONLY=firefox npm run bench:verdict           (one row: chromium | chromium-whole | firefox)
 *
 * Each run also reports the browser's memory growth (peak resident memory of its process tree
 * during the download, minus before it) and its CPU use (CPU seconds / wall seconds = cores).
 *
 * Needs the demo builds (npx webpack --mode production --env profile=demo) and the ports of the
 * demo servers; the release is cached under .cache/demo-release-<N>mib/.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureTree } from './proc.js';
import { launchWithExtension, watchCompletion, type BrowserName, type ExtensionBrowser } from '../test/e2e/harness.js';
import type { TrackedDownload } from '../src/wire/download.js';
import { verdictOf } from '../src/wire/download.js';

const IMAGE_MIB = Number(process.env.BENCH_IMAGE_MIB ?? 2048);
process.env.DEMO_IMAGE_MIB = String(IMAGE_MIB); // read by make-demo-release when the world starts
const RATE = Number(process.env.BENCH_RATE_MB ?? 40) * 1e6;
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));

/** `plain`: the same download in the browser with an empty extension: the browser's own memory and CPU. */
type Variant = { key: string; name: string; browser: BrowserName; pauseOnce: boolean; plain?: true };
const ALL_VARIANTS: Variant[] = [
  { key: 'chromium', name: 'chromium, hashed while written', browser: 'chromium', pauseOnce: false },
  {
    key: 'chromium-whole',
    name: 'chromium, whole file read at completion (paused once)',
    browser: 'chromium',
    pauseOnce: true,
  },
  { key: 'firefox', name: 'firefox, hashed as it arrives', browser: 'firefox', pauseOnce: false },
  { key: 'chromium-plain', name: 'chromium without ISO Verify', browser: 'chromium', pauseOnce: false, plain: true },
  { key: 'firefox-plain', name: 'firefox without ISO Verify', browser: 'firefox', pauseOnce: false, plain: true },
];
const ONLY = process.env.BENCH_ONLY?.split(',');
const VARIANTS = ALL_VARIANTS.filter((v) => !ONLY || ONLY.includes(v.key));
if (VARIANTS.length === 0)
  throw new Error(
    `BENCH_ONLY=${process.env.BENCH_ONLY}: no such row (chromium, chromium-whole, firefox, chromium-plain, firefox-plain)`,
  );

interface Run {
  ms: number;
  verdict: string;
  hashedAhead?: number;
  /** Peak resident memory of the browser's processes while downloading, minus before. */
  rssGrowth: number;
  /** CPU seconds of the browser's processes per wall second while downloading (cores busy). */
  cores: number;
  /** Wall seconds from the click to the verdict. */
  wallSeconds: number;
}

/** The part of the downloads API the bench calls from an extension page. */
interface DownloadsApi {
  downloads: {
    search(query: { url?: string }): Promise<{ id: number; state: string; bytesReceived: number; endTime?: string }[]>;
    pause(id: number): Promise<void>;
    resume(id: number): Promise<void>;
  };
}
type ApiGlobals = { browser?: DownloadsApi; chrome?: DownloadsApi };

async function browserItem(
  eb: ExtensionBrowser,
  url: string,
): Promise<{ id: number; endTime?: string; state: string; bytesReceived: number } | undefined> {
  const page = await eb.openExtensionPage('popup.html');
  try {
    return await page.evaluate(async (u: string) => {
      const globals = globalThis as unknown as ApiGlobals;
      const api = (globals.browser ?? globals.chrome)!;
      // Firefox: a taken-over download leaves the cancelled original beside the new one.
      const items = await api.downloads.search({ url: u });
      const item =
        items.find((i) => i.state === 'complete') ?? items.find((i) => i.state === 'in_progress') ?? items[0];
      return item
        ? {
            id: item.id,
            state: item.state,
            bytesReceived: item.bytesReceived,
            ...(item.endTime ? { endTime: item.endTime } : {}),
          }
        : undefined;
    }, url);
  } finally {
    await page.close();
  }
}

async function pauseAndResume(eb: ExtensionBrowser, url: string): Promise<void> {
  const page = await eb.openExtensionPage('popup.html');
  try {
    await page.evaluate(async (u: string) => {
      const api = (globalThis as unknown as ApiGlobals).chrome!;
      const [item] = await api.downloads.search({ url: u });
      if (!item) throw new Error('no download to pause');
      await api.downloads.pause(item.id);
      await new Promise((r) => setTimeout(r, 1500));
      await api.downloads.resume(item.id);
    }, url);
  } finally {
    await page.close();
  }
}

/** An extension that does nothing, for the browser-alone rows (the harness launches with one). */
function emptyExtension(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'iso-verify-bench-empty-'));
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({ manifest_version: 3, name: 'empty', version: '1.0', permissions: ['downloads'] }),
  );
  return dir;
}

async function once(variant: Variant, url: string, world: { image: { size: number; name: string } }): Promise<Run> {
  const eb = await launchWithExtension(variant.browser, {
    extensionDir: variant.plain ? emptyExtension() : variant.browser === 'chromium' ? 'dist/chrome' : 'dist/firefox',
    fileAccess: !variant.plain,
  });
  try {
    const started = performance.now();
    const measured = await measureTree(eb.browser.process()?.pid, async () => {
      if (!variant.plain) return downloadToVerdict(eb, variant, url, world);
      await eb.download(url);
      await eb.waitForFile(world.image.name, { size: world.image.size, timeoutMs: 30 * 60_000 });
      return { ms: Number.NaN, verdict: '-' };
    });
    const wallSeconds = (performance.now() - started) / 1000;
    return {
      ...measured.value,
      rssGrowth: measured.treeRssGrowth,
      cores: measured.cpuSeconds / wallSeconds,
      wallSeconds,
    };
  } finally {
    await eb.close();
  }
}

async function downloadToVerdict(
  eb: ExtensionBrowser,
  variant: Variant,
  url: string,
  world: { image: { size: number } },
): Promise<Pick<Run, 'ms' | 'verdict' | 'hashedAhead'>> {
  const completion = await watchCompletion(eb);
  await eb.download(url);
  if (variant.pauseOnce) {
    for (;;) {
      const item = await browserItem(eb, url);
      if (item && item.bytesReceived > world.image.size / 4) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await pauseAndResume(eb, url);
  }
  const done: TrackedDownload = await eb.waitForDownload((d) => d.url === url, { timeoutMs: 30 * 60_000 });
  const item = await browserItem(eb, url);
  const completedAt = item?.endTime ? Date.parse(item.endTime) : await completion.read();
  await completion.close();
  if (completedAt === undefined) throw new Error(`the browser reported no completion: ${JSON.stringify(item)}`);
  const ms = Date.parse(done.updatedAt) - completedAt;
  return {
    ms,
    verdict: verdictOf(done)?.kind ?? 'none',
    ...(done.hashedAhead !== undefined ? { hashedAhead: done.hashedAhead } : {}),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const { startDemoWorld } = await import('../test/e2e/world.js');
  const world = await startDemoWorld();
  try {
    const image = world.image('img');
    const url = `${world.mirrorUrlFor('slow', image)}?rate=${RATE}`;
    process.stdout.write(
      `complete → verdict, ${image.size / 2 ** 20} MiB image at ${RATE / 1e6} MB/s, ${REPEAT} run(s) each, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}, ${os.cpus().length} cores\n`,
    );
    for (const variant of VARIANTS) {
      const runs: Run[] = [];
      for (let i = 0; i < REPEAT; i++) runs.push(await once(variant, url, { image }));
      const seconds = runs.map((r) => (r.ms / 1000).toFixed(1)).join(', ');
      const ahead = runs
        .map((r) => (r.hashedAhead !== undefined ? `${Math.round(r.hashedAhead / 2 ** 20)} MiB` : '-'))
        .join(', ');
      const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;
      process.stdout.write(
        `${variant.name}: median ${(median(runs.map((r) => r.ms)) / 1000).toFixed(1)} s (runs ${seconds}; verdicts ${runs.map((r) => r.verdict).join(', ')}; hashed ahead ${ahead})\n` +
          `  browser memory growth ${runs.map((r) => mib(r.rssGrowth)).join(', ')}; CPU ${runs.map((r) => r.cores.toFixed(2)).join(', ')} cores over ${runs.map((r) => r.wallSeconds.toFixed(0)).join(', ')} s (click to verdict; ${runs.map((r) => (image.size / 1e6 / r.wallSeconds).toFixed(1)).join(', ')} MB/s)\n`,
      );
    }
    process.stdout.write(
      `load average after: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
    );
  } finally {
    await world.close();
  }
}

await main();
