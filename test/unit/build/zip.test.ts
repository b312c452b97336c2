/**
 * The release archives' ZIP writer (scripts/package.js) and packaging: the bytes depend only on
 * file names, contents and SOURCE_DATE_EPOCH — not on mtimes, modes on disk, directory order,
 * umask or the time zone.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  crc32,
  DEFAULT_SOURCE_DATE_EPOCH,
  dosDateTime,
  packageAll,
  sourceDateEpoch,
  writeZip,
  zipDirectory,
} from '../../../scripts/package.js';
import { compareTrees } from '../../../scripts/verify-build.js';
import { readZip, REPO, tempDir, utcFields } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let counter = 0;
const freshDir = (): string => {
  const dir = path.join(tmp.dir, `case-${++counter}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
/** 2024-03-31T02:30:41Z: odd seconds (DOS rounds down) and 14:30/15:30 in Auckland (a different calendar day in no zone, different hour everywhere). */
const EPOCH = 1711852241;

/** Files written in `order`, each with its own mtime and on-disk mode. */
function writeTree(dir: string, files: Record<string, string>, order: string[], mtime: number, mode: number): void {
  for (const name of order) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, files[name]!);
    chmodSync(file, mode);
    utimesSync(file, mtime, mtime);
  }
}

describe('writeZip', () => {
  const entries = [
    { name: 'manifest.json', data: bytes('{"manifest_version":3}\n') },
    { name: '_locales/en/messages.json', data: bytes('{}\n') },
    { name: 'background.js', data: bytes('console.log(1);\n'.repeat(500)) },
    { name: 'empty.txt', data: new Uint8Array(0) },
  ];

  it('gives the same bytes whatever order the entries come in', () => {
    const a = writeZip(entries, { epoch: EPOCH });
    const b = writeZip([...entries].reverse(), { epoch: EPOCH });
    expect(sha256(b)).toBe(sha256(a));
  });

  it('writes a valid archive: sorted entries, UTC timestamp from the epoch, mode 0644, deflated', () => {
    const file = path.join(freshDir(), 'a.zip');
    writeFileSync(file, writeZip(entries, { epoch: EPOCH }));
    const read = readZip(file);
    expect(read.map((e) => e.name)).toEqual([
      '_locales/en/messages.json',
      'background.js',
      'empty.txt',
      'manifest.json',
    ]);
    for (const entry of read) {
      expect(entry.dateTime).toEqual([2024, 3, 31, 2, 30, 40]);
      expect(entry.mode).toBe(0o100644);
      expect(entry.createSystem).toBe(3); // Unix, so unzip applies the mode
      expect(entry.compressType).toBe(8);
      const original = entries.find((e) => e.name === entry.name)!;
      expect(entry.sha256).toBe(sha256(original.data));
    }
  });

  it('stores the given mode', () => {
    const file = path.join(freshDir(), 'x.zip');
    writeFileSync(file, writeZip([{ name: 'tool', data: bytes('#!/bin/sh\n'), mode: 0o755 }], { epoch: EPOCH }));
    expect(readZip(file)[0]!.mode).toBe(0o100755);
  });

  it('changes when the epoch changes (the timestamp really is in the archive)', () => {
    expect(sha256(writeZip(entries, { epoch: EPOCH + 3600 }))).not.toBe(sha256(writeZip(entries, { epoch: EPOCH })));
  });

  it('does not depend on the time zone of the process', () => {
    const script = `import { writeZip } from ${JSON.stringify(path.join(REPO, 'scripts/package.js'))};
      const e = [{ name: 'a.txt', data: new TextEncoder().encode('hello') }];
      process.stdout.write(Buffer.from(writeZip(e, { epoch: ${EPOCH} })).toString('hex'));`;
    const run = (tz: string): string =>
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      });
    const utc = run('UTC');
    expect(utc.length).toBeGreaterThan(100);
    expect(run('Pacific/Auckland')).toBe(utc);
    expect(run('America/Los_Angeles')).toBe(utc);
  });

  it('refuses unsafe or duplicate names', () => {
    for (const name of ['/etc/passwd', '../up.txt', 'a/../b', 'a//b', 'a\\b', '']) {
      expect(() => writeZip([{ name, data: bytes('x') }], { epoch: EPOCH })).toThrow(/unsafe entry name/);
    }
    expect(() =>
      writeZip(
        [
          { name: 'a', data: bytes('1') },
          { name: 'a', data: bytes('2') },
        ],
        { epoch: EPOCH },
      ),
    ).toThrow(/duplicate/);
  });
});

describe('zip building blocks', () => {
  it('crc32 matches the standard check value', () => {
    expect(crc32(bytes('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('DOS date/time is taken in UTC and clamped to 1980', () => {
    const { date, time } = dosDateTime(EPOCH);
    expect([(date >> 9) + 1980, (date >> 5) & 15, date & 31, time >> 11, (time >> 5) & 63, (time & 31) * 2]).toEqual(
      utcFields(EPOCH),
    );
    expect(dosDateTime(0)).toEqual(dosDateTime(DEFAULT_SOURCE_DATE_EPOCH));
    expect(dosDateTime(DEFAULT_SOURCE_DATE_EPOCH)).toEqual({ date: (0 << 9) | (1 << 5) | 1, time: 0 });
  });
});

describe('SOURCE_DATE_EPOCH', () => {
  it('uses the variable when set, and rejects anything but whole seconds', () => {
    expect(sourceDateEpoch({ env: { SOURCE_DATE_EPOCH: '1700000000' }, dir: REPO })).toEqual({
      epoch: 1700000000,
      source: 'SOURCE_DATE_EPOCH',
    });
    expect(() => sourceDateEpoch({ env: { SOURCE_DATE_EPOCH: '17e8' }, dir: REPO })).toThrow(/whole seconds/);
    expect(() => sourceDateEpoch({ env: { SOURCE_DATE_EPOCH: '-5' }, dir: REPO })).toThrow(/whole seconds/);
  });

  it('defaults to the last commit date in the checkout', () => {
    const expected = Number(
      execFileSync('git', ['-C', REPO, 'log', '-1', '--format=%ct'], { encoding: 'utf8' }).trim(),
    );
    expect(sourceDateEpoch({ env: {}, dir: REPO })).toEqual({ epoch: expected, source: 'git' });
  });

  it('falls back to a constant outside git, and ignores a repository higher up', () => {
    expect(sourceDateEpoch({ env: {}, dir: freshDir() })).toEqual({
      epoch: DEFAULT_SOURCE_DATE_EPOCH,
      source: 'default',
    });
    // A folder inside the checkout is not the checkout's top: it gets the constant too.
    expect(sourceDateEpoch({ env: {}, dir: path.join(REPO, 'scripts') }).source).toBe('default');
  });
});

describe('zipDirectory and packageAll', () => {
  const files: Record<string, string> = {
    'manifest.json': '{"name":"__MSG_extName__"}\n',
    'b.js': 'b();\n',
    'a/z.js': 'z();\n',
    'a/b/c.txt': 'c\n',
  };

  it('ignore mtimes, on-disk modes and creation order', () => {
    const one = freshDir();
    const two = freshDir();
    writeTree(one, files, Object.keys(files), 1_000_000_000, 0o600);
    writeTree(two, files, Object.keys(files).reverse(), 1_800_000_000, 0o755);
    const a = zipDirectory(one, { epoch: EPOCH });
    expect(sha256(zipDirectory(two, { epoch: EPOCH }))).toBe(sha256(a));
    const file = path.join(freshDir(), 'dir.zip');
    writeFileSync(file, a);
    expect(readZip(file).map((e) => [e.name, e.mode])).toEqual([
      ['a/b/c.txt', 0o100644],
      ['a/z.js', 0o100644],
      ['b.js', 0o100644],
      ['manifest.json', 0o100644],
    ]);
  });

  /** A minimal finished build: what `npm run build` leaves in dist/. */
  function fakeBuild(name: string): { dir: string; dist: string } {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'iso-verify', version: '9.8.7' }));
    const dist = path.join(dir, 'dist');
    for (const browser of ['chrome', 'firefox']) {
      writeTree(
        path.join(dist, browser),
        { 'manifest.json': JSON.stringify({ name }), 'background.js': `/* ${browser} */\n` },
        ['manifest.json', 'background.js'],
        1e9,
        0o600,
      );
    }
    writeTree(path.join(dist, 'embed'), { 'iso-verify-embed.js': 'x();\n' }, ['iso-verify-embed.js'], 1e9, 0o600);
    writeTree(path.join(dist, 'cli'), { 'iso-verify.cjs': '#!/usr/bin/env node\n' }, ['iso-verify.cjs'], 1e9, 0o600);
    return { dir, dist };
  }

  it('writes the published files, a SHA256SUMS that sha256sum -c accepts, and makes the CLI executable', () => {
    const { dir, dist } = fakeBuild('__MSG_extName__');
    const published = packageAll({ dir, epoch: EPOCH });
    expect(published).toEqual([
      'cli/iso-verify.cjs',
      'iso-verify-chrome-9.8.7.zip',
      'iso-verify-embed-9.8.7.zip',
      'iso-verify-firefox-9.8.7.zip',
    ]);
    expect(statSync(path.join(dist, 'cli/iso-verify.cjs')).mode & 0o777).toBe(0o755);
    const check = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dist, encoding: 'utf8' });
    expect(check.trim().split('\n')).toHaveLength(4);
    expect(check).not.toMatch(/FAILED/);
    expect(readZip(path.join(dist, 'iso-verify-firefox-9.8.7.zip')).map((e) => e.dateTime)).toEqual([
      utcFields(EPOCH),
      utcFields(EPOCH),
    ]);
    expect(readFileSync(path.join(dist, 'BUILDINFO'), 'utf8')).toMatch(
      /^iso-verify 9\.8\.7\nprofile tails\nSOURCE_DATE_EPOCH 1711852241\nnode v\d+/,
    );
  });

  it('marks a non-tails build in the archive names', () => {
    const { dir } = fakeBuild('ISO Verify (demo)');
    expect(packageAll({ dir, epoch: EPOCH })).toEqual([
      'cli/iso-verify.cjs',
      'iso-verify-chrome-9.8.7-demo.zip',
      'iso-verify-embed-9.8.7.zip',
      'iso-verify-firefox-9.8.7-demo.zip',
    ]);
  });

  it('refuses to package before a build', () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'package.json'), '{"version":"1.0.0"}');
    expect(() => packageAll({ dir, epoch: EPOCH })).toThrow(/run `npm run build` first/);
  });

  it('packaging the same build with another epoch is caught by the comparison, naming the archives', () => {
    const { dir: dirA } = fakeBuild('__MSG_extName__');
    const { dir: dirB } = fakeBuild('__MSG_extName__');
    packageAll({ dir: dirA, epoch: EPOCH });
    packageAll({ dir: dirB, epoch: EPOCH + 2 });
    const { differences } = compareTrees(path.join(dirA, 'dist'), path.join(dirB, 'dist'));
    const names = differences.map((d) => d.file);
    expect(names).toEqual(
      expect.arrayContaining([
        'BUILDINFO',
        'SHA256SUMS',
        'iso-verify-chrome-9.8.7.zip',
        'iso-verify-embed-9.8.7.zip',
        'iso-verify-firefox-9.8.7.zip',
      ]),
    );
    expect(names).not.toContain('cli/iso-verify.cjs');
    // The first entry's local header: its time field sits at byte 10.
    expect(differences.find((d) => d.file === 'iso-verify-chrome-9.8.7.zip')?.offset).toBe(10);
  });
});
