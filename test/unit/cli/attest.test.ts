/**
 * `iso-verify attest`: key generation, signed links, the static publishing tree, and interop
 * both ways with Debian's in-toto (an independent implementation of canonical JSON, keyids and
 * Ed25519): its links verify with our verifier, ours verify with `in-toto-sign --verify`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAttestation } from '../../../src/core/repro/attestation.js';
import { importRebuilderKey } from '../../../src/core/repro/keys.js';
import { generateSigner, signRebuildLink } from '../../servers/rebuilderd-signer.js';
import { oneErrorLine, runInProcess, tempDir } from './harness.js';

const tmp = tempDir('iso-verify-attest-');
const FILE = 'tails-amd64-7.2.img';
let image: string;
let imageBytes: Buffer;

beforeAll(() => {
  imageBytes = Buffer.from(new Uint8Array(300_000).map((_, i) => (i * 31) % 256));
  mkdirSync(path.join(tmp.dir, 'build'));
  image = path.join(tmp.dir, 'build', FILE);
  writeFileSync(image, imageBytes);
});
afterAll(() => tmp.cleanup());

const sha = (algorithm: string, bytes: Buffer) => createHash(algorithm).update(bytes).digest('hex');
const run = (argv: string[]) => runInProcess(argv, { cwd: tmp.dir });

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

describe('iso-verify attest <image>', () => {
  it('prints a link naming the file, SHA-256, SHA-512, product and version, signed by the key', async () => {
    const key = await newKey('signer.key');
    const r = await run(['attest', image, '--key', 'signer.key']);
    expect(r.status, r.stderr).toBe(0);
    const link = JSON.parse(r.stdout) as { signed: Record<string, unknown>; signatures: { keyid: string }[] };
    expect(link.signed).toEqual({
      _type: 'link',
      name: `rebuild ${FILE}`,
      materials: {},
      products: { [FILE]: { sha256: sha('sha256', imageBytes), sha512: sha('sha512', imageBytes) } },
      environment: { product: 'Tails', version: '7.2' },
      byproducts: {},
      command: [],
    });
    const verified = await verifyAttestation(new TextEncoder().encode(r.stdout), await importRebuilderKey(key.pem));
    expect(verified.release).toEqual({ product: 'Tails', version: '7.2' });
  });

  it('our link verifies with Debian in-toto-sign --verify; a tampered copy does not', async () => {
    const key = await newKey('interop.key');
    const r = await run(['attest', image, '--key', 'interop.key']);
    const linkFile = path.join(tmp.dir, 'ours.link');
    writeFileSync(linkFile, r.stdout);
    expect(inTotoVerifies(linkFile, `${key.file}.pub`)).toBe(true);
    const tampered = path.join(tmp.dir, 'ours-tampered.link');
    writeFileSync(tampered, r.stdout.replace('"7.2"', '"7.3"'));
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

    const r = await run(['attest', image, '--key', signer.keyPath]);
    expect(r.status, r.stderr).toBe(0);
    const linkFile = path.join(tmp.dir, 'with-keygen-key.link');
    writeFileSync(linkFile, r.stdout);
    expect(inTotoVerifies(linkFile, `${signer.keyPath}.pub`)).toBe(true);
  });

  it('--out writes <dir>/<product>/<version>/<file>.link and an index; another key is refused', async () => {
    await newKey('pub.key');
    const out = path.join(tmp.dir, 'site');
    const r = await run(['attest', image, '--key', 'pub.key', '--out', 'site']);
    expect(r.status, r.stderr).toBe(0);
    const linkFile = path.join(out, 'Tails', '7.2', `${FILE}.link`);
    expect(JSON.parse(readFileSync(linkFile, 'utf8')).signed.name).toBe(`rebuild ${FILE}`);
    const other = path.join(tmp.dir, 'build', 'tails-amd64-7.1.iso');
    writeFileSync(other, Buffer.from('older'));
    expect((await run(['attest', other, '--key', 'pub.key', '--out', 'site'])).status).toBe(0);
    const index = JSON.parse(readFileSync(path.join(out, 'index.json'), 'utf8'));
    expect(index.format).toBe('iso-verify-reproducer/1');
    expect(index.links.map((l: { path: string }) => l.path)).toEqual([
      `Tails/7.1/tails-amd64-7.1.iso.link`,
      `Tails/7.2/${FILE}.link`,
    ]);

    await newKey('stranger.key');
    const refused = await run(['attest', image, '--key', 'stranger.key', '--out', 'site']);
    expect(refused.status).toBe(2);
    expect(oneErrorLine(refused.stderr)).toMatch(/use one tree per key/);
  });

  it('a browser copy "name (1).img" publishes the link under the published name', async () => {
    await newKey('copy.key');
    const copy = path.join(tmp.dir, 'build', 'tails-amd64-7.2 (1).img');
    writeFileSync(copy, imageBytes);
    const r = await run(['attest', copy, '--key', 'copy.key', '--out', 'copy-site']);
    expect(r.status, r.stderr).toBe(0);
    const linkFile = path.join(tmp.dir, 'copy-site', 'Tails', '7.2', `${FILE}.link`);
    expect(Object.keys(JSON.parse(readFileSync(linkFile, 'utf8')).signed.products)).toEqual([FILE]);
    expect(existsSync(path.join(tmp.dir, 'copy-site', 'Tails', '7.2', 'tails-amd64-7.2 (1).img.link'))).toBe(false);
  });

  it('never silently replaces a published link that names other bytes; the same bytes again are fine', async () => {
    await newKey('replace.key');
    expect((await run(['attest', image, '--key', 'replace.key', '--out', 'replace-site'])).status).toBe(0);
    expect((await run(['attest', image, '--key', 'replace.key', '--out', 'replace-site'])).status).toBe(0);
    const linkFile = path.join(tmp.dir, 'replace-site', 'Tails', '7.2', `${FILE}.link`);
    const before = readFileSync(linkFile, 'utf8');
    const changed = path.join(tmp.dir, 'build2', FILE);
    mkdirSync(path.dirname(changed), { recursive: true });
    writeFileSync(changed, Buffer.concat([imageBytes, Buffer.from('x')]));
    const r = await run(['attest', changed, '--key', 'replace.key', '--out', 'replace-site']);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/already names other bytes .*not replaced/);
    expect(readFileSync(linkFile, 'utf8')).toBe(before);
  });

  it('refuses a file name the profile does not know, and a key whose halves disagree', async () => {
    await newKey('k.key');
    const renamed = path.join(tmp.dir, 'build', 'my-build.img');
    writeFileSync(renamed, imageBytes);
    const r = await run(['attest', renamed, '--key', 'k.key']);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/not an image file name of profile tails/);

    const a = JSON.parse(readFileSync(path.join(tmp.dir, 'k.key'), 'utf8'));
    const b = JSON.parse(readFileSync(path.join(tmp.dir, 'signer.key'), 'utf8'));
    writeFileSync(
      path.join(tmp.dir, 'mixed.key'),
      JSON.stringify({ ...a, keyval: { public: b.keyval.public, private: a.keyval.private } }),
    );
    const mixed = await run(['attest', image, '--key', 'mixed.key']);
    expect(mixed.status).toBe(2);
    expect(oneErrorLine(mixed.stderr)).toMatch(/does not belong to keyval.private/);
    expect(mixed.stdout).toBe('');
  });
});

describe('in-toto tools are present', () => {
  it('in-toto-sign runs', () => {
    expect(execFileSync('in-toto-sign', ['--version'], { encoding: 'utf8' })).toMatch(/in-toto-sign/);
  });
});
