import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneErrorLine, runInProcess, tempDir } from './harness.js';

const tmp = tempDir();
let big: string;
let empty: string;

beforeAll(() => {
  big = path.join(tmp.dir, 'random.bin');
  // Not a multiple of any block size, larger than one 2 MiB read.
  const bytes = new Uint8Array(5 * 1024 * 1024 + 12345);
  for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
  writeFileSync(big, bytes);
  empty = path.join(tmp.dir, 'empty file');
  writeFileSync(empty, '');
});
afterAll(() => tmp.cleanup());

function coreutils(tool: 'sha256sum' | 'sha512sum', file: string, cwd: string): string {
  return execFileSync(tool, [file], { cwd, encoding: 'utf8' });
}

describe('iso-verify hash', () => {
  it('prints exactly what sha256sum prints (native engine, relative path)', async () => {
    const r = await runInProcess(['hash', 'random.bin'], { cwd: tmp.dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(coreutils('sha256sum', 'random.bin', tmp.dir));
  });

  it('agrees with sha512sum with the WASM engine', async () => {
    const r = await runInProcess(['hash', '--algo', 'sha512', '--engine', 'wasm', big]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(coreutils('sha512sum', big, tmp.dir));
  });

  it('hashes several files, including an empty one', async () => {
    const r = await runInProcess(['hash', big, empty]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(coreutils('sha256sum', big, tmp.dir) + coreutils('sha256sum', empty, tmp.dir));
  });

  it('draws a progress bar only when stderr is a terminal, and clears it', async () => {
    const quiet = await runInProcess(['hash', big], { stderrIsTTY: false });
    expect(quiet.stderr).toBe('');
    const tty = await runInProcess(['hash', big], { stderrIsTTY: true });
    expect(tty.status).toBe(0);
    expect(tty.stderr).toMatch(/100%.*MB\/s.*ETA/);
    expect(tty.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(tty.stdout).toBe(quiet.stdout);
  });

  it('a missing file is exit 2 with one clear line', async () => {
    const r = await runInProcess(['hash', path.join(tmp.dir, 'nope.iso')]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/could not be read .*nope\.iso: no such file/);
    expect(r.stdout).toBe('');
  });

  it('goes on after an unreadable file, like sha256sum, and exits 2', async () => {
    const r = await runInProcess(['hash', path.join(tmp.dir, 'nope.iso'), big]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/nope\.iso: no such file/);
    expect(r.stdout).toBe(coreutils('sha256sum', big, tmp.dir));
  });

  it('a directory is not hashed', async () => {
    const r = await runInProcess(['hash', tmp.dir]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toContain('not a regular file');
  });

  it('rejects an unknown algorithm or engine as usage errors', async () => {
    for (const args of [
      ['--algo', 'md5'],
      ['--engine', 'gpu'],
    ]) {
      const r = await runInProcess(['hash', ...args, big]);
      expect(r.status).toBe(2);
      expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: usage: hash: --(algo|engine) must be one of/);
    }
  });
});
