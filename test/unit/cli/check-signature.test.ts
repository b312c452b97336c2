import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FINGERPRINT, DEMO_PUBLIC_KEY, DEMO_SECRET_KEY, Gpg, randomBytes } from './gpg-release.js';
import { oneErrorLine, runInProcess, TAILS_2021, tempDir } from './harness.js';

const TAILS_FPR = 'A490D0F4D311A4153E2BB7CADBB802B258ACD84F';
const TAILS_KEY = path.join(TAILS_2021, 'tails-signing.key');

const tmp = tempDir();
const file = path.join(tmp.dir, 'data.bin');
const sig = path.join(tmp.dir, 'data.bin.sig');
const armoredSig = path.join(tmp.dir, 'data.bin.asc');
const strangerSig = path.join(tmp.dir, 'data.bin.stranger.sig');
const strangerKey = path.join(tmp.dir, 'stranger.asc');
let strangerFpr: string;
let original: Uint8Array;

beforeAll(() => {
  const gpg = new Gpg(tmp.dir);
  gpg.importKey(DEMO_SECRET_KEY);
  // Larger than one 2 MiB hashing block, so the signature is checked against a streamed hash.
  original = randomBytes(3 * 1024 * 1024 + 7);
  writeFileSync(file, original);
  gpg.sign(file, sig, DEMO_FINGERPRINT);
  gpg.sign(file, armoredSig, DEMO_FINGERPRINT, { armor: true, digest: 'SHA256' });
  strangerFpr = gpg.generateKey('Stranger <stranger@example.invalid>');
  gpg.sign(file, strangerSig, strangerFpr);
  gpg.exportPublic(strangerFpr, strangerKey);
});
afterAll(() => tmp.cleanup());

const demoTrust = ['--key', DEMO_PUBLIC_KEY, '--fingerprint', DEMO_FINGERPRINT];

describe('iso-verify check-signature (gpg-made signatures)', () => {
  it('a good binary signature → 0 with the signer on stdout', async () => {
    const r = await runInProcess(['check-signature', file, sig, ...demoTrust]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^GOOD SIGNATURE: data\.bin is signed by the pinned key 0099E3EB76222469F6AA643F8A14A0B7A189E99C\./,
    );
    expect(r.stdout).toContain('signing key EB3497335AF8981565D7D2462C4BED356215362A');
  });

  it('a good ASCII-armored SHA-256 signature → 0; fingerprints may be spaced and lowercase', async () => {
    const spaced = DEMO_FINGERPRINT.toLowerCase()
      .replace(/(.{4})/g, '$1 ')
      .trim();
    const r = await runInProcess([
      'check-signature',
      file,
      armoredSig,
      '--key',
      DEMO_PUBLIC_KEY,
      '--fingerprint',
      spaced,
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/sha256/);
  });

  it('--profile demo supplies both key and pin', async () => {
    const r = await runInProcess(['check-signature', file, sig, '--profile', 'demo']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('(profile demo)');
  });

  it('--json prints one object with verdict "good" and the signature details', async () => {
    const r = await runInProcess(['check-signature', '--json', file, sig, ...demoTrust]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe('good');
    expect(report.exitStatus).toBe(0);
    expect(report.signature).toMatchObject({
      good: true,
      primaryFingerprint: DEMO_FINGERPRINT,
      hashAlgorithm: 'sha512',
    });
    expect(report.file.size).toBe(original.length);
    expect(report.pinnedFingerprints).toEqual([DEMO_FINGERPRINT]);
  });

  it('one changed byte → 1, "bad signature" on one stderr line', async () => {
    const tampered = path.join(tmp.dir, 'tampered.bin');
    const bytes = original.slice();
    bytes[bytes.length - 1]! ^= 0x01;
    writeFileSync(tampered, bytes);
    const r = await runInProcess(['check-signature', tampered, sig, ...demoTrust]);
    expect(r.status).toBe(1);
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: bad signature: The signature does not match the data/);
    expect(r.stdout).toMatch(/^BAD SIGNATURE/);
  });

  it('a truncated file → 1', async () => {
    const truncated = path.join(tmp.dir, 'truncated.bin');
    writeFileSync(truncated, original.subarray(0, original.length - 1000));
    const r = await runInProcess(['check-signature', truncated, sig, ...demoTrust, '--json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).verdict).toBe('bad');
  });

  it('a signature by a key that is not pinned → 2 (unknown key), with its key ID', async () => {
    const r = await runInProcess(['check-signature', file, strangerSig, ...demoTrust]);
    expect(r.status).toBe(2);
    const line = oneErrorLine(r.stderr);
    expect(line).toMatch(/^iso-verify: unverifiable: The signature was made by a key that is not known/);
    expect(line).toContain(strangerFpr.slice(-16));
  });

  it('a key file whose fingerprint is not pinned is not trusted → 2', async () => {
    const r = await runInProcess([
      'check-signature',
      file,
      strangerSig,
      '--key',
      strangerKey,
      '--fingerprint',
      DEMO_FINGERPRINT,
    ]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: unverifiable: No pinned key is available/);
  });

  it('requires --fingerprint (a key file alone proves nothing) and --key without --profile', async () => {
    const noPin = await runInProcess(['check-signature', file, sig, '--key', DEMO_PUBLIC_KEY]);
    expect(noPin.status).toBe(2);
    expect(oneErrorLine(noPin.stderr)).toMatch(/^iso-verify: usage: check-signature: --fingerprint is required/);
    const noKey = await runInProcess(['check-signature', file, sig, '--fingerprint', DEMO_FINGERPRINT]);
    expect(noKey.status).toBe(2);
    expect(oneErrorLine(noKey.stderr)).toMatch(/--key is required/);
    const badFpr = await runInProcess([
      'check-signature',
      file,
      sig,
      '--key',
      DEMO_PUBLIC_KEY,
      '--fingerprint',
      '90B2B4BD7AED235F',
    ]);
    expect(badFpr.status).toBe(2);
    expect(oneErrorLine(badFpr.stderr)).toMatch(/full primary-key fingerprint/);
  });

  it('a garbage signature → 2 "malformed", before hashing', async () => {
    const garbage = path.join(tmp.dir, 'garbage.sig');
    writeFileSync(garbage, 'this is not an OpenPGP signature\n');
    const r = await runInProcess(['check-signature', path.join(tmp.dir, 'does-not-exist'), garbage, ...demoTrust]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: unverifiable: The signature is malformed/);
  });

  it('a missing file → 2 naming the file', async () => {
    const r = await runInProcess(['check-signature', path.join(tmp.dir, 'nope.img'), sig, ...demoTrust]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/could not be read .*nope\.img: no such file/);
  });
});

describe('iso-verify check-signature (real Tails 2021 data)', () => {
  const stable = path.join(TAILS_2021, 'upgrade/4.18/stable');
  const tailsTrust = ['--key', 'tails-signing.key', '--fingerprint', TAILS_FPR];

  it('upgrades.yml upgrades.yml.pgp --key tails-signing.key --fingerprint A490…D84F → 0', async () => {
    const r = await runInProcess(
      [
        'check-signature',
        path.join(stable, 'upgrades.yml'),
        path.join(stable, 'upgrades.yml.pgp'),
        ...tailsTrust,
        '--json',
      ],
      { cwd: TAILS_2021 },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { signature } = JSON.parse(r.stdout);
    expect(signature).toMatchObject({
      good: true,
      primaryFingerprint: TAILS_FPR,
      signingKeyFingerprint: 'CD4D4351AFA6933F574A9AFB90B2B4BD7AED235F',
      hashAlgorithm: 'sha512',
    });
  });

  it('agrees with gpg on all 18 signed upgrade descriptions, from both signing subkeys', async () => {
    const { readdirSync } = await import('node:fs');
    const signers = new Set<string>();
    let checked = 0;
    for (const version of readdirSync(path.join(TAILS_2021, 'upgrade'))) {
      for (const channel of readdirSync(path.join(TAILS_2021, 'upgrade', version))) {
        const udf = path.join(TAILS_2021, 'upgrade', version, channel, 'upgrades.yml');
        const r = await runInProcess(['check-signature', udf, `${udf}.pgp`, ...tailsTrust, '--json'], {
          cwd: TAILS_2021,
        });
        expect(r.status, `${udf}: ${r.stderr}`).toBe(0);
        signers.add(JSON.parse(r.stdout).signature.signingKeyFingerprint);
        checked++;
      }
    }
    expect(checked).toBe(18);
    expect([...signers].sort()).toEqual([
      '05469FB85EAD6589B43D41D3D21DAD38AF281C0B',
      'CD4D4351AFA6933F574A9AFB90B2B4BD7AED235F',
    ]);
  });

  it('one changed byte in a real upgrades.yml → 1', async () => {
    const text = readFileSync(path.join(stable, 'upgrades.yml'), 'utf8');
    const changed = path.join(tmp.dir, 'upgrades.yml');
    writeFileSync(changed, text.replace('4.19', '4.18'));
    const r = await runInProcess(['check-signature', changed, path.join(stable, 'upgrades.yml.pgp'), ...tailsTrust], {
      cwd: TAILS_2021,
    });
    expect(r.status).toBe(1);
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: bad signature: /);
  });

  it('the Tails signature is not accepted under the demo pin → 2', async () => {
    const r = await runInProcess([
      'check-signature',
      path.join(stable, 'upgrades.yml'),
      path.join(stable, 'upgrades.yml.pgp'),
      '--key',
      TAILS_KEY,
      '--key',
      DEMO_PUBLIC_KEY,
      '--fingerprint',
      DEMO_FINGERPRINT,
    ]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toContain('90B2B4BD7AED235F');
  });
});
