/**
 * Static reproducers in the reproducibility status: links made by `iso-verify attest`'s code,
 * served by a plain static file server, fetched through the product's capped fetcher. Each
 * case of issue 15: another file, another version, a wrong key, a tampered link, an
 * unreachable reproducer, nothing published, the same key added twice, a threshold above the
 * number of reproducers — plus the person's entries labelled as theirs.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKey, publicKeyPem, type SigningKey } from '../../../src/cli/attest/signing-key.js';
import { createCappedFetcher } from '../../../src/core/net/capped-fetch.js';
import { LIMITS } from '../../../src/core/net/types.js';
import type { StaticReproducerConfig } from '../../../src/core/profile.js';
import { reproForVerdict } from '../../../src/core/repro/for-verdict.js';
import { checkReproducibility, type ReproCheckOptions } from '../../../src/core/repro/status.js';
import type { Verdict } from '../../../src/core/verdict.js';
import { publishReproductions, startStaticHost, type StaticHost } from '../../servers/static-reproducer.js';

const FILE = 'tails-amd64-7.2.img';
const fetcher = createCappedFetcher(globalThis.fetch.bind(globalThis), { allowLoopbackHttp: true });
let dir: string;
let image: string;
let sha256: string;
let keyA: SigningKey;
let keyB: SigningKey;
let host: StaticHost;

/** A reproducer tree under `<host>/<name>/`. */
const base = (name: string) => `${host.url}/${name}`;
const tree = (name: string) => path.join(dir, 'www', name);
const linkFile = (name: string, file = FILE, version = '7.2') =>
  path.join(tree(name), 'Tails', version, `${file}.link`);
const reproducer = (name: string, key: SigningKey, url = base(name)): StaticReproducerConfig => ({
  kind: 'static',
  name,
  baseUrl: url,
  publicKeyPem: publicKeyPem(key.publicKeyHex),
});

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'static-reproducer-'));
  mkdirSync(path.join(dir, 'build'));
  image = path.join(dir, 'build', FILE);
  const bytes = Buffer.from(new Uint8Array(200_000).map((_, i) => (i * 13) % 256));
  writeFileSync(image, bytes);
  sha256 = createHash('sha256').update(bytes).digest('hex');
  const other = path.join(dir, 'build', 'tails-amd64-7.2.iso');
  writeFileSync(other, Buffer.from('an iso'));
  keyA = await createSigningKey(path.join(dir, 'a.key'));
  keyB = await createSigningKey(path.join(dir, 'b.key'));
  const img = { fileName: FILE, filePath: image, product: 'Tails', version: '7.2' };

  await publishReproductions(tree('good'), keyA, [img]);
  await publishReproductions(tree('good-b'), keyB, [img]);
  // another file: the .iso's link served where the .img's belongs
  await publishReproductions(tree('other-file'), keyA, [{ ...img, fileName: 'tails-amd64-7.2.iso', filePath: other }]);
  mkdirSync(path.dirname(linkFile('other-file')), { recursive: true });
  copyFileSync(linkFile('other-file', 'tails-amd64-7.2.iso'), linkFile('other-file'));
  // another version: a link that says 7.1, served at 7.2's path
  await publishReproductions(tree('other-version'), keyA, [{ ...img, version: '7.1' }]);
  mkdirSync(path.dirname(linkFile('other-version')), { recursive: true });
  copyFileSync(linkFile('other-version', FILE, '7.1'), linkFile('other-version'));
  // tampered: one digit of the signed sha256 changed
  await publishReproductions(tree('tampered'), keyA, [img]);
  const text = readFileSync(linkFile('tampered'), 'utf8');
  writeFileSync(linkFile('tampered'), text.replace(sha256, (sha256[0] === '0' ? '1' : '0') + sha256.slice(1)));
  // different bytes, honestly signed
  await publishReproductions(tree('different'), keyA, [{ ...img, filePath: other }]);
  // oversized: more than the attestation cap
  mkdirSync(path.dirname(linkFile('huge')), { recursive: true });
  writeFileSync(linkFile('huge'), `{"pad":"${'x'.repeat(LIMITS.attestation)}"}`);

  host = await startStaticHost(path.join(dir, 'www'));
});

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

function check(extra: Partial<ReproCheckOptions>): ReturnType<typeof checkReproducibility> {
  return checkReproducibility({
    rebuilders: [],
    threshold: 1,
    fileName: FILE,
    product: 'Tails',
    version: '7.2',
    releaseSha256: sha256,
    fileSha256: sha256,
    fetcher,
    timeoutMs: 5_000,
    ...extra,
  });
}

async function stateOf(config: StaticReproducerConfig) {
  const status = await check({ rebuilders: [config] });
  return status.rebuilders[0]!;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a static reproducer', () => {
  it('reproduced: its link at <base>/<product>/<version>/<file>.link verifies and names the signed bytes', async () => {
    const r = await stateOf(reproducer('good', keyA));
    expect(r).toMatchObject({
      state: 'reproduced',
      kind: 'static',
      source: 'profile',
      keyId: keyA.keyId,
      attestedSha256: sha256,
    });
    expect(r.attestationUrl).toBe(`${base('good')}/Tails/7.2/${FILE}.link`);
  });

  it('a link for another file is a bad attestation', async () => {
    const r = await stateOf(reproducer('other-file', keyA));
    expect(r.state).toBe('bad-attestation');
    expect(r.detail).toMatch(/names no sha256 for tails-amd64-7\.2\.img/);
  });

  it('a link for another version is a bad attestation', async () => {
    const r = await stateOf(reproducer('other-version', keyA));
    expect(r.state).toBe('bad-attestation');
    expect(r.detail).toMatch(/is for Tails 7\.1, not Tails 7\.2/);
  });

  it('a link signed by another key than the pinned one is a bad attestation', async () => {
    const r = await stateOf(reproducer('good-b', keyA));
    expect(r.state).toBe('bad-attestation');
    expect(r.detail).toMatch(/^attestation-unsigned/);
  });

  it('a tampered link is a bad attestation', async () => {
    const r = await stateOf(reproducer('tampered', keyA));
    expect(r.state).toBe('bad-attestation');
    expect(r.detail).toMatch(/^attestation-bad-signature/);
  });

  it('a signed link naming different bytes is a mismatch', async () => {
    const status = await check({ rebuilders: [reproducer('different', keyA)] });
    expect(status.rebuilders[0]!.state).toBe('mismatch');
    expect(status.anyMismatch).toBe(true);
  });

  it('an unreachable reproducer is unreachable; nothing published (404) is unknown; an oversized link is refused', async () => {
    const down = await stateOf(reproducer('down', keyA, `http://127.0.0.1:${await closedPort()}/x`));
    expect(down.state).toBe('unreachable');
    const none = await stateOf(reproducer('nothing-here', keyA));
    expect(none).toMatchObject({
      state: 'unknown',
      detail: 'the reproducer has published no attestation for this file',
    });
    const huge = await stateOf(reproducer('huge', keyA));
    expect(huge.state).toBe('unreachable');
    expect(huge.detail).toMatch(/^fetch-too-large/);
  });

  it('a slow host is cut off at the time budget', async () => {
    const { createServer: createHttp } = await import('node:http');
    const stall = createHttp(() => undefined); // never answers
    await new Promise<void>((resolve) => stall.listen(0, '127.0.0.1', resolve));
    try {
      const port = (stall.address() as { port: number }).port;
      const started = Date.now();
      const status = await check({
        rebuilders: [reproducer('slow', keyA, `http://127.0.0.1:${port}`)],
        timeoutMs: 300,
      });
      expect(status.rebuilders[0]!.state).toBe('unreachable');
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      stall.closeAllConnections();
      await new Promise<void>((resolve) => stall.close(() => resolve()));
    }
  });

  it('without a known version nothing is fetched', async () => {
    const before = host.requests.length;
    const status = await check({ rebuilders: [reproducer('good', keyA)], version: undefined });
    expect(status.rebuilders[0]!.state).toBe('unknown');
    expect(host.requests.length).toBe(before);
  });
});

describe('profile and person reproducers together', () => {
  it('the same key added twice (profile and person) counts once', async () => {
    const status = await check({
      rebuilders: [reproducer('good', keyA)],
      personReproducers: [{ name: 'mine', baseUrl: base('good'), publicKeyPem: publicKeyPem(keyA.publicKeyHex) }],
      threshold: 2,
    });
    expect(status.rebuilders.map((r) => [r.name, r.state, r.source])).toEqual([
      ['good', 'reproduced', 'profile'],
      ['mine', 'reproduced', 'person'],
    ]);
    expect(status.reproducedBy).toBe(1);
    expect(status.distinctKeys).toBe(1);
    expect(status.enoughReproducers).toBe(false);
    expect(status.met).toBe(false);
  });

  it('two distinct keys meet a threshold of 2', async () => {
    const status = await check({
      rebuilders: [reproducer('good', keyA)],
      personReproducers: [{ name: 'mine', baseUrl: base('good-b'), publicKeyPem: publicKeyPem(keyB.publicKeyHex) }],
      threshold: 2,
      thresholdSource: 'person',
    });
    expect(status).toMatchObject({
      reproducedBy: 2,
      distinctKeys: 2,
      enoughReproducers: true,
      met: true,
      thresholdSource: 'person',
    });
  });

  it('a threshold above the number of reproducers is "not enough reproducers", not a failure', async () => {
    const status = await check({ rebuilders: [reproducer('good', keyA)], threshold: 3 });
    expect(status).toMatchObject({
      reproducedBy: 1,
      distinctKeys: 1,
      enoughReproducers: false,
      met: false,
      anyMismatch: false,
    });
    expect(status.rebuilders[0]!.state).toBe('reproduced');
  });
});

describe('reproForVerdict', () => {
  const verdict = () =>
    ({
      kind: 'verified',
      expected: {
        product: 'Tails',
        version: '7.2',
        type: 'img',
        name: FILE,
        url: `/tails/${FILE}`,
        size: 200_000,
        sha256,
      },
      evidence: { file: { name: FILE, size: 200_000, sha256 } },
    }) as unknown as Verdict;

  it('uses the person threshold and reproducers, labelled, beside the profile', async () => {
    const profile = { product: 'Tails', rebuilders: [reproducer('good', keyA)], reproThreshold: 1 };
    const status = await reproForVerdict(profile, verdict(), fetcher, {
      person: {
        reproducers: [{ name: 'mine', baseUrl: base('good-b'), publicKeyPem: publicKeyPem(keyB.publicKeyHex) }],
        threshold: 2,
      },
    });
    expect(status).toMatchObject({ threshold: 2, thresholdSource: 'person', reproducedBy: 2, met: true });
    expect(status!.rebuilders.map((r) => r.source)).toEqual(['profile', 'person']);
  });

  it('with nobody configured, a verified file still gets a status with no rebuilders (the one-line "none configured")', async () => {
    const status = await reproForVerdict({ product: 'Tails', rebuilders: [], reproThreshold: 1 }, verdict(), fetcher);
    expect(status).toMatchObject({ rebuilders: [], reproducedBy: 0, met: false });
  });

  it('is not asked for a verdict other than verified', async () => {
    const mismatch = { ...(verdict() as object), kind: 'mismatch' } as unknown as Verdict;
    expect(
      await reproForVerdict(
        { product: 'Tails', rebuilders: [reproducer('good', keyA)], reproThreshold: 1 },
        mismatch,
        fetcher,
      ),
    ).toBeUndefined();
  });
});
