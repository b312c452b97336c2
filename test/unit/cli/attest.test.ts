/**
 * `iso-verify attest`: key generation, signed links, the static publishing tree, and interop
 * both ways with Debian's in-toto (an independent implementation of canonical JSON, keyids and
 * Ed25519): its links verify with our verifier, ours verify with `in-toto-sign --verify`.
 *
 * Before signing, attest verifies the rebuilt image against the signed release like `verify`
 * (here a demo release signed with GnuPG, given as local files): the same bytes are signed;
 * other bytes, or a release nothing signed could be compared with, are refused unless
 * --publish-mismatch.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAttestation } from '../../../src/core/repro/attestation.js';
import { importRebuilderKey } from '../../../src/core/repro/keys.js';
import { generateSigner, signRebuildLink } from '../../servers/rebuilderd-signer.js';
import { DEMO_PUBLIC_KEY, DEMO_SECRET_KEY, Gpg, makeDemoRelease, type DemoRelease } from './gpg-release.js';
import { oneErrorLine, runInProcess, tempDir } from './harness.js';

const tmp = tempDir('iso-verify-attest-');
const FILE = 'tails-amd64-9.1.img';
let release: DemoRelease; // 9.1 (USB image), signed description and image signature
let other: DemoRelease; // 9.2 (ISO image)
let image: string; // the rebuilder's build of 9.1: the same bytes
let imageBytes: Buffer;
let imageModeProfile: string; // the demo profile without a description signature (Tails today)

beforeAll(() => {
  const gpg = new Gpg(tmp.dir);
  gpg.importKey(DEMO_SECRET_KEY);
  imageBytes = Buffer.from(new Uint8Array(300_000).map((_, i) => (i * 31) % 256));
  release = makeDemoRelease(gpg, path.join(tmp.dir, 'r91'), '9.1', imageBytes);
  other = makeDemoRelease(
    gpg,
    path.join(tmp.dir, 'r92'),
    '9.2',
    Buffer.from(new Uint8Array(200_000).map((_, i) => (i * 7) % 251)),
    'iso',
  );
  mkdirSync(path.join(tmp.dir, 'build'));
  image = path.join(tmp.dir, 'build', FILE);
  writeFileSync(image, imageBytes);
  const demo = JSON.parse(readFileSync(path.join(path.dirname(DEMO_PUBLIC_KEY), '..', 'demo.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  delete demo.descriptionSignatureUrl;
  delete demo.keyUrl;
  demo.id = 'image-mode';
  demo.signingKeyFile = 'demo-signing.asc';
  imageModeProfile = path.join(tmp.dir, 'image-mode.json');
  writeFileSync(imageModeProfile, JSON.stringify(demo));
  copyFileSync(DEMO_PUBLIC_KEY, path.join(tmp.dir, 'demo-signing.asc'));
});
afterAll(() => tmp.cleanup());

const sha = (algorithm: string, bytes: Buffer) => createHash(algorithm).update(bytes).digest('hex');
const run = (argv: string[]) => runInProcess(argv, { cwd: tmp.dir });

/** The release inputs of `r` as local files, offline, with a fresh rollback state file. */
function releaseArgs(r: DemoRelease = release): string[] {
  return [
    '--profile',
    'demo',
    '--offline',
    '--descriptor',
    r.description,
    '--signature',
    r.descriptionSignature,
    '--image-signature',
    r.imageSignature,
    '--state',
    path.join(tmp.dir, `state-${Math.random().toString(36).slice(2)}.json`),
  ];
}

/** `attest <image> --key <key> [extra]` against the signed release `r`. */
const attest = (file: string, key: string, extra: string[] = [], r: DemoRelease = release) =>
  run(['attest', file, '--key', key, ...releaseArgs(r), ...extra]);

/** A build with other bytes than the release, under the release's name. */
function differentBuild(label: string, bytes: Buffer = Buffer.concat([imageBytes.subarray(1), Buffer.from('x')])) {
  const file = path.join(tmp.dir, label, FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return { file, bytes };
}

/** `in-toto-sign --verify` on a link file with a securesystemslib public key; true when it verifies. */
function inTotoVerifies(linkFile: string, publicKeyFile: string): boolean {
  const r = spawnSync('in-toto-sign', ['--verify', '-f', linkFile, '-k', publicKeyFile, '-t', 'ed25519'], {
    encoding: 'utf8',
  });
  return r.status === 0;
}

async function newKey(name: string) {
  const r = await run(['attest', '--new-key', '--key', name]);
  expect(r.status, r.stderr).toBe(0);
  return { file: path.join(tmp.dir, name), pem: r.stdout, stderr: r.stderr };
}

describe('iso-verify attest --new-key', () => {
  it('writes a 0600 private key and a .pub, prints a PEM a profile can pin, never overwrites', async () => {
    const key = await newKey('first.key');
    expect(statSync(key.file).mode & 0o777).toBe(0o600);
    const pub = JSON.parse(readFileSync(`${key.file}.pub`, 'utf8')) as {
      keyid: string;
      keyval: { public: string; private?: string };
    };
    expect(pub.keyval.private).toBeUndefined();
    const imported = await importRebuilderKey(key.pem);
    expect(imported.keyId).toBe(pub.keyid);
    expect(Buffer.from(imported.publicKey).toString('hex')).toBe(pub.keyval.public);
    expect(key.stderr).toContain(pub.keyid);

    const before = readFileSync(key.file, 'utf8');
    const again = await run(['attest', '--new-key', '--key', 'first.key']);
    expect(again.status).toBe(2);
    expect(oneErrorLine(again.stderr)).toMatch(/already exists, not overwritten/);
    expect(readFileSync(key.file, 'utf8')).toBe(before);
  });

  it('creates a missing directory for the key (0700); says "cannot write" where it cannot', async () => {
    const key = await newKey('keys/new/rebuilder.key');
    expect(statSync(path.dirname(key.file)).mode & 0o777).toBe(0o700);
    expect(statSync(key.file).mode & 0o777).toBe(0o600);
    writeFileSync(path.join(tmp.dir, 'a-file'), 'x');
    const r = await run(['attest', '--new-key', '--key', 'a-file/sub/k.key']);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/cannot be written.*cannot write .*a-file\/sub\/k\.key/);
    expect(oneErrorLine(r.stderr)).not.toMatch(/could not be read/);
    const again = await run(['attest', '--new-key', '--key', 'keys/new/rebuilder.key']);
    expect(oneErrorLine(again.stderr)).toMatch(
      /already exists and was not overwritten.*already exists, not overwritten/,
    );
    expect(oneErrorLine(again.stderr)).not.toMatch(/could not be read/);
  });

  it('refuses when only the .pub exists, and writes neither file', async () => {
    writeFileSync(path.join(tmp.dir, 'half.key.pub'), 'x');
    const r = await run(['attest', '--new-key', '--key', 'half.key']);
    expect(r.status).toBe(2);
    expect(existsSync(path.join(tmp.dir, 'half.key'))).toBe(false);
  });
});

describe('iso-verify attest <image>: the same bytes as the signed release', () => {
  it('prints a link naming the file, SHA-256, SHA-512, product and version, signed by the key', async () => {
    const key = await newKey('signer.key');
    const r = await attest(image, 'signer.key');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'compared with the signed release: VERIFIED: tails-amd64-9.1.img is Tails 9.1 (USB image), complete and signed by the pinned key.',
    );
    const link = JSON.parse(r.stdout) as { signed: Record<string, unknown>; signatures: { keyid: string }[] };
    expect(link.signed).toEqual({
      _type: 'link',
      name: `rebuild ${FILE}`,
      materials: {},
      products: { [FILE]: { sha256: sha('sha256', imageBytes), sha512: sha('sha512', imageBytes) } },
      environment: { product: 'Tails', version: '9.1' },
      byproducts: {},
      command: [],
    });
    expect(sha('sha256', imageBytes)).toBe(release.sha256);
    const verified = await verifyAttestation(new TextEncoder().encode(r.stdout), await importRebuilderKey(key.pem));
    expect(verified.release).toEqual({ product: 'Tails', version: '9.1' });
  });

  it('our link verifies with Debian in-toto-sign --verify; a tampered copy does not', async () => {
    const key = await newKey('interop.key');
    const r = await attest(image, 'interop.key');
    expect(r.status, r.stderr).toBe(0);
    const linkFile = path.join(tmp.dir, 'ours.link');
    writeFileSync(linkFile, r.stdout);
    expect(inTotoVerifies(linkFile, `${key.file}.pub`)).toBe(true);
    const tampered = path.join(tmp.dir, 'ours-tampered.link');
    writeFileSync(tampered, r.stdout.replace('"9.1"', '"9.3"'));
    expect(inTotoVerifies(tampered, `${key.file}.pub`)).toBe(false);
  });

  it('a link made by Debian in-toto-run verifies with ours; our attest signs with an in-toto-keygen key', async () => {
    const signer = await generateSigner(path.join(tmp.dir, 'keygen'), 'debian');
    const theirs = await signRebuildLink({ signers: [signer], fileName: FILE, filePath: image });
    const verified = await verifyAttestation(
      new TextEncoder().encode(JSON.stringify(theirs)),
      await importRebuilderKey(signer.publicKeyPem),
    );
    expect(verified.products.get(FILE)?.sha256).toBe(sha('sha256', imageBytes));

    const r = await attest(image, signer.keyPath);
    expect(r.status, r.stderr).toBe(0);
    const linkFile = path.join(tmp.dir, 'with-keygen-key.link');
    writeFileSync(linkFile, r.stdout);
    expect(inTotoVerifies(linkFile, `${signer.keyPath}.pub`)).toBe(true);
  });

  it('--out writes <dir>/<product>/<version>/<file>.link and an index; another key is refused', async () => {
    await newKey('pub.key');
    const out = path.join(tmp.dir, 'site');
    const r = await attest(image, 'pub.key', ['--out', 'site']);
    expect(r.status, r.stderr).toBe(0);
    const linkFile = path.join(out, 'Tails', '9.1', `${FILE}.link`);
    expect(JSON.parse(readFileSync(linkFile, 'utf8')).signed.name).toBe(`rebuild ${FILE}`);
    const iso = path.join(tmp.dir, 'build', other.imageName);
    copyFileSync(other.image, iso);
    const second = await attest(iso, 'pub.key', ['--out', 'site'], other);
    expect(second.status, second.stderr).toBe(0);
    const index = JSON.parse(readFileSync(path.join(out, 'index.json'), 'utf8'));
    expect(index.format).toBe('iso-verify-reproducer/1');
    expect(index.links.map((l: { path: string }) => l.path)).toEqual([
      `Tails/9.1/${FILE}.link`,
      `Tails/9.2/tails-amd64-9.2.iso.link`,
    ]);

    await newKey('stranger.key');
    const refused = await attest(image, 'stranger.key', ['--out', 'site']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^iso-verify: error: .*use one tree per key\)$/m);
  });

  it('a browser copy "name (1).img" publishes the link under the published name', async () => {
    await newKey('copy.key');
    const copy = path.join(tmp.dir, 'build', 'tails-amd64-9.1 (1).img');
    writeFileSync(copy, imageBytes);
    const r = await attest(copy, 'copy.key', ['--out', 'copy-site']);
    expect(r.status, r.stderr).toBe(0);
    const linkFile = path.join(tmp.dir, 'copy-site', 'Tails', '9.1', `${FILE}.link`);
    expect(Object.keys(JSON.parse(readFileSync(linkFile, 'utf8')).signed.products)).toEqual([FILE]);
    expect(existsSync(path.join(tmp.dir, 'copy-site', 'Tails', '9.1', 'tails-amd64-9.1 (1).img.link'))).toBe(false);
  });

  it('refuses a file name the profile does not know, and a key whose halves disagree, before hashing', async () => {
    await newKey('k.key');
    const renamed = path.join(tmp.dir, 'build', 'my-build.img');
    writeFileSync(renamed, imageBytes);
    const r = await attest(renamed, 'k.key');
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/not an image file name of profile demo/);

    const a = JSON.parse(readFileSync(path.join(tmp.dir, 'k.key'), 'utf8'));
    const b = JSON.parse(readFileSync(path.join(tmp.dir, 'signer.key'), 'utf8'));
    writeFileSync(
      path.join(tmp.dir, 'mixed.key'),
      JSON.stringify({ ...a, keyval: { public: b.keyval.public, private: a.keyval.private } }),
    );
    const mixed = await attest(image, 'mixed.key');
    expect(mixed.status).toBe(2);
    expect(oneErrorLine(mixed.stderr)).toMatch(/does not belong to keyval.private/);
    expect(mixed.stdout).toBe('');
  });

  it('a mistyped release input is a usage error naming the option, before anything is hashed', async () => {
    await newKey('typo.key');
    const r = await run(['attest', image, '--key', 'typo.key', '--profile', 'demo', '--image-signature', 'nope.sig']);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: usage: attest: --image-signature: no such file: .*nope\.sig/);
    const missing = await run(['attest', 'build/tails-amd64-9.9.img', '--key', 'typo.key', '--profile', 'demo']);
    expect(oneErrorLine(missing.stderr)).toMatch(/^iso-verify: usage: attest: <image>: no such file/);
    const key = await run(['attest', image, '--key', 'typo.key', '--profile', 'demo', '--release-key', 'no.asc']);
    expect(oneErrorLine(key.stderr)).toMatch(/^iso-verify: usage: attest: --release-key: no such file/);
  });
});

describe('iso-verify attest <image>: other bytes, or nothing signed to compare with', () => {
  it('different bytes → refused (exit 1), says what publishing would mean, writes nothing', async () => {
    await newKey('diff.key');
    const { file } = differentBuild('build-diff');
    const r = await attest(file, 'diff.key', ['--out', 'diff-site']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const line = oneErrorLine(r.stderr);
    expect(line).toMatch(/^iso-verify: refused: your build tails-amd64-9\.1\.img is not the release Tails signed: /);
    expect(line).toContain('in the signed description');
    expect(line).toContain('If you publish this link, every user will see that a rebuilder got different bytes.');
    expect(line).toContain('Nothing was signed or written');
    expect(line).toContain('--publish-mismatch');
    expect(existsSync(path.join(tmp.dir, 'diff-site'))).toBe(false);

    // Without --out: no link on stdout either.
    const printed = await attest(file, 'diff.key');
    expect(printed.status).toBe(1);
    expect(printed.stdout).toBe('');
  });

  it('a short build is different bytes too (incomplete against the signed size) → 1', async () => {
    await newKey('short.key');
    const { file } = differentBuild('build-short', imageBytes.subarray(0, 200_000));
    const r = await attest(file, 'short.key');
    expect(r.status).toBe(1);
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: refused: .*200000 of the 300000 bytes/);
  });

  it('different bytes + --publish-mismatch → signed, published, and said loudly', async () => {
    const key = await newKey('mismatch.key');
    const { file, bytes } = differentBuild('build-mismatch');
    const r = await attest(file, 'mismatch.key', ['--out', 'mismatch-site', '--publish-mismatch']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(
        `^iso-verify: PUBLISHED A MISMATCH: your build tails-amd64-9\\.1\\.img is not the release Tails signed \\(.*\\)\\. The link published names your bytes \\(sha256 ${sha('sha256', bytes)}\\): every user who counts your key will see that a rebuilder got different bytes\\.$`,
        'm',
      ),
    );
    expect(r.stderr).not.toContain('compared with the signed release');
    const linkFile = path.join(tmp.dir, 'mismatch-site', 'Tails', '9.1', `${FILE}.link`);
    const link = JSON.parse(readFileSync(linkFile, 'utf8'));
    expect(link.signed.products[FILE].sha256).toBe(sha('sha256', bytes));
    expect(link.signed.products[FILE].sha256).not.toBe(release.sha256);
    expect(inTotoVerifies(linkFile, `${key.file}.pub`)).toBe(true);
    const verified = await verifyAttestation(readFileSync(linkFile), await importRebuilderKey(key.pem));
    expect(verified.products.get(FILE)?.sha256).toBe(sha('sha256', bytes));
  });

  it('unknown release (offline, no release inputs) → refused (exit 2), nothing written; --publish-mismatch signs', async () => {
    await newKey('unknown.key');
    const state = ['--state', path.join(tmp.dir, 'state-unknown.json')];
    const r = await run(['attest', image, '--key', 'unknown.key', '--profile', 'demo', '--offline', ...state]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const line = oneErrorLine(r.stderr);
    expect(line).toMatch(
      /^iso-verify: refused: nothing signed could be compared with your build tails-amd64-9\.1\.img: /,
    );
    expect(line).toContain('--descriptor');
    expect(line).toContain('Nothing was signed or written');

    const forced = await run([
      'attest',
      image,
      '--key',
      'unknown.key',
      '--profile',
      'demo',
      '--offline',
      ...state,
      '--publish-mismatch',
    ]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(
      /^iso-verify: PUBLISHED WITHOUT COMPARISON: nothing signed could be compared with your build tails-amd64-9\.1\.img \(.*\)\. The link printed names your bytes/m,
    );
    expect(JSON.parse(forced.stdout).signed.products[FILE].sha256).toBe(release.sha256);
  });

  it('the default profile offline without inputs (Tails) → refused, naming the option that gives the input', async () => {
    await newKey('tails.key');
    const r = await run([
      'attest',
      image,
      '--key',
      'tails.key',
      '--offline',
      '--state',
      path.join(tmp.dir, 'state-tails.json'),
    ]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(
      /^iso-verify: refused: nothing signed could be compared .*--image-signature/,
    );
  });

  it('only signed facts decide "the same": an unsigned description naming the build\'s bytes is not enough', async () => {
    await newKey('signed-facts.key');
    // Tails today: the description is unsigned; only the image signature vouches for bytes.
    const { file, bytes } = differentBuild('build-unsigned');
    const lying = path.join(tmp.dir, 'lying', 'latest.json');
    mkdirSync(path.dirname(lying), { recursive: true });
    writeFileSync(
      lying,
      readFileSync(release.description, 'utf8')
        .replace(release.sha256, sha('sha256', bytes))
        .replace(/"size": \d+/, `"size": ${bytes.length}`),
    );
    const inputs = ['--profile', imageModeProfile, '--offline', '--descriptor', lying];
    // The release's image signature does not verify over these bytes: proven different.
    const withSignature = await run([
      'attest',
      file,
      '--key',
      'signed-facts.key',
      ...inputs,
      '--image-signature',
      release.imageSignature,
      '--state',
      path.join(tmp.dir, 'state-sf1.json'),
    ]);
    expect(withSignature.status, withSignature.stderr).toBe(1);
    expect(oneErrorLine(withSignature.stderr)).toMatch(
      /^iso-verify: refused: your build .* the image signature by the pinned key does not match these bytes/,
    );
    expect(withSignature.stdout).toBe('');
    // No image signature: the unsigned checksum matches, nothing signed does → refused.
    const unsignedOnly = await run([
      'attest',
      file,
      '--key',
      'signed-facts.key',
      ...inputs,
      '--state',
      path.join(tmp.dir, 'state-sf2.json'),
    ]);
    expect(unsignedOnly.status).toBe(2);
    expect(oneErrorLine(unsignedOnly.stderr)).toMatch(
      /^iso-verify: refused: nothing signed could be compared with your build .*only an unsigned checksum/,
    );
    expect(unsignedOnly.stdout).toBe('');
    // The real build under the same lying description: its image signature proves it → signed.
    const real = await run([
      'attest',
      image,
      '--key',
      'signed-facts.key',
      ...inputs,
      '--image-signature',
      release.imageSignature,
      '--state',
      path.join(tmp.dir, 'state-sf3.json'),
    ]);
    expect(real.status, real.stderr).toBe(0);
    expect(JSON.parse(real.stdout).signed.products[FILE].sha256).toBe(release.sha256);
  });
});

describe('iso-verify attest --out: an existing link naming other bytes', () => {
  it('is never silently replaced, also not with --publish-mismatch; the same bytes again are fine', async () => {
    await newKey('replace.key');
    // A mismatch published on purpose, then the corrected build (the release's bytes).
    const { file } = differentBuild('build-replace');
    const first = await attest(file, 'replace.key', ['--out', 'replace-site', '--publish-mismatch']);
    expect(first.status, first.stderr).toBe(0);
    const linkFile = path.join(tmp.dir, 'replace-site', 'Tails', '9.1', `${FILE}.link`);
    const indexFile = path.join(tmp.dir, 'replace-site', 'index.json');
    const before = readFileSync(linkFile, 'utf8');
    const indexBefore = readFileSync(indexFile, 'utf8');

    const r = await attest(image, 'replace.key', ['--out', 'replace-site']);
    expect(r.status).toBe(2);
    const line = r.stderr.split('\n').find((l) => l.startsWith('iso-verify: '));
    expect(line).toMatch(/already names other bytes .*not replaced/);
    expect(readFileSync(linkFile, 'utf8')).toBe(before);
    expect(readFileSync(indexFile, 'utf8')).toBe(indexBefore);

    const other = differentBuild('build-replace-2', Buffer.concat([imageBytes, Buffer.from('yz')]));
    const forced = await attest(other.file, 'replace.key', ['--out', 'replace-site', '--publish-mismatch']);
    expect(forced.status).toBe(2);
    expect(forced.stderr).toMatch(/already names other bytes .*not replaced/);
    expect(forced.stderr).not.toContain('PUBLISHED');
    expect(readFileSync(linkFile, 'utf8')).toBe(before);

    // The same bytes as the published link again: written again, fine.
    const again = await attest(file, 'replace.key', ['--out', 'replace-site', '--publish-mismatch']);
    expect(again.status, again.stderr).toBe(0);
  });
});

describe('iso-verify attest --help', () => {
  it('lists every option attest accepts, the release inputs and --publish-mismatch among them', async () => {
    const r = await run(['attest', '--help']);
    expect(r.status).toBe(0);
    const usage = r.stdout.slice(0, r.stdout.indexOf('\n\n'));
    for (const option of [
      '--key',
      '--out',
      '--publish-mismatch',
      '--profile',
      '--offline',
      '--descriptor',
      '--signature',
      '--image-signature',
      '--upgrade-description',
      '--upgrade-signature',
      '--release-key',
      '--fingerprint',
      '--state',
      '--new-key',
    ]) {
      expect(usage, option).toMatch(new RegExp(`\\[?${option}[ \\]]`));
      // and each is accepted (a usage error would name it as unknown)
      const parsed = await run(['attest', option, 'x', '--help']);
      expect(parsed.status, `${option}: ${parsed.stderr}`).toBe(0);
    }
    expect(r.stdout).toMatch(/^Exit status: 0 written .*\n1 refused: .*\n?.*2 refused: /ms);
  });
});

describe('in-toto tools are present', () => {
  it('in-toto-sign runs', () => {
    expect(execFileSync('in-toto-sign', ['--version'], { encoding: 'utf8' })).toMatch(/in-toto-sign/);
  });
});
