import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_FINGERPRINT,
  DEMO_SECRET_KEY,
  Gpg,
  makeDemoRelease,
  randomBytes,
  type DemoRelease,
} from './gpg-release.js';
import { oneErrorLine, runInProcess, tempDir } from './harness.js';

const tmp = tempDir();
let gpg: Gpg;
let release: DemoRelease; // 9.1
let newer: DemoRelease; // 9.2
let strangerFpr: string;
let strangerKey: string;

beforeAll(() => {
  gpg = new Gpg(tmp.dir);
  gpg.importKey(DEMO_SECRET_KEY);
  // 5 MB and not block-aligned: several hashing blocks and a partial one.
  release = makeDemoRelease(gpg, path.join(tmp.dir, 'r91'), '9.1', randomBytes(5_000_001));
  newer = makeDemoRelease(gpg, path.join(tmp.dir, 'r92'), '9.2', randomBytes(1_000_000), 'iso');
  strangerFpr = gpg.generateKey('Stranger <stranger@example.invalid>');
  strangerKey = path.join(tmp.dir, 'stranger.asc');
  gpg.exportPublic(strangerFpr, strangerKey);
});
afterAll(() => tmp.cleanup());

/** verify with the release's local inputs, offline, with a fresh state file unless given. */
function verifyArgs(r: DemoRelease, image: string, extra: string[] = []): string[] {
  const state = extra.includes('--state')
    ? []
    : ['--state', path.join(tmp.dir, `state-${Math.random().toString(36).slice(2)}.json`)];
  return [
    'verify',
    image,
    '--profile',
    'demo',
    '--offline',
    '--descriptor',
    r.description,
    '--signature',
    r.descriptionSignature,
    '--image-signature',
    r.imageSignature,
    ...state,
    ...extra,
  ];
}

/** A copy of the release image with other bytes but the same name (as a bad mirror would serve). */
function variant(r: DemoRelease, label: string, bytes: Uint8Array): string {
  const dir = path.join(tmp.dir, label);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, r.imageName);
  writeFileSync(file, bytes);
  return file;
}

describe('iso-verify verify (demo release made with gpg, local inputs)', () => {
  it('the authentic image → 0, answer line first, then the evidence', async () => {
    const r = await runInProcess(verifyArgs(release, release.image));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(
      'VERIFIED: tails-amd64-9.1.img is Tails 9.1 (USB image), complete and signed by the pinned key.',
    );
    expect(r.stdout).toContain(`${release.sha256}  computed`);
    expect(r.stdout).toContain(`${release.sha256}  expected (same)`);
    expect(r.stdout).toContain(`pinned key ${DEMO_FINGERPRINT}`);
    expect(r.stdout).toContain(`description: ${release.description}`);
    // Skipped on purpose (--offline) is said neutrally, not as a failure.
    expect(r.stdout).toMatch(/signing-key: .*, not fetched: offline$/m);
  });

  it('--json prints one object with verdict "verified" and the full Verdict', async () => {
    const r = await runInProcess(verifyArgs(release, release.image, ['--json']));
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe('verified');
    expect(report.kind).toBe('verified');
    expect(report.exitStatus).toBe(0);
    expect(report.expected).toMatchObject({ version: '9.1', type: 'img', size: 5_000_001, sha256: release.sha256 });
    expect(report.signer.primaryFingerprint).toBe(DEMO_FINGERPRINT);
    expect(report.evidence.file).toMatchObject({ name: release.imageName, size: 5_000_001, sha256: release.sha256 });
    expect(report.evidence.signatures.every((s: { good: boolean }) => s.good)).toBe(true);
  });

  it('a truncated download → 1 "incomplete", one stderr line', async () => {
    const file = variant(release, 'truncated', release.imageBytes.subarray(0, 3_000_000));
    const r = await runInProcess(verifyArgs(release, file, ['--json']));
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe('incomplete');
    expect(report.missingBytes).toBe(2_000_001);
    expect(oneErrorLine(r.stderr)).toMatch(
      /^iso-verify: incomplete: the file has 3000000 of the 5000001 bytes of Tails 9\.1/,
    );
  });

  it('one changed byte → 1 "mismatch"', async () => {
    const bytes = release.imageBytes.slice();
    bytes[4_000_000]! ^= 0x80;
    const file = variant(release, 'flipped', bytes);
    const r = await runInProcess(verifyArgs(release, file));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^NOT AUTHENTIC: /);
    expect(r.stdout).toContain('expected (DIFFERENT)');
    expect(oneErrorLine(r.stderr)).toMatch(
      /^iso-verify: mismatch: the file's SHA-256 differs from the SHA-256 of Tails 9\.1 \(USB image\) in the signed description/,
    );
    const json = await runInProcess(verifyArgs(release, file, ['--json']));
    expect(JSON.parse(json.stdout).verdict).toBe('mismatch');
  });

  it('a garbage descriptor, validly signed → 2 "unverifiable", never verified', async () => {
    const garbage = path.join(tmp.dir, 'garbage.json');
    writeFileSync(garbage, '{"installations": [oops');
    gpg.sign(garbage, `${garbage}.sig`, DEMO_FINGERPRINT);
    const r = await runInProcess([
      ...verifyArgs(release, release.image),
      '--descriptor',
      garbage,
      '--signature',
      `${garbage}.sig`,
      '--json',
    ]);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'unverifiable', reason: 'descriptor-invalid' });
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: unverifiable: The release description is malformed/);
  });

  it('a changed descriptor under the original signature → 1 (bad signature)', async () => {
    const forged = path.join(tmp.dir, 'forged.json');
    writeFileSync(forged, readFileSync(release.description, 'utf8').replace('"9.1"', '"9.9"'));
    const r = await runInProcess([...verifyArgs(release, release.image), '--descriptor', forged, '--json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'unverifiable', reason: 'signature-bad' });
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: unverifiable: The signature does not match the data/);
  });

  it('a missing image → 2 with a clear line, nothing on stdout', async () => {
    const missing = path.join(tmp.dir, 'nowhere', release.imageName);
    const r = await runInProcess(verifyArgs(release, missing));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneErrorLine(r.stderr)).toBe(
      `iso-verify: usage: verify: <image>: no such file: ${missing} (see 'iso-verify verify --help')`,
    );
  });

  it('a missing signature file is a usage error naming the option, and the image is not verified', async () => {
    const r = await runInProcess([
      ...verifyArgs(release, release.image),
      '--signature',
      path.join(tmp.dir, 'none.sig'),
      '--image-signature',
      path.join(tmp.dir, 'none2.sig'),
      '--json',
    ]);
    expect(r.status).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe('usage');
    expect(report.error.detail).toMatch(/--signature: no such file: .*none\.sig/);
  });

  it('rollback: after 9.2 was seen, the signed 9.1 → 1, and the state file is kept', async () => {
    const state = path.join(tmp.dir, 'rollback', 'state.json');
    const first = await runInProcess(verifyArgs(newer, newer.image, ['--state', state]));
    expect(first.status).toBe(0);
    expect(JSON.parse(readFileSync(state, 'utf8')).records['demo/Tails/stable'].version).toBe('9.2');
    const replay = await runInProcess(verifyArgs(release, release.image, ['--state', state, '--json']));
    expect(replay.status).toBe(1);
    const report = JSON.parse(replay.stdout);
    expect(report).toMatchObject({ verdict: 'unverifiable', reason: 'rollback' });
    expect(oneErrorLine(replay.stderr)).toMatch(
      /^iso-verify: unverifiable: The release data is older than data already seen.*9\.1.*9\.2/,
    );
    expect(JSON.parse(readFileSync(state, 'utf8')).records['demo/Tails/stable'].version).toBe('9.2');
  });

  it('the default state file is $XDG_STATE_HOME/iso-verify/state.json', async () => {
    const xdg = path.join(tmp.dir, 'xdg-state');
    const args = verifyArgs(release, release.image).filter((a, i, all) => a !== '--state' && all[i - 1] !== '--state');
    const r = await runInProcess(args, { env: { XDG_STATE_HOME: xdg, HOME: '/nonexistent-home' } });
    expect(r.status).toBe(0);
    expect(existsSync(path.join(xdg, 'iso-verify', 'state.json'))).toBe(true);
  });

  it('a corrupt state file → 2 (rollback protection is never silently reset)', async () => {
    const state = path.join(tmp.dir, 'corrupt-state.json');
    writeFileSync(state, 'not json');
    const r = await runInProcess(verifyArgs(release, release.image, ['--state', state]));
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/state file .*corrupt-state\.json is not valid JSON/);
    expect(readFileSync(state, 'utf8')).toBe('not json');
  });

  it('--fingerprint replaces the profile pins: the demo key no longer counts', async () => {
    const r = await runInProcess(
      verifyArgs(release, release.image, ['--key', strangerKey, '--fingerprint', strangerFpr, '--json']),
    );
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).verdict).toBe('unverifiable');
    const pinnedDemo = await runInProcess(verifyArgs(release, release.image, ['--fingerprint', DEMO_FINGERPRINT]));
    expect(pinnedDemo.status).toBe(0);
  });

  it('--offline refuses URLs: a URL descriptor is not fetched → 2', async () => {
    let fetched = false;
    const r = await runInProcess(
      [...verifyArgs(release, release.image), '--descriptor', 'https://example.org/latest.json', '--json'],
      { fetch: async () => ((fetched = true), new Response('{}')) },
    );
    expect(fetched).toBe(false);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).verdict).toBe('unverifiable');
  });

  it('without --offline, profile URLs are fetched (a failing key refresh does not block verification)', async () => {
    const seen: string[] = [];
    const fetch404: typeof globalThis.fetch = async (input) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return new Response('not found', { status: 404 });
    };
    const args = verifyArgs(release, release.image, ['--json']).filter((a) => a !== '--offline');
    const r = await runInProcess(args, { fetch: fetch404 });
    expect(r.status).toBe(0);
    expect(seen).toContain('http://127.0.0.1:8470/demo-signing.key');
    expect(JSON.parse(r.stdout).verdict).toBe('verified');
  });

  it('usage errors → 2', async () => {
    for (const argv of [
      ['verify'],
      ['verify', 'a', 'b'],
      ['verify', 'a', '--descriptr', 'x'],
      ['verify', 'a', '--fingerprint', 'xyz'],
    ]) {
      const r = await runInProcess(argv);
      expect(r.status).toBe(2);
      expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: usage: verify: /);
    }
  });
});
