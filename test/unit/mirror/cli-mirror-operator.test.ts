/**
 * What `iso-verify mirror` tells an operator (issue 14): a derivative's layout from its
 * profile, hints for a stale mirror and a prefix one level off, rates for slow mirrors,
 * local-tree wording, and checking a tree offline against release data given locally.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, linkSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMirrorTable, formatRate } from '../../../src/cli/mirror-output.js';
import { listingNames } from '../../../src/core/mirror/http-source.js';
import { versionOf } from '../../../src/core/mirror/hints.js';
import type { MirrorReport } from '../../../src/core/mirror/types.js';
import { DEMO_FINGERPRINT, DEMO_PUBLIC_KEY, DEMO_SECRET_KEY, Gpg, randomBytes } from '../cli/gpg-release.js';
import { oneErrorLine, runInProcess, tempDir, type RunResult } from '../cli/harness.js';
import { startMirrorFixture, type MirrorFixture } from './fixture.js';

let f: MirrorFixture;
const tmp = tempDir('iso-verify-operator-');

beforeAll(async () => {
  f = await startMirrorFixture();
});
afterAll(async () => {
  await f?.close();
  tmp.cleanup();
});

function run(args: string[], profile?: string): Promise<RunResult> {
  return runInProcess(['mirror', ...args, '--profile', profile ?? f.profilePath, '--state', f.statePath], { fetch });
}

function hintLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('hint  '));
}

describe('hints when a mirror serves none of the images', () => {
  it('a mirror with the previous release: an older release is there, check the sync', async () => {
    const r = await run([f.prefix('stale'), '--quick']);
    expect(r.status).toBe(1);
    expect(hintLines(r.stdout)).toEqual([
      `hint  ${f.prefix('stale')}: an older release is there (Tails 7.1, ${f.prefix('stale')}stable/tails-amd64-7.1/) but not 7.2: ` +
        'the mirror looks out of date; check that its sync (rsync) runs and completes',
    ]);
    const json = JSON.parse((await run([f.prefix('stale'), '--quick', '--json'])).stdout);
    expect(json.mirrors[0].hints[0]).toMatch(/^an older release is there/);
  });

  it('a prefix one level too high: the release is one level lower', async () => {
    const high = f.prefix('good').replace(/tails\/$/, '');
    const r = await run([high, '--quick']);
    expect(r.status).toBe(1);
    expect(hintLines(r.stdout)).toEqual([
      `hint  ${high}: the release is one level lower, in ${f.prefix('good')}: check that URL prefix instead (the one that holds stable/)`,
    ]);
  });

  it('a prefix one level too deep', async () => {
    const deep = `${f.prefix('good')}stable/`;
    const r = await run([deep, '--quick']);
    expect(hintLines(r.stdout)[0]).toContain('is one level too deep: the files are there without "stable/"');
  });

  it('a local tree one level too high names the directory to check', async () => {
    const root = path.join(tmp.dir, 'srv');
    for (const image of f.release.images.filter((i) => i.version === f.release.current)) {
      const target = path.join(root, 'tails', image.mirrorPath);
      mkdirSync(path.dirname(target), { recursive: true });
      linkSync(image.file, target);
      copyFileSync(image.signature, `${target}.sig`);
    }
    const r = await run([root, '--quick']);
    expect(r.status).toBe(1);
    expect(hintLines(r.stdout)).toEqual([
      `hint  ${root}/: the release is one level lower, in ${path.join(root, 'tails')}/: check that directory instead (the one that holds stable/)`,
    ]);
  });

  it('no hint when the mirror is fine or only partly wrong', async () => {
    expect(hintLines((await run([f.prefix('good'), '--quick'])).stdout)).toEqual([]);
    expect(hintLines((await run([f.prefix('truncated'), '--quick'])).stdout)).toEqual([]);
  });

  it('listing pages and release directory names are read without a DOM', () => {
    const dir = new URL('https://m.example/tails/stable/');
    const html =
      '<a href="../">up</a><a href="tails-amd64-7.1/">7.1</a><a href="/tails/stable/tails-amd64-7.0/">7.0</a><a href="https://evil.example/tails/stable/x/">x</a><a href="?C=N;O=D">sort</a>';
    expect(listingNames(html, dir)).toEqual(['tails-amd64-7.1', 'tails-amd64-7.0']);
    const pattern = '^tails-amd64-(?<version>[0-9][0-9a-z.~+-]*)\\.(?<type>img|iso)$';
    expect(versionOf('tails-amd64-7.1', pattern)).toBe('7.1');
    expect(versionOf('tails-amd64-7.1.iso', pattern)).toBe('7.1');
    expect(versionOf('README', pattern)).toBeUndefined();
  });
});

describe('rates and wording', () => {
  it('a slow mirror never shows "0.0 MB/s"', () => {
    expect(formatRate(64 * 1024)).toBe('66 kB/s');
    expect(formatRate(5_000)).toBe('5.0 kB/s');
    expect(formatRate(300)).toBe('300 B/s');
    expect(formatRate(12_345_678)).toBe('12.3 MB/s');
    const report: MirrorReport = {
      mirror: 'https://slow.example/tails/',
      mode: 'full',
      release: { product: 'Tails', version: '7.2', signed: true },
      ok: true,
      files: [
        {
          fileName: 'x.img',
          kind: 'image',
          path: 'stable/x/x.img',
          location: 'https://slow.example/tails/stable/x/x.img',
          status: 'ok',
          httpStatus: 200,
          expectedSize: 4_000_000,
          bytesRead: 4_000_000,
          durationMs: 100_000,
          throughput: 40_000,
        },
      ],
      bytesRead: 4_000_000,
      durationMs: 100_000,
      throughput: 40_000,
    };
    const table = formatMirrorTable([report], { releaseLine: 'Release' });
    expect(table).not.toContain('0.0 MB/s');
    expect(table).toContain('40 kB/s');
  });

  it('rows of a local tree talk about file sizes, not Content-Length', async () => {
    const root = path.join(tmp.dir, 'short', 'tails');
    for (const image of f.release.images.filter((i) => i.version === f.release.current)) {
      const target = path.join(root, image.mirrorPath);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, 'short');
      copyFileSync(image.signature, `${target}.sig`);
    }
    const r = await run([root, '--quick']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('WRONG-LENGTH');
    expect(r.stdout).toContain('file size 5, signed size');
    expect(r.stdout).not.toContain('Content-Length');
  });
});

describe('a derivative (no "/tails/" in its URLs), checked offline against local release data', () => {
  let dir: string;
  let profile: string;
  let tree: string;
  const name = 'amber-2.0.img';

  beforeAll(() => {
    dir = path.join(tmp.dir, 'amber');
    mkdirSync(dir, { recursive: true });
    const gpg = new Gpg(dir);
    gpg.importKey(DEMO_SECRET_KEY);
    const bytes = randomBytes(700_001);
    tree = path.join(dir, 'mirror');
    const image = path.join(tree, 'stable', 'amber-2.0', name);
    mkdirSync(path.dirname(image), { recursive: true });
    writeFileSync(image, bytes);
    gpg.sign(image, path.join(dir, `${name}.sig`), DEMO_FINGERPRINT);
    copyFileSync(path.join(dir, `${name}.sig`), `${image}.sig`);
    const description = {
      build_target: 'amd64',
      channel: 'stable',
      installations: [
        {
          version: '2.0',
          'installation-paths': [
            {
              type: 'img',
              'target-files': [
                {
                  url: `https://dl.amber.example/pub/amber/stable/amber-2.0/${name}`,
                  sha256: createHash('sha256').update(bytes).digest('hex'),
                  size: bytes.length,
                },
              ],
            },
          ],
        },
      ],
      'product-name': 'Amber',
    };
    writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(description, null, 2)}\n`);
    gpg.sign(path.join(dir, 'latest.json'), path.join(dir, 'latest.json.sig'), DEMO_FINGERPRINT);
    copyFileSync(DEMO_PUBLIC_KEY, path.join(dir, 'amber-signing.asc'));
    profile = path.join(dir, 'amber.json');
    writeFileSync(
      profile,
      JSON.stringify(
        {
          id: 'amber',
          product: 'Amber',
          officialSite: 'https://amber.example',
          channel: 'stable',
          architecture: 'amd64',
          descriptionUrl: 'https://amber.example/install/latest.json',
          descriptionSignatureUrl: 'https://amber.example/install/latest.json.sig',
          imageSignatureUrl: 'https://amber.example/sig/{file}.sig',
          pinnedFingerprints: [DEMO_FINGERPRINT],
          signingKeyFile: 'amber-signing.asc',
          imagePattern: '^amber-(?<version>[0-9][0-9.]*)\\.(?<type>img|iso)$',
          maxDescriptionAgeDays: 0,
          rebuilders: [],
          reproThreshold: 1,
        },
        null,
        2,
      ),
    );
  });

  const local = (): string[] => [
    '--offline',
    '--descriptor',
    path.join(dir, 'latest.json'),
    '--signature',
    path.join(dir, 'latest.json.sig'),
  ];

  it('the layout comes from the profile (the channel directory): the tree is verified, nothing fetched', async () => {
    const r = await run([tree, ...local(), '--image-signature', path.join(dir, `${name}.sig`)], profile);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^Release: Amber 2\.0 \(2 files per mirror\), from .*latest\.json; description signed by the pinned key/,
    );
    expect(r.stdout).toContain(`${tree}/  ${name}  `);
    expect(r.stdout).toContain('verified: description signature by the pinned key');
    expect(r.stdout).toContain(`CORRECT  ${tree}/ (full)`);
  });

  it('--offline without the image signature says what is missing (exit 2), and refuses URLs and --all', async () => {
    const r = await run([tree, ...local()], profile);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(
      /cannot check mirrors: Not fetched: offline \(official image signature https:\/\/amber\.example\/sig\/amber-2\.0\.img\.sig/,
    );
    const url = await run(['https://m.example/amber/', ...local()], profile);
    expect(oneErrorLine(url.stderr)).toContain(
      "--offline checks local directories only, not 'https://m.example/amber/'",
    );
    const all = await run(['--all', ...local()], profile);
    expect(oneErrorLine(all.stderr)).toContain('--all needs the network');
  });

  it('URLs that fit no layout are named with what the profile expects', async () => {
    const flat = JSON.parse((await import('node:fs')).readFileSync(profile, 'utf8')) as Record<string, unknown>;
    flat.mirrorTreePath = '/releases/';
    const flatProfile = path.join(dir, 'flat.json');
    writeFileSync(flatProfile, JSON.stringify(flat));
    const r = await run([tree, ...local(), '--image-signature', path.join(dir, `${name}.sig`)], flatProfile);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toContain('its path has no "/releases/" (the profile\'s mirrorTreePath)');
  });
});
