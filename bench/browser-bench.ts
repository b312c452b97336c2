/**
 * Browser hashing benchmark: the same file, in the same run, hashed in real Chromium and
 * Firefox ESR (puppeteer-core; it never downloads a browser) by
 *   - hash-wasm SHA-256 called directly in a worker, with each reader (File.stream() chunks,
 *     slice().arrayBuffer() of several sizes, with and without reading ahead, FileReaderSync),
 *   - the project's path (src/worker/client.ts + the bundled src/worker/hash-worker.ts),
 *   - SHA-256 + SHA-512 in one pass against one worker per algorithm in parallel,
 *   - node-forge SHA-256 (what Tails' download page uses today), over a prefix.
 *
 *   npm run bench:browser                        (1 GiB file, cached under .cache/bench/)
 *   BENCH_SIZE_MIB=256 npm run bench:browser
 *   BENCH_REPEAT=3 BENCH_BROWSERS=firefox npm run bench:browser
 *   BENCH_CASES=r-stream,r-slice-16-ahead,p-256 npm run bench:browser   (only these cases)
 *
 * The page and scripts are served from a loopback server on a port the OS picks (port 0); the
 * file is set on <input type=file> with puppeteer's uploadFile, so the page hashes a real,
 * disk-backed File as after a person picks it. Every case runs BENCH_REPEAT times (default 2),
 * in rounds (all cases, then all cases again), and the best time counts. "tree RSS" is the
 * peak resident memory of the browser's whole process tree during the case minus just before it.
 */
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { BENCH_ROOT, BROWSER_BUNDLE, ensureBenchFile, MIB, referenceDigests } from './bench-file.js';
import { measureTree } from './proc.js';
import type { CaseResult, CaseSpec } from './browser/page.js';
import { BROWSER_EXECUTABLES, CHROMIUM_FLAGS, type BrowserName } from '../test/e2e/harness.js';
import { READ_CHUNK_BYTES } from '../src/worker/blob-reader.js';

const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 2));
const BROWSERS = (process.env.BENCH_BROWSERS ?? 'chromium,firefox').split(',').map((s) => s.trim()) as BrowserName[];
const FORGE_LIMIT_MIB = Math.min(256, SIZE_MIB);
for (const b of BROWSERS) if (!(b in BROWSER_EXECUTABLES)) throw new Error(`unknown browser ${b}`);

const PROJECT_READER = { kind: 'slice', chunk: READ_CHUNK_BYTES, prefetch: true } as const;
const chunkLabel = (n: number) => `${n / MIB} MiB`;

interface Case {
  key: string;
  label: string;
  spec: CaseSpec;
  /** Digest algorithm checked, over `limit` bytes or the whole file. */
  check: ('sha256' | 'sha512')[];
  limit?: number;
}

const CASES: Case[] = [
  {
    key: 'r-stream',
    label: 'raw hash-wasm SHA-256, File.stream() chunks',
    spec: { kind: 'raw', reader: { kind: 'stream' }, algorithms: ['sha256'] },
    check: ['sha256'],
  },
  ...[1, 4, 16, 64].map((m): Case => ({
    key: `r-slice-${m}`,
    label: `raw hash-wasm SHA-256, slice().arrayBuffer() ${m} MiB`,
    spec: { kind: 'raw', reader: { kind: 'slice', chunk: m * MIB, prefetch: false }, algorithms: ['sha256'] },
    check: ['sha256'],
  })),
  ...[4, 8, 16].map((m): Case => ({
    key: `r-slice-${m}-ahead`,
    label: `raw hash-wasm SHA-256, slice().arrayBuffer() ${m} MiB, next read started before hashing`,
    spec: { kind: 'raw', reader: { kind: 'slice', chunk: m * MIB, prefetch: true }, algorithms: ['sha256'] },
    check: ['sha256'],
  })),
  {
    key: 'r-512',
    label: `raw hash-wasm SHA-512 alone (${chunkLabel(READ_CHUNK_BYTES)} reads ahead)`,
    spec: { kind: 'raw', reader: PROJECT_READER, algorithms: ['sha512'] },
    check: ['sha512'],
  },
  {
    key: 'r-sync-16',
    label: 'raw hash-wasm SHA-256, FileReaderSync 16 MiB',
    spec: { kind: 'raw', reader: { kind: 'sync', chunk: 16 * MIB }, algorithms: ['sha256'] },
    check: ['sha256'],
  },
  {
    key: 'p-256',
    label: 'project path SHA-256 (hashFileInWorker)',
    spec: { kind: 'project', algorithms: ['sha256'] },
    check: ['sha256'],
  },
  {
    key: 'r-both-one',
    label: `raw hash-wasm SHA-256+SHA-512 in one pass, one worker (${chunkLabel(READ_CHUNK_BYTES)} reads ahead)`,
    spec: { kind: 'raw', reader: PROJECT_READER, algorithms: ['sha256', 'sha512'] },
    check: ['sha256', 'sha512'],
  },
  {
    key: 'r-both-two',
    label: `raw hash-wasm SHA-256 and SHA-512 in two workers in parallel (${chunkLabel(READ_CHUNK_BYTES)} reads ahead)`,
    spec: { kind: 'raw-parallel', reader: PROJECT_READER },
    check: ['sha256', 'sha512'],
  },
  {
    key: 'r-both-relay',
    label: `raw hash-wasm SHA-256 and SHA-512 in two workers, file read once (${chunkLabel(READ_CHUNK_BYTES)} reads ahead; the SHA-256 worker hands each chunk to the SHA-512 one)`,
    spec: { kind: 'raw-relay', reader: PROJECT_READER, readerAlgorithm: 'sha256', via: 'port' },
    check: ['sha256', 'sha512'],
  },
  {
    key: 'r-both-relay-page',
    label: `as r-both-relay, but the chunks go through the page (worker → page → worker, transferred) instead of a MessageChannel`,
    spec: { kind: 'raw-relay', reader: PROJECT_READER, readerAlgorithm: 'sha256', via: 'page' },
    check: ['sha256', 'sha512'],
  },
  {
    key: 'r-both-relay-512',
    label: 'as r-both-relay-page, but the SHA-512 worker reads and hands on to the SHA-256 one',
    spec: { kind: 'raw-relay', reader: PROJECT_READER, readerAlgorithm: 'sha512', via: 'page' },
    check: ['sha256', 'sha512'],
  },
  {
    key: 'r-both-relay-512-sync',
    label: 'as r-both-relay-512, the SHA-512 worker reading 16 MiB slices with FileReaderSync',
    spec: { kind: 'raw-relay', reader: { kind: 'sync', chunk: 16 * MIB }, readerAlgorithm: 'sha512', via: 'page' },
    check: ['sha256', 'sha512'],
  },
  {
    key: 'p-both-one',
    label: 'project path SHA-256+SHA-512, one worker (workers: "one")',
    spec: { kind: 'project', algorithms: ['sha256', 'sha512'], workers: 'one' },
    check: ['sha256', 'sha512'],
  },
  {
    key: 'p-both-two',
    label: 'project path SHA-256+SHA-512, one worker per algorithm, each reading the file (workers: "per-algorithm")',
    spec: { kind: 'project', algorithms: ['sha256', 'sha512'], workers: 'per-algorithm' },
    check: ['sha256', 'sha512'],
  },
  {
    key: 'p-both',
    label: 'project path SHA-256+SHA-512, default: two workers, the file read once and relayed (what the pages use)',
    spec: { kind: 'project', algorithms: ['sha256', 'sha512'] },
    check: ['sha256', 'sha512'],
  },
  {
    key: 'forge',
    label: `node-forge SHA-256 (FileReaderSync binary strings, first ${FORGE_LIMIT_MIB} MiB)`,
    spec: { kind: 'forge', limit: FORGE_LIMIT_MIB * MIB },
    check: ['sha256'],
    limit: FORGE_LIMIT_MIB * MIB,
  },
];

/** BENCH_CASES=key,key,… runs only those cases (the ratios need r-stream, p-256, p-both, forge and the raw readers they compare). */
const SELECTED = process.env.BENCH_CASES ? new Set(process.env.BENCH_CASES.split(',').map((s) => s.trim())) : undefined;
if (SELECTED) {
  for (const key of SELECTED)
    if (!CASES.some((c) => c.key === key))
      throw new Error(`unknown case ${key}; cases: ${CASES.map((c) => c.key).join(', ')}`);
  CASES.splice(0, CASES.length, ...CASES.filter((c) => SELECTED.has(c.key)));
}

interface Measured {
  result: CaseResult;
  treeRssGrowth: number;
  /** CPU seconds the browser's processes used during the case (all threads). */
  cpuSeconds: number;
}

async function bundle(): Promise<Map<string, Uint8Array>> {
  const out = await esbuild.build({
    entryPoints: {
      page: join(BENCH_ROOT, 'bench/browser/page.ts'),
      'raw-worker': join(BENCH_ROOT, 'bench/browser/raw-worker.ts'),
      'hash-worker': join(BENCH_ROOT, 'src/worker/hash-worker.ts'),
    },
    ...BROWSER_BUNDLE,
    write: false,
    outdir: '/bench-out',
  });
  const files = new Map<string, Uint8Array>();
  for (const f of out.outputFiles) files.set(`/${f.path.split('/').at(-1)}`, f.contents);
  files.set(
    '/',
    new TextEncoder().encode(
      '<!doctype html><meta charset="utf-8"><title>ISO Verify browser bench</title><input type="file" id="file"><script src="page.js"></script>',
    ),
  );
  return files;
}

function serve(files: Map<string, Uint8Array>): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const body = files.get(path);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': path === '/' ? 'text/html; charset=utf-8' : 'text/javascript',
      'cache-control': 'no-store',
    });
    res.end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || !address) return reject(new Error('no server address'));
      resolve({ server, origin: `http://127.0.0.1:${address.port}` });
    });
  });
}

async function launch(name: BrowserName): Promise<Browser> {
  if (name === 'chromium') {
    return puppeteer.launch({
      executablePath: BROWSER_EXECUTABLES.chromium,
      headless: true,
      pipe: true,
      args: [...CHROMIUM_FLAGS, '--no-sandbox'],
    });
  }
  return puppeteer.launch({ browser: 'firefox', executablePath: BROWSER_EXECUTABLES.firefox, headless: true });
}

async function openBench(
  browser: Browser,
  origin: string,
  file: string,
): Promise<{ page: Page; cores: number; userAgent: string }> {
  const page = await browser.newPage();
  await page.goto(`${origin}/`, { waitUntil: 'load' });
  await page.waitForFunction(() => 'isoVerifyBench' in globalThis, { timeout: 30_000 });
  const input = (await page.$('input#file')) as ElementHandle<HTMLInputElement> | null;
  if (!input) throw new Error('no #file input');
  await input.uploadFile(file);
  const info = await page.evaluate(() => {
    const b = (globalThis as unknown as { isoVerifyBench: { cores: number; userAgent: string } }).isoVerifyBench;
    const f = (document.getElementById('file') as HTMLInputElement).files?.[0];
    return { cores: b.cores, userAgent: b.userAgent, size: f?.size ?? -1 };
  });
  if (info.size !== SIZE_MIB * MIB) throw new Error(`the page sees a file of ${info.size} bytes`);
  return { page, cores: info.cores, userAgent: info.userAgent };
}

async function runCase(browser: Browser, page: Page, spec: CaseSpec): Promise<Measured> {
  const measured = await measureTree(browser.process()?.pid, () =>
    page.evaluate(
      (s) => (globalThis as unknown as { isoVerifyBench: { run(s: unknown): Promise<unknown> } }).isoVerifyBench.run(s),
      spec as unknown as Record<string, unknown>,
    ),
  );
  return {
    result: measured.value as CaseResult,
    treeRssGrowth: measured.treeRssGrowth,
    cpuSeconds: measured.cpuSeconds,
  };
}

const mbps = (r: CaseResult) => r.bytes / 1e6 / (r.ms / 1000);

interface BrowserRun {
  name: BrowserName;
  version: string;
  cores: number;
  best: Map<string, Measured>;
}

async function benchBrowser(
  name: BrowserName,
  origin: string,
  file: string,
  references: Map<number | undefined, Record<'sha256' | 'sha512', string>>,
): Promise<BrowserRun> {
  const browser = await launch(name);
  try {
    const version = await browser.version();
    const { page, cores } = await openBench(browser, origin, file);
    const best = new Map<string, Measured>();
    for (let round = 1; round <= REPEAT; round++) {
      for (const c of CASES) {
        const m = await runCase(browser, page, c.spec);
        const reference = references.get(c.limit)!;
        for (const a of c.check) {
          if (m.result.digests[a] !== reference[a])
            throw new Error(`${name} ${c.key}: ${a} ${m.result.digests[a]} != ${reference[a]}`);
        }
        const expected = c.limit ?? SIZE_MIB * MIB;
        if (m.result.bytes !== expected)
          throw new Error(`${name} ${c.key}: hashed ${m.result.bytes} bytes, expected ${expected}`);
        const previous = best.get(c.key);
        if (!previous || m.result.ms < previous.result.ms)
          best.set(c.key, { ...m, treeRssGrowth: Math.max(m.treeRssGrowth, previous?.treeRssGrowth ?? 0) });
        else previous.treeRssGrowth = Math.max(previous.treeRssGrowth, m.treeRssGrowth);
        console.error(`  ${name} round ${round} ${c.key}: ${mbps(m.result).toFixed(0)} MB/s`);
      }
    }
    return { name, version, cores, best };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const file = await ensureBenchFile(SIZE_MIB);
  const references = new Map<number | undefined, Record<'sha256' | 'sha512', string>>();
  references.set(undefined, await referenceDigests(file)); // also warms the page cache
  references.set(FORGE_LIMIT_MIB * MIB, await referenceDigests(file, FORGE_LIMIT_MIB * MIB));
  const { server, origin } = await serve(await bundle());
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const runs: BrowserRun[] = [];
  try {
    for (const name of BROWSERS) runs.push(await benchBrowser(name, origin, file, references));
  } finally {
    server.close();
  }

  const when = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  console.log(`\nISO Verify browser hash benchmark, ${when}: ${SIZE_MIB} MiB file, best of ${REPEAT} per case`);
  console.log(
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average ${load} at the start, ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the end`,
  );
  for (const r of runs) console.log(`${r.name}: ${r.version}, navigator.hardwareConcurrency ${r.cores}`);
  console.log(
    `project reader: slice().arrayBuffer() of ${chunkLabel(READ_CHUNK_BYTES)}, next read started before hashing\n`,
  );

  const header = ['case', 'what', ...runs.flatMap((r) => [`${r.name} MB/s`, 'MB per CPU-s', 'tree RSS'])];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map((_, i) => (i >= 2 ? '---:' : '---')).join(' | ')} |`);
  for (const c of CASES) {
    const cells = runs.flatMap((r) => {
      const m = r.best.get(c.key)!;
      return [
        mbps(m.result).toFixed(0),
        (m.result.bytes / 1e6 / m.cpuSeconds).toFixed(0),
        `${(m.treeRssGrowth / MIB).toFixed(0)} MiB`,
      ];
    });
    console.log(`| ${c.key} | ${c.label} | ${cells.join(' | ')} |`);
  }
  console.log('');
  for (const r of runs) {
    const speed = (k: string) => (r.best.has(k) ? mbps(r.best.get(k)!.result) : Number.NaN);
    const rawKeys = CASES.filter(
      (c) => c.spec.kind === 'raw' && c.check.length === 1 && c.check[0] === 'sha256' && c.limit === undefined,
    ).map((c) => c.key);
    const bestRaw = rawKeys.reduce((a, b) => (speed(b) > speed(a) ? b : a));
    const verdict = (value: number, target: number) =>
      `${value.toFixed(2)} (target >= ${target}: ${value >= target ? 'OK' : 'MISSED'})`;
    console.log(
      `${r.name}: best raw SHA-256 reader is ${bestRaw} (${speed(bestRaw).toFixed(0)} MB/s); File.stream() ${speed('r-stream').toFixed(0)} MB/s`,
    );
    console.log(`  project SHA-256 / best raw SHA-256             : ${verdict(speed('p-256') / speed(bestRaw), 0.9)}`);
    console.log(`  project SHA-256+SHA-512 / project SHA-256      : ${verdict(speed('p-both') / speed('p-256'), 0.9)}`);
    const sameReader = `r-slice-${READ_CHUNK_BYTES / MIB}-ahead`;
    if (r.best.has(sameReader)) {
      console.log(
        `  raw SHA-256+SHA-512 / raw SHA-256 (same reader): two workers ${(speed('r-both-two') / speed(sameReader)).toFixed(2)}, one pass ${(speed('r-both-one') / speed(sameReader)).toFixed(2)}`,
      );
    }
    const cpu = (k: string) => (r.best.has(k) ? r.best.get(k)!.cpuSeconds : Number.NaN);
    const perCpu = (k: string) => (SIZE_MIB * MIB) / 1e6 / cpu(k);
    // With the cores busy, wall time measures the other work too; CPU time per byte does not
    // (much). On two free cores, two workers take as long as the slower of SHA-256 and SHA-512 alone.
    console.log(`  by CPU time: project SHA-256 / best raw        : ${(perCpu('p-256') / perCpu(bestRaw)).toFixed(2)}`);
    console.log(
      `  by CPU time: two free cores, SHA-256+SHA-512 in parallel would take max(${cpu('r-slice-' + READ_CHUNK_BYTES / MIB + '-ahead').toFixed(1)}, ${cpu('r-512').toFixed(1)}) CPU-s vs one pass ${cpu('r-both-one').toFixed(1)} CPU-s; project two workers used ${cpu('p-both').toFixed(1)} CPU-s in all`,
    );
    console.log(
      `  project SHA-256+SHA-512 / node-forge SHA-256   : ${verdict(speed('p-both') / speed('forge'), 4)}; project SHA-256 / forge ${(speed('p-256') / speed('forge')).toFixed(1)}`,
    );
  }
}

await main();
