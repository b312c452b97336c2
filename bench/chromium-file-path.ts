/**
 * Chrome's file path (a finished download read through file://, "Allow access to file URLs" on),
 * the two ways the project has, same file, same run, in real Chromium:
 *   - service-worker: SHA-256 + SHA-512 in one pass in the extension's service worker
 *     (src/background/chromium/chrome-file.ts; the fallback when there is no offscreen API),
 *   - offscreen: the offscreen document's workers, one per algorithm, each reading the file
 *     (src/background/chromium/offscreen-hash.ts → src/offscreen/ → src/worker/; what the extension uses).
 * The bench extension is bundled from those very modules (bench/file-path/background.ts).
 *
 *   npm run bench:file-path                (1 GiB file, cached under .cache/bench/)
 *   BENCH_SIZE_MIB=256 BENCH_REPEAT=3 npm run bench:file-path
 */
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { BENCH_ROOT, BROWSER_BUNDLE, ensureBenchFile, MIB, referenceDigests } from './bench-file.js';
import type { FilePathMode } from './file-path/background.js';
import { measureTree } from './proc.js';
import { launchWithExtension } from '../test/e2e/harness.js';

const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 2));
const MODES: FilePathMode[] = ['service-worker', 'offscreen'];
const LABELS: Record<FilePathMode, string> = {
  'service-worker': 'SHA-256+SHA-512 in one pass in the service worker (chrome-file.ts, the fallback)',
  offscreen:
    'offscreen document, SHA-512 and SHA-256 workers, the file read once and relayed (offscreen-hash.ts, what the extension uses)',
};

async function buildExtension(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await esbuild.build({
    entryPoints: {
      background: join(BENCH_ROOT, 'bench/file-path/background.ts'),
      offscreen: join(BENCH_ROOT, 'src/offscreen/offscreen.ts'),
      'hash-worker': join(BENCH_ROOT, 'src/worker/hash-worker.ts'),
    },
    ...BROWSER_BUNDLE,
    outdir: dir,
  });
  await copyFile(join(BENCH_ROOT, 'public/offscreen.html'), join(dir, 'offscreen.html'));
  await writeFile(
    join(dir, 'manifest.json'),
    JSON.stringify(
      {
        manifest_version: 3,
        name: 'ISO Verify file-path bench',
        version: '1.0',
        permissions: ['offscreen'],
        host_permissions: ['file:///*'],
        background: { service_worker: 'background.js' },
        content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'" },
      },
      null,
      2,
    ),
  );
}

interface Result {
  ms: number;
  bytes: number;
  sha256?: string;
  sha512?: string;
}

async function main(): Promise<void> {
  const file = await ensureBenchFile(SIZE_MIB);
  const reference = await referenceDigests(file); // also warms the page cache
  const dir = join(BENCH_ROOT, '.cache', 'bench', 'file-path-extension');
  await buildExtension(dir);
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const eb = await launchWithExtension('chromium', { extensionDir: dir, fileAccess: true });
  const best = new Map<FilePathMode, { ms: number; cpu: number; rss: number }>();
  let version = '';
  try {
    version = await eb.browser.version();
    const target = await eb.browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(eb.extensionBaseUrl),
    );
    const worker = await target.worker();
    if (!worker) throw new Error('no service worker');
    for (let round = 1; round <= REPEAT; round++) {
      for (const mode of MODES) {
        const m = await measureTree(eb.browser.process()?.pid, () =>
          worker.evaluate(
            (md, p, t) =>
              (
                globalThis as unknown as { isoVerifyFileBench(m: string, p: string, t: number): Promise<Result> }
              ).isoVerifyFileBench(md, p, t),
            mode,
            file,
            SIZE_MIB * MIB,
          ),
        );
        const r = m.value;
        if (r.bytes !== SIZE_MIB * MIB || r.sha256 !== reference.sha256 || r.sha512 !== reference.sha512) {
          throw new Error(`${mode}: wrong result ${JSON.stringify(r)}`);
        }
        const previous = best.get(mode);
        const rss = Math.max(m.treeRssGrowth, previous?.rss ?? 0);
        best.set(mode, !previous || r.ms < previous.ms ? { ms: r.ms, cpu: m.cpuSeconds, rss } : { ...previous, rss });
        console.error(`  round ${round} ${mode}: ${(r.bytes / 1e6 / (r.ms / 1000)).toFixed(0)} MB/s`);
      }
    }
  } finally {
    await eb.close();
  }
  const bytes = SIZE_MIB * MIB;
  console.log(
    `\nISO Verify Chrome file-path bench, ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}: ${SIZE_MIB} MiB file, best of ${REPEAT}`,
  );
  console.log(
    `machine: ${os.cpus().length} cores, load average ${load} at the start, ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the end; ${version}\n`,
  );
  console.log('| path | MB/s | MB per CPU-s | tree RSS |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const mode of MODES) {
    const b = best.get(mode)!;
    console.log(
      `| ${LABELS[mode]} | ${(bytes / 1e6 / (b.ms / 1000)).toFixed(0)} | ${(bytes / 1e6 / b.cpu).toFixed(0)} | ${(b.rss / MIB).toFixed(0)} MiB |`,
    );
  }
  const sw = best.get('service-worker')!;
  const off = best.get('offscreen')!;
  console.log(`\noffscreen / service worker: ${(sw.ms / off.ms).toFixed(2)}× the speed`);
}

await main();
