/**
 * The built CLI (webpack, build/webpack.cli.js) is a self-contained executable: shebang,
 * mode +x, openpgp.js working inside the bundle, no build-machine paths baked in.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import webpack from 'webpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_FINGERPRINT,
  DEMO_PUBLIC_KEY,
  DEMO_SECRET_KEY,
  Gpg,
  makeDemoRelease,
  randomBytes,
} from './gpg-release.js';
import { oneErrorLine, REPO, runBinary, TAILS_2021, tempDir } from './harness.js';

const tmp = tempDir();
const out = path.join(tmp.dir, 'dist');
const binary = path.join(out, 'iso-verify.cjs');

type ConfigFactory = (env: object, argv: { mode: string }) => webpack.Configuration;

beforeAll(async () => {
  // A plain-JS module without types: load it as such.
  const configModule = path.join(REPO, 'build/webpack.cli.js');
  const { default: cliConfig } = (await import(configModule)) as { default: ConfigFactory };
  const config = { ...cliConfig({}, { mode: 'production' }), context: REPO };
  config.output = { ...config.output, path: out };
  const stats = await new Promise<webpack.Stats>((resolve, reject) => {
    webpack(config, (error, result) => (error || !result ? reject(error) : resolve(result)));
  });
  if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
}, 120_000);
afterAll(() => tmp.cleanup());

describe('the bundled iso-verify.cjs', () => {
  it('starts with a shebang, is executable and names no build directory', () => {
    const text = readFileSync(binary, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(binary).mode & 0o111).toBe(0o111);
    expect(text).not.toContain(REPO);
  });

  it('runs directly: --version, hash like sha256sum', () => {
    expect(runBinary(binary, ['--version']).stdout).toMatch(/^iso-verify \d+\.\d+\.\d+\n$/);
    const file = path.join(tmp.dir, 'x.bin');
    writeFileSync(file, randomBytes(1_000_003));
    const r = runBinary(binary, ['hash', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(execFileSync('sha256sum', [file], { encoding: 'utf8' }));
  });

  it('usage errors exit 2 with one line', () => {
    const r = runBinary(binary, ['verify']);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: usage: verify: missing <image>/);
  });

  it('verifies real Tails data with openpgp.js inside the bundle', () => {
    const r = runBinary(
      binary,
      [
        'check-signature',
        'upgrade/4.18/stable/upgrades.yml',
        'upgrade/4.18/stable/upgrades.yml.pgp',
        '--key',
        'tails-signing.key',
        '--fingerprint',
        'A490 D0F4 D311 A415 3E2B  B7CA DBB8 02B2 58AC D84F',
      ],
      { cwd: TAILS_2021 },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^GOOD SIGNATURE/);
  });

  it('reports a bad signature with exit 1', () => {
    const gpg = new Gpg(tmp.dir);
    gpg.importKey(DEMO_SECRET_KEY);
    const file = path.join(tmp.dir, 'signed.bin');
    writeFileSync(file, 'hello\n');
    gpg.sign(file, `${file}.sig`, DEMO_FINGERPRINT);
    writeFileSync(file, 'hellO\n');
    const r = runBinary(binary, [
      'check-signature',
      file,
      `${file}.sig`,
      '--key',
      DEMO_PUBLIC_KEY,
      '--fingerprint',
      DEMO_FINGERPRINT,
    ]);
    expect(r.status).toBe(1);
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: bad signature:/);
  });

  it('verifies a demo release offline (built-in profile and its key inside the bundle)', () => {
    const gpg = new Gpg(tmp.dir);
    gpg.importKey(DEMO_SECRET_KEY);
    const rel = makeDemoRelease(gpg, path.join(tmp.dir, 'rel'), '9.3', randomBytes(300_000));
    const args = [
      'verify',
      rel.image,
      '--profile',
      'demo',
      '--offline',
      '--descriptor',
      rel.description,
      '--signature',
      rel.descriptionSignature,
      '--image-signature',
      rel.imageSignature,
      '--state',
      path.join(tmp.dir, 'state.json'),
      '--json',
    ];
    const r = runBinary(binary, args);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).verdict).toBe('verified');
    writeFileSync(rel.image, randomBytes(300_000));
    const bad = runBinary(binary, args);
    expect(bad.status).toBe(1);
    expect(oneErrorLine(bad.stderr)).toMatch(/^iso-verify: mismatch: /);
  });

  it('Ctrl-C ends a long hash at once (real SIGINT to the bundled binary): status 130', async () => {
    const huge = path.join(tmp.dir, 'huge-sparse.img');
    execFileSync('truncate', ['-s', '64G', huge]); // sparse: minutes of hashing, no disk used
    const child = spawn(binary, ['hash', huge], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    // Interrupt only once it is really hashing (the file is open), not while Node starts up.
    const deadline = Date.now() + 20_000;
    const hashing = (): boolean => {
      try {
        return readdirSync(`/proc/${child.pid}/fd`).some((fd) => {
          try {
            return readlinkSync(`/proc/${child.pid}/fd/${fd}`) === huge;
          } catch {
            return false;
          }
        });
      } catch {
        return false;
      }
    };
    while (!hashing() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hashing()).toBe(true);
    const sentAt = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    expect(Date.now() - sentAt).toBeLessThan(3000);
  });
});
