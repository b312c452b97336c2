/**
 * Only signed facts decide (issue #10), through `iso-verify verify` and `check-signature` with
 * releases made by GnuPG:
 *  1. the rollback record never holds an unsigned version (image-signature mode);
 *  2. an unsigned description that disagrees with a good image signature is a warning, not a
 *     red verdict, and is never called signed;
 *  3. an unparseable signature file is "could not verify" (2), never proof of forgery;
 *  4. several signatures in one file: every one by the pinned key counts, in any order;
 *  6. --json prints one JSON object even when the input cannot be read.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FINGERPRINT, DEMO_PUBLIC_KEY, DEMO_SECRET_KEY, Gpg, randomBytes } from './gpg-release.js';
import { oneErrorLine, runInProcess, tempDir } from './harness.js';
import { TAILS_CURRENT_FIXTURES } from '../../helpers/shared-fixtures.js';

const tmp = tempDir('iso-verify-signed-facts-');
let gpg: Gpg;
let profileFile: string; // image-signature mode: the description is not signed (like Tails)

interface Release {
  version: string;
  name: string;
  image: string;
  bytes: Uint8Array;
  sha256: string;
  description: string;
  imageSignature: string;
}

/** Sign `file` as the demo key at a fixed time (after the key's creation, 2026-11-22). */
function sign(file: string, out: string, when: string, armor = false): void {
  gpg.run([
    '--faked-system-time',
    `${when}!`,
    ...(armor ? ['--armor'] : []),
    '--digest-algo',
    'SHA512',
    '--local-user',
    DEMO_FINGERPRINT,
    '--output',
    out,
    '--detach-sign',
    file,
  ]);
}

function describeRelease(
  dir: string,
  entries: Array<{ version: string; name: string; sha256: string; size: number }>,
): string {
  const file = path.join(dir, `latest-${Math.random().toString(36).slice(2)}.json`);
  const idf = {
    build_target: 'amd64',
    channel: 'stable',
    installations: entries.map((e) => ({
      'installation-paths': [
        {
          'target-files': [{ sha256: e.sha256, size: e.size, url: `https://download.example/tails/stable/${e.name}` }],
          type: 'img',
        },
      ],
      version: e.version,
    })),
    'product-name': 'Tails',
  };
  writeFileSync(file, `${JSON.stringify(idf, null, 4)}\n`);
  return file;
}

function makeRelease(version: string, signedAt: string, size: number): Release {
  const dir = path.join(tmp.dir, `r${version}`);
  mkdirSync(dir, { recursive: true });
  const name = `tails-amd64-${version}.img`;
  const image = path.join(dir, name);
  const bytes = randomBytes(size);
  writeFileSync(image, bytes);
  const sha256 = gpg.run(['--print-md', 'SHA256', image]).split(':')[1]!.replace(/\s+/g, '').toLowerCase();
  const imageSignature = `${image}.sig`;
  sign(image, imageSignature, signedAt);
  const description = describeRelease(dir, [{ version, name, sha256, size }]);
  return { version, name, image, bytes, sha256, description, imageSignature };
}

let old: Release; // 9.1, signed 2026-11-23
let current: Release; // 9.2, signed 2026-11-24

beforeAll(() => {
  gpg = new Gpg(tmp.dir);
  gpg.importKey(DEMO_SECRET_KEY);
  old = makeRelease('9.1', '20261123T120000', 1_000_003);
  current = makeRelease('9.2', '20261124T120000', 1_200_007);
  // The demo profile without a description signature: only image signatures vouch (Tails today).
  const demo = JSON.parse(readFileSync(path.join(path.dirname(DEMO_PUBLIC_KEY), '..', 'demo.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  delete demo.descriptionSignatureUrl;
  delete demo.keyUrl;
  demo.id = 'image-mode';
  demo.signingKeyFile = 'demo-signing.asc';
  profileFile = path.join(tmp.dir, 'image-mode.json');
  writeFileSync(profileFile, JSON.stringify(demo));
  copyFileSync(DEMO_PUBLIC_KEY, path.join(tmp.dir, 'demo-signing.asc'));
});
afterAll(() => tmp.cleanup());

const NOW = new Date('2026-11-29T12:00:00Z');

function verify(image: string, description: string, imageSignature: string, extra: string[] = []) {
  return runInProcess(
    [
      'verify',
      image,
      '--profile',
      profileFile,
      '--offline',
      '--descriptor',
      description,
      '--image-signature',
      imageSignature,
      ...extra,
    ],
    { now: NOW },
  );
}

function stateFile(): string {
  return path.join(tmp.dir, `state-${Math.random().toString(36).slice(2)}.json`);
}

describe('1. the rollback record holds signed facts only', () => {
  it('a doctored description naming a genuine old image "99.0" cannot block the genuine newer release', async () => {
    const state = stateFile();
    // The attacker serves the genuine 9.1 image and its genuine signature under the name 99.0.
    const dir = path.join(tmp.dir, 'doctored');
    mkdirSync(dir, { recursive: true });
    const renamed = path.join(dir, 'tails-amd64-99.0.img');
    writeFileSync(renamed, old.bytes);
    const doctored = describeRelease(dir, [
      { version: '99.0', name: 'tails-amd64-99.0.img', sha256: old.sha256, size: old.bytes.length },
    ]);
    const first = await verify(renamed, doctored, old.imageSignature, ['--state', state, '--json']);
    const report = JSON.parse(first.stdout);
    // The bytes are genuine (signed), but the signature does not name 99.0: the text says so.
    expect(report.verdict).toBe('verified');
    expect(report.evidence.facts).toEqual({ release: 'unsigned', reference: 'unsigned', bytes: 'image' });
    const stored = JSON.stringify(JSON.parse(readFileSync(state, 'utf8')));
    expect(stored).not.toContain('99.0');

    // The genuine newer release still verifies.
    const next = await verify(current.image, current.description, current.imageSignature, ['--state', state]);
    expect(next.stderr).toBe('');
    expect(next.status).toBe(0);
  });

  it('an older image signature after a newer one is still a rollback (signed times are compared)', async () => {
    const state = stateFile();
    expect((await verify(current.image, current.description, current.imageSignature, ['--state', state])).status).toBe(
      0,
    );
    const replay = await verify(old.image, old.description, old.imageSignature, ['--state', state, '--json']);
    expect(replay.status).toBe(1);
    expect(JSON.parse(replay.stdout)).toMatchObject({ verdict: 'unverifiable', reason: 'rollback' });
  });
});

describe('2. a good image signature decides; the unsigned description only warns', () => {
  for (const [what, change] of [
    ['SHA-256', (r: Release) => ({ version: r.version, name: r.name, sha256: 'ab'.repeat(32), size: r.bytes.length })],
    ['size', (r: Release) => ({ version: r.version, name: r.name, sha256: r.sha256, size: r.bytes.length + 4096 })],
  ] as const) {
    it(`the unsigned description lists another ${what}: verified (0) with a warning, never "signed SHA-256"`, async () => {
      const lying = describeRelease(path.dirname(current.image), [change(current)]);
      const r = await verify(current.image, lying, current.imageSignature, ['--state', stateFile()]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^VERIFIED: /);
      // The image signature names no version: the one-line answer does not claim it as signed.
      expect(r.stdout.split('\n')[0]).toMatch(
        /^VERIFIED: \S+ is the \S+ USB image, exactly as \S+ signed it \(pinned key\); version [\d.]+ according to the unsigned description\.$/,
      );
      expect(r.stdout).toContain('unsigned release description disagrees');
      expect(r.stdout).not.toMatch(/signed SHA-256/);
      const json = JSON.parse(
        (await verify(current.image, lying, current.imageSignature, ['--state', stateFile(), '--json'])).stdout,
      );
      expect(json.evidence.warnings.map((w: { code: string }) => w.code)).toContain('unsigned-description-differs');
    });
  }

  it('without a good signature a short file is classified from the unsigned data, and says so', async () => {
    const dir = path.join(tmp.dir, 'short');
    mkdirSync(dir, { recursive: true });
    const short = path.join(dir, current.name);
    writeFileSync(short, current.bytes.subarray(0, 500_000));
    const r = await verify(short, current.description, current.imageSignature, ['--state', stateFile()]);
    // The pinned key's signature does not match these bytes: that is the proof (1).
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^INCOMPLETE: /);
    expect(oneErrorLine(r.stderr)).toContain('unsigned description');
    expect(r.stderr).not.toMatch(/signed SHA-256|signed size/);
  });
});

describe('the one-line answer matches the exit status (issue #25)', () => {
  it('different bytes, but only the unsigned description says so (the image signature not fetched): not "NOT AUTHENTIC", and the signature is named', async () => {
    const dir = path.join(tmp.dir, 'changed');
    mkdirSync(dir, { recursive: true });
    const changed = path.join(dir, current.name);
    const bytes = Buffer.from(current.bytes);
    bytes[1000] = bytes[1000]! ^ 1;
    writeFileSync(changed, bytes);
    // --offline without --image-signature: the image signature is not fetched.
    const r = await runInProcess(
      [
        'verify',
        changed,
        '--profile',
        profileFile,
        '--offline',
        '--descriptor',
        current.description,
        '--state',
        stateFile(),
      ],
      { now: NOW },
    );
    expect(r.status).toBe(2);
    const line = r.stdout.split('\n')[0]!;
    expect(line).not.toMatch(/NOT AUTHENTIC|Do not use it/);
    expect(line).toMatch(
      /^NOT VERIFIED: \S+ has different contents than .* according to the unsigned description, and the image signature was not fetched \(offline\)\./,
    );
  });

  it('a mistyped --image-signature path is a usage error before hashing, naming the option', async () => {
    const r = await verify(current.image, current.description, path.join(tmp.dir, 'typo.sig'), [
      '--state',
      stateFile(),
    ]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: usage: verify: --image-signature: no such file: .*typo\.sig/);
  });

  it('an .iso.sig given for the .img says "the signature for another file", not forged', async () => {
    const dir = path.join(tmp.dir, 'other-sig');
    mkdirSync(dir, { recursive: true });
    const isoSig = path.join(dir, current.name.replace(/\.img$/, '.iso.sig'));
    copyFileSync(current.imageSignature, isoSig);
    const r = await verify(current.image, current.description, isoSig, ['--state', stateFile()]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneErrorLine(r.stderr)).toContain(
      `is the signature for another file (${current.name.replace(/\.img$/, '.iso')}), not for ${current.name}`,
    );
  });

  it('offline without the input: the error names the option, not the URL', async () => {
    const r = await runInProcess(
      ['verify', current.image, '--profile', profileFile, '--offline', '--state', stateFile()],
      { now: NOW },
    );
    expect(r.status).toBe(2);
    expect(r.stdout.split('\n')[0]).toContain('give it as a file with --descriptor <path>');
    expect(r.stdout.split('\n')[0]).not.toContain('http');
  });
});

describe('3. a signature file that cannot be parsed is "could not verify" everywhere', () => {
  const bodies: Array<[string, () => Uint8Array | string]> = [
    ['empty', () => new Uint8Array(0)],
    ['truncated', () => readFileSync(current.imageSignature).subarray(0, 40)],
    ['an HTML error page', () => '<!doctype html><html><body>404 Not Found</body></html>\n'],
    [
      'cleartext-signed',
      () =>
        '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nhello\n-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n',
    ],
  ];
  for (const [what, body] of bodies) {
    it(`${what}: verify 2, check-signature 2 (and GnuPG fails too)`, async () => {
      const sig = path.join(tmp.dir, `bad-${what.replace(/\W+/g, '-')}.sig`);
      writeFileSync(sig, body());
      const v = await verify(current.image, current.description, sig, ['--state', stateFile(), '--json']);
      expect(v.status).toBe(2);
      expect(JSON.parse(v.stdout)).toMatchObject({ verdict: 'unverifiable', reason: 'signature-unreadable' });
      const c = await runInProcess(
        ['check-signature', current.image, sig, '--key', DEMO_PUBLIC_KEY, '--fingerprint', DEMO_FINGERPRINT],
        { now: NOW },
      );
      expect(c.status).toBe(2);
      const reference = (() => {
        try {
          gpg.run(['--verify', sig, current.image]);
          return 0;
        } catch {
          return 1;
        }
      })();
      expect(reference).not.toBe(0);
    });
  }

  it('the description route too: an unreadable description signature is 2, not 1', async () => {
    const sig = path.join(tmp.dir, 'garbage-description.sig');
    writeFileSync(sig, '<html>maintenance</html>');
    const r = await runInProcess(
      [
        'verify',
        current.image,
        '--profile',
        'demo',
        '--offline',
        '--descriptor',
        current.description,
        '--signature',
        sig,
        '--image-signature',
        current.imageSignature,
        '--state',
        stateFile(),
        '--json',
      ],
      { now: NOW },
    );
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'unverifiable', reason: 'signature-unreadable' });
  });
});

describe('4. several signatures in one image signature file', () => {
  it('good+bad and bad+good by the pinned key are both refused (1), like GnuPG', async () => {
    const good = readFileSync(current.imageSignature);
    const bad = readFileSync(old.imageSignature); // the pinned key, other bytes
    for (const [label, bytes] of [
      ['good-bad', Buffer.concat([good, bad])],
      ['bad-good', Buffer.concat([bad, good])],
    ] as const) {
      const sig = path.join(tmp.dir, `${label}.sig`);
      writeFileSync(sig, bytes);
      const r = await verify(current.image, current.description, sig, ['--state', stateFile(), '--json']);
      expect(r.status, label).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'unverifiable', reason: 'signature-bad' });
      const c = await runInProcess(
        ['check-signature', current.image, sig, '--key', DEMO_PUBLIC_KEY, '--fingerprint', DEMO_FINGERPRINT],
        { now: NOW },
      );
      expect(c.status, label).toBe(1);
      expect(() => gpg.run(['--verify', sig, current.image])).toThrow();
    }
  });
});

describe('6. --json always prints one JSON object', () => {
  it('a missing image', async () => {
    const r = await verify(path.join(tmp.dir, 'no-such.img'), current.description, current.imageSignature, [
      '--json',
      '--state',
      stateFile(),
    ]);
    expect(r.status).toBe(2);
    const report = JSON.parse(r.stdout);
    // A typo, not a verdict about an image: a usage error naming the operand.
    expect(report).toMatchObject({ verdict: 'usage', exitStatus: 2, error: { code: 'usage' } });
    expect(oneErrorLine(r.stderr)).toMatch(/<image>: no such file/);
    oneErrorLine(r.stderr);
  });

  it('a corrupt state file', async () => {
    const state = stateFile();
    writeFileSync(state, '{ not json');
    const r = await verify(current.image, current.description, current.imageSignature, ['--json', '--state', state]);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({
      verdict: 'unverifiable',
      exitStatus: 2,
      error: { code: 'input-malformed' },
    });
  });

  it('a directory given as the image', async () => {
    const r = await verify(tmp.dir, current.description, current.imageSignature, ['--json', '--state', stateFile()]);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBeDefined();
  });
});

describe('the real Tails 7.6.1 data: the upgrade description is a second signed source', () => {
  const FIX = TAILS_CURRENT_FIXTURES;
  it('a short tails-amd64-7.6.1.iso is proven incomplete by the signed 7.6 upgrade description (exit 1), and the output says which source signed what', async () => {
    const dir = path.join(tmp.dir, 'tails-761');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'tails-amd64-7.6.1.iso');
    writeFileSync(file, new Uint8Array(4096));
    const r = await runInProcess(
      [
        'verify',
        file,
        '--profile',
        'tails',
        '--offline',
        '--descriptor',
        path.join(FIX, 'latest.json'),
        '--image-signature',
        path.join(FIX, 'tails-amd64-7.6.1.iso.sig'),
        '--upgrade-description',
        path.join(FIX, 'upgrade/7.6/stable/upgrades.yml'),
        '--state',
        stateFile(),
      ],
      { now: NOW },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^INCOMPLETE: /);
    expect(r.stdout).toContain(
      'release number: signed (upgrade description signature); expected size and SHA-256: signed (upgrade description signature)',
    );
    expect(r.stdout).toContain(
      '126895580af9ce9bcc5ba2d9c66133907c7f99917ee4847729e1ad980de0782e  expected (DIFFERENT), from the signed upgrade description',
    );
    expect(r.stdout).toMatch(
      /upgrade-description: good; pinned key A490D0F4D311A4153E2BB7CADBB802B258ACD84F, signing key A013A001BEDF1AFADF0B0B3AE26AE7BE8FA5B8D1/,
    );
    // The shipped key expires 2027-01-13, within 60 days of NOW, and --offline skips the refresh:
    // the warning says to connect so the key can be refreshed (offline is not "update ISO Verify").
    expect(r.stdout).toContain('warning');
    expect(r.stdout).toContain('stops signing soon and could not be refreshed: connect to the internet');
    expect(r.stdout).toContain('can sign until 2027-01-13');
  });

  it('the same short file as .img (no upgrade description covers the IMG): only the unsigned description, exit 2', async () => {
    const dir = path.join(tmp.dir, 'tails-761-img');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'tails-amd64-7.6.1.img');
    writeFileSync(file, new Uint8Array(4096));
    const r = await runInProcess(
      [
        'verify',
        file,
        '--profile',
        'tails',
        '--offline',
        '--descriptor',
        path.join(FIX, 'latest.json'),
        '--state',
        stateFile(),
      ],
      { now: NOW },
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('NOT signed (unsigned description)');
    expect(oneErrorLine(r.stderr)).toContain('no signature confirms those values');
  });
});
