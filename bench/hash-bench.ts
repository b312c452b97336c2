/**
 * Hashing benchmark: throughput and memory of the core's streaming hash against references.
 *
 *   npm run bench                  (1 GiB file, cached under .cache/bench/)
 *   BENCH_SIZE_MIB=256 npm run bench
 *   BENCH_REPEAT=3 npm run bench    (best of N per case; default 2)
 *   BENCH_ONLY=device npm run bench (only the USB-stick rows (h), (i): bench/device-bench.ts, root)
 *
 * Every case reads the same file with fs.createReadStream (2 MiB highWaterMark) after a warm-up
 * read, so all of them hash from the page cache. Peak RSS is sampled every 5 ms during a case;
 * "growth" is peak minus the RSS measured (after a forced GC) just before the case.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { createSHA256 } from 'hash-wasm';
import { benchFilePath, ensureBenchFile } from './bench-file.js';
import { deviceBench } from './device-bench.js';
import { nativeEngine, readFileBlocks } from '../src/cli/native-engine.js';
import { hashStream } from '../src/core/hash/stream-hash.js';
import { wasmEngine } from '../src/core/hash/wasm-engine.js';

const MIB = 1024 * 1024;
const READ_CHUNK = 2 * MIB;
const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 2));
const FORGE_LIMIT_MIB = 256;
const SMALL_MIB = Math.min(256, SIZE_MIB);
if (!Number.isInteger(SIZE_MIB) || SIZE_MIB < 1) throw new Error('BENCH_SIZE_MIB must be a positive integer');

const FILE = benchFilePath(SIZE_MIB);

interface ForgeMd {
  update(bytes: string, encoding?: string): void;
  digest(): { toHex(): string };
}
const forge = createRequire(import.meta.url)('node-forge') as { md: { sha256: { create(): ForgeMd } } };

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

async function ensureFile(): Promise<void> {
  await ensureBenchFile(SIZE_MIB);
}

function readFile(limitBytes?: number, chunkBytes = READ_CHUNK): AsyncIterable<Uint8Array> {
  return createReadStream(FILE, {
    highWaterMark: chunkBytes,
    ...(limitBytes !== undefined ? { end: limitBytes - 1 } : {}),
  });
}

interface Measurement {
  seconds: number;
  bytes: number;
  digest: string;
  peakRss: number;
  rssGrowth: number;
}

async function measure(bytes: number, run: () => Promise<string>): Promise<Measurement> {
  gc();
  await new Promise((r) => setTimeout(r, 50));
  gc();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  const digest = await run();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { seconds, bytes, digest, peakRss: peak, rssGrowth: peak - baseline };
}

/** Best (fastest) of REPEAT runs; memory figures are the worst seen. */
async function best(bytes: number, run: () => Promise<string>, repeat = REPEAT): Promise<Measurement> {
  let result: Measurement | undefined;
  for (let i = 0; i < repeat; i++) {
    const m = await measure(bytes, run);
    if (!result) result = m;
    else {
      if (m.digest !== result.digest) throw new Error('digest changed between runs');
      result = {
        ...(m.seconds < result.seconds ? m : result),
        peakRss: Math.max(m.peakRss, result.peakRss),
        rssGrowth: Math.max(m.rssGrowth, result.rssGrowth),
      };
    }
  }
  return result!;
}

/** openssl in a child process, wall time; its own max RSS via GNU time when available. */
async function runOpenssl(): Promise<Measurement> {
  let seconds = Number.POSITIVE_INFINITY;
  let digest = '';
  let peakRss = Number.NaN;
  for (let i = 0; i < REPEAT; i++) {
    const started = performance.now();
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolvePromise, reject) => {
      const child = spawn('/usr/bin/time', ['-f', '%M', 'openssl', 'dgst', '-sha256', '-r', FILE]);
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolvePromise({ stdout: out, stderr: err }) : reject(new Error(`openssl exited ${code}: ${err}`)),
      );
    });
    seconds = Math.min(seconds, (performance.now() - started) / 1000);
    digest = stdout.trim().split(/\s+/)[0] ?? '';
    const kib = Number(stderr.trim().split('\n').at(-1));
    if (Number.isFinite(kib)) peakRss = Number.isFinite(peakRss) ? Math.max(peakRss, kib * 1024) : kib * 1024;
  }
  return { seconds, bytes: SIZE_MIB * MIB, digest, peakRss, rssGrowth: Number.NaN };
}

const mbps = (m: Measurement) => m.bytes / 1e6 / m.seconds;
const mib = (n: number) => (Number.isFinite(n) ? `${(n / MIB).toFixed(1)} MiB` : 'n/a');

/** The USB-stick rows: `verify /dev/…` against dd | sha512sum on the same loop device. */
async function deviceRows(): Promise<void> {
  const rows = await deviceBench(FILE, SIZE_MIB * MIB, REPEAT);
  console.log('');
  if (typeof rows === 'string') {
    console.log(`USB stick rows (h), (i): ${rows}`);
    return;
  }
  for (const r of rows)
    console.log(`(${r.key}) ${r.label}: ${(r.bytes / 1e6 / r.seconds).toFixed(0)} MB/s, ${r.seconds.toFixed(2)} s`);
  const [dd, ours] = rows;
  const value = dd!.seconds / ours!.seconds;
  console.log(
    `(i)/(h) verify <device> vs dd | sha512sum : ${value.toFixed(3)}  (target >= 0.9: ${value >= 0.9 ? 'OK' : 'BELOW TARGET'}); SHA-512 agrees`,
  );
  if (value < 0.9) process.exitCode = 1;
}

async function main(): Promise<void> {
  await ensureFile();
  if (process.env.BENCH_ONLY === 'device') {
    console.log(
      `ISO Verify USB-stick benchmark — ${SIZE_MIB} MiB loop device, best of ${REPEAT}, node ${process.version}`,
    );
    await deviceRows();
    return;
  }
  const total = SIZE_MIB * MIB;
  // Warm the page cache so the first case is not penalised by disk reads.
  for await (const chunk of readFile()) void chunk;

  console.log(
    `ISO Verify hash benchmark — file ${SIZE_MIB} MiB, read in ${READ_CHUNK / MIB} MiB chunks, best of ${REPEAT}`,
  );
  console.log(
    `node ${process.version}, ${process.platform}/${process.arch}, hash-wasm SHA-256/512, engine names: ${wasmEngine.name}, ${nativeEngine.name}\n`,
  );

  const rows: [string, string, Measurement][] = [];
  const add = (key: string, label: string, m: Measurement) => {
    rows.push([key, label, m]);
    console.error(`  done ${key} ${label}: ${mbps(m).toFixed(0)} MB/s`);
  };

  add(
    'a',
    'raw hash-wasm SHA-256',
    await best(total, async () => {
      const h = await createSHA256();
      for await (const chunk of readFile()) h.update(chunk);
      return h.digest('hex');
    }),
  );
  add(
    'b',
    'hashStream SHA-256 (wasm)',
    await best(total, async () => {
      const r = await hashStream(readFile(), { algorithms: ['sha256'], total });
      return r.digests.sha256!;
    }),
  );
  // Browsers' File.stream() delivers ~64 KiB chunks: this row shows what re-blocking them costs.
  add(
    'b2',
    'hashStream SHA-256 (wasm), 64 KiB reads',
    await best(total, async () => {
      const r = await hashStream(readFile(undefined, 64 * 1024), { algorithms: ['sha256'], total });
      return r.digests.sha256!;
    }),
  );
  add(
    'c',
    'hashStream SHA-256+SHA-512 (wasm)',
    await best(total, async () => {
      const r = await hashStream(readFile(), { algorithms: ['sha256', 'sha512'], total });
      return r.digests.sha256!;
    }),
  );
  add(
    'd',
    'hashStream SHA-256 (nativeEngine)',
    await best(total, async () => {
      const r = await hashStream(readFile(), { algorithms: ['sha256'], engine: nativeEngine, total });
      return r.digests.sha256!;
    }),
  );
  // Same, fed by the CLI's double-buffered reader instead of fs.createReadStream.
  add(
    'd2',
    'hashStream SHA-256 (native), readFileBlocks',
    await best(total, async () => {
      const r = await hashStream(readFileBlocks(FILE), { algorithms: ['sha256'], engine: nativeEngine, total });
      return r.digests.sha256!;
    }),
  );
  add(
    'e',
    'node crypto createHash SHA-256',
    await best(total, async () => {
      const h = createHash('sha256');
      for await (const chunk of readFile()) h.update(chunk);
      return h.digest('hex');
    }),
  );
  add('f', 'openssl dgst -sha256 (child, wall)', await runOpenssl());

  const forgeBytes = Math.min(total, FORGE_LIMIT_MIB * MIB);
  const forgeLabel =
    forgeBytes < total ? `node-forge SHA-256 (first ${FORGE_LIMIT_MIB} MiB only)` : 'node-forge SHA-256';
  const forgeRun = await best(
    forgeBytes,
    async () => {
      const md = forge.md.sha256.create();
      // forge takes "binary strings", as the download page feeds it.
      for await (const chunk of readFile(forgeBytes))
        md.update(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('latin1'));
      return md.digest().toHex();
    },
    1,
  );
  add('g', forgeLabel, forgeRun);

  // Memory does not depend on input size: the same hashStream case over a prefix of the file.
  const small = await best(
    SMALL_MIB * MIB,
    async () => {
      const r = await hashStream(readFile(SMALL_MIB * MIB), {
        algorithms: ['sha256', 'sha512'],
        total: SMALL_MIB * MIB,
      });
      return r.digests.sha256!;
    },
    1,
  );

  // Sanity: every full-file SHA-256 agrees; forge agrees with node over the same prefix.
  const fullDigests = new Set(rows.filter(([k]) => k !== 'g').map(([, , m]) => m.digest));
  const forgeReference = await (async () => {
    const h = createHash('sha256');
    for await (const chunk of readFile(forgeBytes)) h.update(chunk);
    return h.digest('hex');
  })();

  const header = ['case', 'what', 'MB/s', 'time', 'peak RSS', 'RSS growth'];
  const table = rows.map(([k, label, m]) => [
    `(${k})`,
    label,
    mbps(m).toFixed(0),
    `${m.seconds.toFixed(2)} s`,
    mib(m.peakRss),
    mib(m.rssGrowth),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table) console.log(line(r));

  const m = Object.fromEntries(rows.map(([k, , v]) => [k, v])) as Record<string, Measurement>;
  const ratio = (x: Measurement, y: Measurement) => mbps(x) / mbps(y);
  const verdict = (value: number, target: number) => (value >= target ? 'OK' : 'BELOW TARGET');
  console.log('');
  console.log(
    `(b)/(a) core hashStream vs raw hash-wasm  : ${ratio(m.b!, m.a!).toFixed(3)}  (target >= 0.9: ${verdict(ratio(m.b!, m.a!), 0.9)})`,
  );
  console.log(
    `(d)/(f) core+native vs openssl           : ${ratio(m.d!, m.f!).toFixed(3)}  (target >= 0.8: ${verdict(ratio(m.d!, m.f!), 0.8)})`,
  );
  console.log(
    `(d2)/(f) same, readFileBlocks reader      : ${ratio(m.d2!, m.f!).toFixed(3)}  (target >= 0.8: ${verdict(ratio(m.d2!, m.f!), 0.8)})`,
  );
  console.log(`(b)/(g) core hashStream vs node-forge    : ${ratio(m.b!, m.g!).toFixed(1)}x faster`);
  console.log(`(c) SHA-256+SHA-512 in one pass vs SHA-256 alone: ${ratio(m.c!, m.b!).toFixed(3)} of the speed`);
  console.log(
    `memory: hashStream SHA-256+512 RSS growth ${mib(small.rssGrowth)} over ${SMALL_MIB} MiB vs ${mib(m.c!.rssGrowth)} over ${SIZE_MIB} MiB` +
      ` (peak ${mib(small.peakRss)} vs ${mib(m.c!.peakRss)}) — constant in file size`,
  );
  console.log(`process max RSS over the whole benchmark: ${mib(process.resourceUsage().maxRSS * 1024)}`);
  console.log(
    `digests: ${fullDigests.size === 1 ? 'all full-file SHA-256 results agree' : 'MISMATCH ' + [...fullDigests].join(' ')}` +
      `; forge ${forgeRun.digest === forgeReference ? 'agrees with node crypto' : 'DISAGREES'} over its ${forgeBytes / MIB} MiB`,
  );
  if (fullDigests.size !== 1 || forgeRun.digest !== forgeReference) process.exitCode = 1;
  await deviceRows();
}

await main();
