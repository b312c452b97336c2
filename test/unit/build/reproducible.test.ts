/**
 * The real check (`npm run verify-build`): two full release builds (extensions, widget, CLI) of
 * this working tree in different directories, umasks, time zones and locales must produce the
 * same bytes. Slow — two complete webpack builds, about 25-60 s on two cores.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZip, REPO, tempDir, utcFields } from './helpers.js';

const tmp = tempDir();
const sumsFile = path.join(tmp.dir, 'SHA256SUMS');
let output = '';
let workDir = '';

beforeAll(async () => {
  const started = Date.now();
  // Not `npm run`: the outer npm's environment must not be the thing that makes builds agree.
  const run = await promisify(execFile)(
    process.execPath,
    [path.join(REPO, 'scripts/verify-build.js'), '--sums', sumsFile, '--keep'],
    {
      cwd: REPO,
      maxBuffer: 64 * 1024 * 1024,
    },
  ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`verify-build failed:\n${error.stdout ?? ''}\n${error.stderr ?? error.message}`);
  });
  output = run.stdout;
  workDir = /copies kept in (\S+)/.exec(output)?.[1] ?? '';
  console.log(`verify-build took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 600_000);

afterAll(() => {
  if (workDir.includes('iso-verify-rb-')) rmSync(workDir, { recursive: true, force: true });
  tmp.cleanup();
});

describe('npm run verify-build', () => {
  it('finds both builds identical and writes SHA256SUMS for the published files', () => {
    expect(output).toMatch(/verify-build: both builds match \(\d+ files compared/);
    expect(output).toMatch(/build 2: umask 077, TZ=Pacific\/Auckland/);
    const lines = readFileSync(sumsFile, 'utf8').trim().split('\n');
    const version = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    expect(lines.map((l) => l.replace(/^[0-9a-f]{64} {2}/, ''))).toEqual([
      'cli/iso-verify.cjs',
      `iso-verify-chrome-${version}.zip`,
      `iso-verify-embed-${version}.zip`,
      `iso-verify-firefox-${version}.zip`,
    ]);
    for (const line of lines) expect(line).toMatch(/^[0-9a-f]{64} {2}\S+$/);
  });

  it('the checksums describe the kept first build, whose archives are what the extension stores need', () => {
    const dist = path.join(workDir, 'a', 'dist');
    expect(existsSync(dist)).toBe(true);
    const check = execFileSync('sha256sum', ['-c', sumsFile], { cwd: dist, encoding: 'utf8' });
    expect(
      check
        .trim()
        .split('\n')
        .every((l) => l.endsWith(': OK')),
    ).toBe(true);

    const expectedEpoch = Number(/SOURCE_DATE_EPOCH=(\d+)/.exec(output)?.[1]);
    const version = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    for (const browser of ['chrome', 'firefox']) {
      const entries = readZip(path.join(dist, `iso-verify-${browser}-${version}.zip`));
      const names = entries.map((e) => e.name);
      expect(names).toContain('manifest.json');
      expect(names).toContain('background.js');
      expect(names).toEqual([...names].sort());
      // Chrome's offscreen document (the finished-download hashing) is not shipped to Firefox.
      if (browser === 'chrome')
        expect(names).toEqual(expect.arrayContaining(['offscreen.html', 'offscreen.js', 'hash-worker.js']));
      else expect(names.filter((n) => n.startsWith('offscreen'))).toEqual([]);
      for (const entry of entries) {
        expect(entry.dateTime).toEqual(utcFields(expectedEpoch));
        expect(entry.mode).toBe(0o100644);
      }
      // The release packages are the tails build: no "(profile)" in the name.
      const manifest = JSON.parse(readFileSync(path.join(dist, browser, 'manifest.json'), 'utf8')) as { name: string };
      expect(manifest.name).toBe('__MSG_extName__');
    }
    expect(readZip(path.join(dist, `iso-verify-embed-${version}.zip`)).map((e) => e.name)).toContain(
      'iso-verify-embed.js',
    );
  });
});
