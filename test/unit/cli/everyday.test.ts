/**
 * The everyday CLI cases of issue 14: mistyped profile and option names, a state file that
 * cannot be written, labels and wording of the evidence, an image given as a URL.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coveredKind } from '../../../src/cli/commands/check-signature.js';
import { editDistance, nearest } from '../../../src/cli/suggest.js';
import {
  DEMO_FINGERPRINT,
  DEMO_PUBLIC_KEY,
  DEMO_SECRET_KEY,
  Gpg,
  makeDemoRelease,
  randomBytes,
  type DemoRelease,
} from './gpg-release.js';
import { oneErrorLine, runInProcess, TAILS_2021, tempDir } from './harness.js';

const tmp = tempDir();
let release: DemoRelease;
let gpg: Gpg;

beforeAll(() => {
  gpg = new Gpg(tmp.dir);
  gpg.importKey(DEMO_SECRET_KEY);
  release = makeDemoRelease(gpg, path.join(tmp.dir, 'r91'), '9.1', randomBytes(1_000_003));
});
afterAll(() => tmp.cleanup());

function verifyArgs(state: string, extra: string[] = []): string[] {
  return [
    'verify',
    release.image,
    '--profile',
    'demo',
    '--offline',
    '--descriptor',
    release.description,
    '--signature',
    release.descriptionSignature,
    '--image-signature',
    release.imageSignature,
    '--state',
    state,
    ...extra,
  ];
}

describe('names people mistype', () => {
  it('--profile tail: the profile is unknown, here are the built-in ones (not "no such file")', async () => {
    const r = await runInProcess(['verify', release.image, '--profile', 'tail'], { cwd: tmp.dir });
    expect(r.status).toBe(2);
    const line = oneErrorLine(r.stderr);
    expect(line).toContain("unknown profile 'tail' (did you mean 'tails'?)");
    expect(line).toContain('built-in profiles: tails, demo');
    expect(line).not.toMatch(/could not be read|no such file/);
  });

  it('a profile given as a path still reads the file (and names it when missing)', async () => {
    const r = await runInProcess(['verify', release.image, '--profile', './nope.json'], { cwd: tmp.dir });
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/usage: verify: --profile: no such file: .*nope\.json/);
  });

  it('an unknown option suggests the nearest one of that command', async () => {
    const r = await runInProcess(['verify', release.image, '--desciptor', 'x.json']);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(
      /usage: verify: Unknown option '--desciptor' \(did you mean '--descriptor'\?\)/,
    );
    const m = await runInProcess(['mirror', 'x', '--quik']);
    expect(oneErrorLine(m.stderr)).toContain("(did you mean '--quick'?)");
    const far = await runInProcess(['hash', 'x', '--zzzzzzzz']);
    expect(oneErrorLine(far.stderr)).not.toContain('did you mean');
  });

  it('an unknown command suggests the nearest command', async () => {
    const r = await runInProcess(['verfy', 'x.img']);
    expect(oneErrorLine(r.stderr)).toContain("unknown command 'verfy' (did you mean 'verify'?)");
  });

  it('suggestions are typos or abbreviations, not any word', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(nearest('--sate', ['--state', '--signature'])).toBe('--state');
    expect(nearest('--desc', ['--descriptor', '--json'])).toBe('--descriptor');
    expect(nearest('--x', ['--descriptor', '--json'])).toBeUndefined();
  });
});

describe('a state file that cannot be written', () => {
  it('a parent that is a file: the verdict is printed, then a separate warning on what it means', async () => {
    const blocker = path.join(tmp.dir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const r = await runInProcess(verifyArgs(path.join(blocker, 'state.json')));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^VERIFIED: tails-amd64-9\.1\.img is Tails 9\.1/);
    const line = oneErrorLine(r.stderr);
    expect(line).toMatch(
      /^iso-verify: warning: rollback state could not be saved \(cannot write state file .*a-file\/state\.json/,
    );
    expect(line).toContain('a later check cannot refuse an older release replayed to it');
    expect(line).not.toContain('could not be read');
  });

  it('an unwritable place (like a read-only file system): verdict stands, JSON carries the error', async () => {
    // /proc refuses new files even for root, as a read-only mount does.
    const r = await runInProcess(verifyArgs('/proc/iso-verify-test/state.json', ['--json']));
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe('verified');
    expect(report.stateSaveError).toMatchObject({
      code: 'io-failed',
      detail: expect.stringContaining('/proc/iso-verify-test/state.json'),
    });
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: warning: rollback state could not be saved/);
  });

  it('a state file that exists but cannot be read still fails closed', async () => {
    const dir = path.join(tmp.dir, 'state-is-dir');
    mkdirSync(dir, { recursive: true });
    const r = await runInProcess(verifyArgs(dir));
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: unverifiable: .*not a regular file/);
  });
});

describe('evidence wording', () => {
  it('a successful offline check says "not fetched: offline", never FAILED', async () => {
    const r = await runInProcess(verifyArgs(path.join(tmp.dir, 'ok-state.json')));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('signing-key: http://127.0.0.1:8470/demo-signing.key, not fetched: offline');
    expect(r.stdout).not.toContain('FAILED');
  });

  it('check-signature labels the signature by what it covers', async () => {
    const stable = path.join(TAILS_2021, 'upgrade/4.18/stable');
    const tailsTrust = ['--key', 'tails-signing.key', '--fingerprint', 'A490D0F4D311A4153E2BB7CADBB802B258ACD84F'];
    const udf = await runInProcess(
      ['check-signature', path.join(stable, 'upgrades.yml'), path.join(stable, 'upgrades.yml.pgp'), ...tailsTrust],
      { cwd: TAILS_2021 },
    );
    expect(udf.status).toBe(0);
    expect(udf.stdout).toMatch(/signature {3}upgrades\.yml \(upgrade description\): good; /);
    expect(udf.stdout).not.toMatch(/image:/);

    const notes = path.join(tmp.dir, 'notes.txt');
    writeFileSync(notes, 'hello\n');
    gpg.sign(notes, `${notes}.sig`, DEMO_FINGERPRINT);
    const plain = await runInProcess([
      'check-signature',
      notes,
      `${notes}.sig`,
      '--key',
      DEMO_PUBLIC_KEY,
      '--fingerprint',
      DEMO_FINGERPRINT,
      '--json',
    ]);
    expect(plain.status).toBe(0);
    expect(JSON.parse(plain.stdout).signature).toMatchObject({ over: 'file', covers: 'notes.txt', good: true });
    const text = await runInProcess([
      'check-signature',
      notes,
      `${notes}.sig`,
      '--key',
      DEMO_PUBLIC_KEY,
      '--fingerprint',
      DEMO_FINGERPRINT,
    ]);
    expect(text.stdout).toMatch(/signature {3}notes\.txt: good; .*ed25519\/sha512/);

    expect(coveredKind('tails-amd64-7.2.img')).toBe('image');
    expect(coveredKind('latest.json')).toBe('description');
    expect(coveredKind('foo-1.0.raw', '^foo-(?<version>[0-9.]+)\\.(?<type>raw)$')).toBe('image');
    expect(coveredKind('README')).toBeUndefined();
  });

  it('an image given as a URL: a local file is needed (not the path "https:/…")', async () => {
    const r = await runInProcess([
      'verify',
      'https://download.tails.net/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img',
    ]);
    expect(r.status).toBe(2);
    const line = oneErrorLine(r.stderr);
    expect(line).toContain('the image must be a local file, not a URL');
    expect(line).not.toContain('https:/download');
  });
});

describe('docs/description-format.md: a derivative signs latest.json detached, binary or armored', () => {
  it('an armored detached signature of the description verifies like a binary one', async () => {
    const armored = `${release.description}.asc`;
    gpg.sign(release.description, armored, DEMO_FINGERPRINT, { armor: true, digest: 'SHA512' });
    for (const signature of [release.descriptionSignature, armored]) {
      const args = verifyArgs(path.join(tmp.dir, `state-${path.basename(signature)}.json`));
      args[args.indexOf('--signature') + 1] = signature;
      const r = await runInProcess(args);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^VERIFIED: /);
      expect(r.stdout).toMatch(/description: good; pinned key/);
    }
  });
});
