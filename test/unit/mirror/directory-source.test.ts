import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { directoryMirrorSource } from '../../../src/cli/mirror-directory-source.js';
import { nativeEngine } from '../../../src/cli/native-engine.js';
import { checkMirror, reportIsBad, type MirrorRelease } from '../../../src/core/mirror/check.js';

const IMG = 'stable/tails-amd64-9.0/tails-amd64-9.0.img';
const image = new Uint8Array(randomBytes(3 * 1024 * 1024 + 17));
const signature = new Uint8Array(randomBytes(228));
const release: MirrorRelease = {
  product: 'Tails',
  version: '9.0',
  signed: true,
  files: [
    {
      fileName: 'tails-amd64-9.0.img',
      kind: 'image',
      path: IMG,
      size: image.length,
      sha256: createHash('sha256').update(image).digest('hex'),
    },
    {
      fileName: 'tails-amd64-9.0.img.sig',
      kind: 'signature',
      path: `${IMG}.sig`,
      size: signature.length,
      bytes: signature,
    },
  ],
};

let base: string;
let tree: string;

function write(rel: string, bytes: Uint8Array): void {
  const file = path.join(tree, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
}

async function check(mode: 'quick' | 'full') {
  return checkMirror(await directoryMirrorSource(tree), release, { mode, engine: nativeEngine });
}

beforeEach(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'iso-verify-mirror-dir-'));
  tree = path.join(base, 'tails');
  write(IMG, image);
  write(`${IMG}.sig`, signature);
});

afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('directory mirror source', () => {
  it('a correct tree is ok in both modes, with the files located on disk', async () => {
    for (const mode of ['quick', 'full'] as const) {
      const report = await check(mode);
      expect(report.files.map((f) => f.status)).toEqual(['ok', 'ok']);
      expect(report.ok).toBe(true);
      expect(report.files[0]!.location).toBe(path.join(tree, ...IMG.split('/')));
      expect(report.files[0]!.contentType).toBeUndefined();
    }
    const full = await check('full');
    expect(full.files[0]!.bytesRead).toBe(image.length);
    expect(full.files[0]!.sha256).toBe(release.files[0]!.sha256);
  });

  it('a truncated file is wrong-length (quick) and truncated (full)', async () => {
    write(IMG, image.subarray(0, 1_000_000));
    expect((await check('quick')).files[0]!.status).toBe('wrong-length');
    const full = await check('full');
    expect(full.files[0]).toMatchObject({ status: 'truncated', bytesRead: 1_000_000 });
    expect(reportIsBad(full)).toBe(true);
  });

  it('a corrupted byte is found in full mode', async () => {
    const bad = image.slice();
    bad[2_000_000] = bad[2_000_000]! ^ 0x80;
    write(IMG, bad);
    expect((await check('quick')).files[0]!.status).toBe('ok');
    expect((await check('full')).files[0]!.status).toBe('corrupt');
  });

  it('a missing file (or a dangling symlink) is missing', async () => {
    rmSync(path.join(tree, IMG));
    expect((await check('quick')).files[0]).toMatchObject({
      status: 'missing',
      detail: 'no such file (or a dangling symlink)',
    });
    symlinkSync(path.join(base, 'nowhere.img'), path.join(tree, IMG));
    expect((await check('full')).files[0]!.status).toBe('missing');
  });

  it('a changed signature is corrupt', async () => {
    write(
      `${IMG}.sig`,
      signature.map((b) => b ^ 1),
    );
    expect((await check('quick')).files[1]!.status).toBe('corrupt');
  });

  it('a symlink leaving the tree is reported, even when the bytes are right', async () => {
    const outside = path.join(base, 'outside.img');
    writeFileSync(outside, image);
    rmSync(path.join(tree, IMG));
    symlinkSync(outside, path.join(tree, IMG));
    const report = await check('full');
    expect(report.files[0]!.status).toBe('redirect-offsite');
    expect(report.files[0]!.detail).toContain('symlink leads out of the tree');
    expect(reportIsBad(report)).toBe(true);
  });

  it('a symlink inside the tree is followed', async () => {
    write('stable/shared/image.img', image);
    rmSync(path.join(tree, IMG));
    symlinkSync('../shared/image.img', path.join(tree, IMG));
    expect((await check('full')).files[0]!.status).toBe('ok');
  });

  it('a directory where the file should be is not served', async () => {
    rmSync(path.join(tree, IMG));
    mkdirSync(path.join(tree, IMG));
    expect((await check('quick')).files[0]).toMatchObject({ status: 'http-error', detail: 'not a regular file' });
  });

  it('paths that would climb out of the tree are never opened', async () => {
    const source = await directoryMirrorSource(tree);
    const controller = new AbortController();
    for (const bad of ['../secret', 'stable/%2e%2e/x', 'a//b', 'a/%2Fb']) {
      const response = await source.open(bad, { method: 'GET', signal: controller.signal });
      expect(response.status).toBe(404);
      expect(response.body).toBeUndefined();
    }
  });

  it('a tree that does not exist cannot be checked', async () => {
    await expect(directoryMirrorSource(path.join(base, 'nope'))).rejects.toMatchObject({ code: 'io-failed' });
  });
});
