/**
 * Installable outside the checkout: `npm pack` makes a package that `npm install -g` turns into
 * a working `iso-verify` with nothing else — no registry (installed with --offline), no
 * repository (run from a temporary directory, with the built-in profiles and keys inside).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../../package.json';
import { DEMO_SECRET_KEY, Gpg, makeDemoRelease, randomBytes } from './gpg-release.js';
import { REPO, runBinary, tempDir } from './harness.js';

const tmp = tempDir('iso-verify-pack-');
const prefix = path.join(tmp.dir, 'prefix');
const work = path.join(tmp.dir, 'elsewhere');
let packed: { filename: string; files: { path: string }[] };

beforeAll(() => {
  // prepack builds dist/cli/iso-verify.cjs (its output goes to stderr, so --json stays clean).
  const out = execFileSync('npm', ['pack', '--pack-destination', tmp.dir, '--json'], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  packed = (JSON.parse(out) as (typeof packed)[])[0]!;
  execFileSync(
    'npm',
    ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, path.join(tmp.dir, packed.filename)],
    {
      cwd: tmp.dir,
      stdio: 'ignore',
    },
  );
  execFileSync('mkdir', ['-p', work]);
}, 180_000);
afterAll(() => tmp.cleanup());

describe('npm pack → npm install -g', () => {
  it('the package is public, has no runtime dependencies and ships only the CLI bundle and docs', () => {
    expect((pkg as Record<string, unknown>).private).toBeUndefined();
    expect((pkg as Record<string, unknown>).dependencies).toBeUndefined();
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toContain('dist/cli/iso-verify.cjs');
    expect(files).toContain('README.md');
    expect(
      files.filter((f) => !/^(dist\/cli\/iso-verify\.cjs|README\.md|package\.json|docs\/[a-z-]+\.md)$/.test(f)),
    ).toEqual([]);
  });

  it('installs iso-verify on the PATH with nothing from the registry', () => {
    expect(readdirSync(path.join(prefix, 'bin'))).toEqual(['iso-verify']);
    const env = { PATH: `${path.join(prefix, 'bin')}:/usr/bin:/bin`, HOME: work };
    const help = runBinary('iso-verify', ['--help'], { cwd: work, env });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: iso-verify <command>/);
    expect(runBinary('iso-verify', ['--version'], { cwd: work, env }).stdout).toBe(`iso-verify ${pkg.version}\n`);
  });

  it('verifies from a directory outside the repository (built-in profile and key inside)', () => {
    const gpg = new Gpg(tmp.dir);
    gpg.importKey(DEMO_SECRET_KEY);
    const rel = makeDemoRelease(gpg, path.join(work, 'rel'), '9.4', randomBytes(200_000));
    const env = { PATH: `${path.join(prefix, 'bin')}:/usr/bin:/bin`, HOME: work };
    const r = runBinary(
      'iso-verify',
      [
        'verify',
        path.basename(rel.image),
        '--profile',
        'demo',
        '--offline',
        '--descriptor',
        'latest.json',
        '--signature',
        'latest.json.sig',
        '--image-signature',
        `${rel.imageName}.sig`,
      ],
      { cwd: rel.dir, env },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^VERIFIED: tails-amd64-9\.4\.img is Tails 9\.4/);
    // The default state file went to $HOME, not into the repository.
    expect(r.stdout).toContain(`state       ${path.join(work, '.local/state/iso-verify/state.json')}`);
  });
});
