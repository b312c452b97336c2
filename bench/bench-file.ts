/**
 * The benchmarks' input: a pseudo-random file of a given size, generated once and cached under
 * .cache/bench/ (both `npm run bench` and `npm run bench:browser` read the same file).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIB = 1024 * 1024;
export const BENCH_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function benchFilePath(sizeMib: number): string {
  return join(BENCH_ROOT, '.cache', 'bench', `bench-${sizeMib}MiB.bin`);
}

/** 16 MiB of xorshift output, repeated with the block number stamped in, so blocks differ. */
export async function ensureBenchFile(sizeMib: number): Promise<string> {
  if (!Number.isInteger(sizeMib) || sizeMib < 1) throw new Error('the benchmark size must be a positive number of MiB');
  const file = benchFilePath(sizeMib);
  const existing = await stat(file).catch(() => undefined);
  if (existing?.size === sizeMib * MIB) return file;
  await mkdir(dirname(file), { recursive: true });
  const started = performance.now();
  const blockSize = Math.min(16, sizeMib) * MIB;
  const block = new Uint8Array(blockSize);
  const words = new Uint32Array(block.buffer);
  let x = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  const temp = `${file}.tmp-${process.pid}`;
  const handle = await open(temp, 'w');
  try {
    const view = new DataView(block.buffer);
    for (let written = 0, n = 0; written < sizeMib * MIB; written += blockSize, n++) {
      view.setUint32(0, n);
      await handle.write(block, 0, Math.min(blockSize, sizeMib * MIB - written));
    }
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  console.log(`generated ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

/** Node's SHA-256 and SHA-512 of `file` (its first `limit` bytes), the reference every bench checks against; also warms the page cache. */
export async function referenceDigests(file: string, limit?: number): Promise<Record<'sha256' | 'sha512', string>> {
  const a = createHash('sha256');
  const b = createHash('sha512');
  for await (const chunk of createReadStream(file, {
    highWaterMark: 4 * MIB,
    ...(limit !== undefined ? { end: limit - 1 } : {}),
  })) {
    a.update(chunk as Buffer);
    b.update(chunk as Buffer);
  }
  return { sha256: a.digest('hex'), sha512: b.digest('hex') };
}

/** esbuild options of the browser benches' bundles: one self-contained script per entry. */
export const BROWSER_BUNDLE = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  logLevel: 'warning',
} as const;
