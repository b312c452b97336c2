/**
 * The benchmarks' input: a pseudo-random file of a given size, generated once and cached under
 * .cache/bench/ (both `npm run bench` and `npm run bench:browser` read the same file).
 */
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
