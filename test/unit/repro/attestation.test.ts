import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/core/net/types.js';
import { verifyAttestation } from '../../../src/core/repro/attestation.js';
import { importRebuilderKey, type RebuilderKey } from '../../../src/core/repro/keys.js';
import {
  corruptSignature,
  encodeLink,
  generateSigner,
  signRebuildLink,
  type LinkDocument,
  type LinkSigner,
} from '../../servers/rebuilderd-signer.js';
import { REBUILDERD_REAL_FIXTURES } from '../../helpers/shared-fixtures.js';
import { codeOf } from '../../helpers/error-code.js';

const REAL = REBUILDERD_REAL_FIXTURES;
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(REAL, name)));
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const sha512 = (bytes: Uint8Array): string => createHash('sha512').update(bytes).digest('hex');

const ARCH_FILE = 'filesystem-2025.10.12-1-any.pkg.tar.zst';
const DEBIAN_FILE = 'librust-as-slice-dev_0.2.1-1+b2_amd64.deb';

describe('real rebuilderd attestations', () => {
  let arch: RebuilderKey;
  let debian: RebuilderKey;
  beforeAll(async () => {
    arch = await importRebuilderKey(readFileSync(path.join(REAL, 'reproducible-archlinux.pub'), 'utf8'));
    debian = await importRebuilderKey(readFileSync(path.join(REAL, 'reproduce-debian-net-amd64.pub'), 'utf8'));
  });

  it.each([
    ['archlinux', ARCH_FILE, 'filesystem-2025.10.12-1-any.in-toto.link', () => arch],
    ['debian', DEBIAN_FILE, 'librust-as-slice-dev_0.2.1-1+b2_amd64.in-toto.link', () => debian],
  ])('%s: verifies with the real key, and names the artifact beside it', async (_label, file, link, key) => {
    const verified = await verifyAttestation(read(link), key());
    expect(verified.keyId).toBe(key().keyId);
    expect(verified.stepName).toBe(`rebuild ${file}`);
    const artifact = read(file);
    expect(verified.products.get(file)).toEqual({ sha256: sha256(artifact), sha512: sha512(artifact) });
  });

  it('the published sha256 values are the ones the README states', async () => {
    expect(sha256(read(ARCH_FILE))).toMatch(/^6b6c3fee.*56df$/);
    expect(sha256(read(DEBIAN_FILE))).toMatch(/^32be9549.*11cd$/);
  });

  it('the INVALID copy fails with attestation-bad-signature', async () => {
    expect(await codeOf(verifyAttestation(read('filesystem-2025.10.12-1-any.INVALID.in-toto.link'), arch))).toBe(
      'attestation-bad-signature',
    );
  });

  it("another rebuilder's key finds no signature of its own (attestation-unsigned)", async () => {
    expect(await codeOf(verifyAttestation(read('filesystem-2025.10.12-1-any.in-toto.link'), debian))).toBe(
      'attestation-unsigned',
    );
  });

  it('a changed product hash breaks the signature', async () => {
    const link = JSON.parse(new TextDecoder().decode(read('filesystem-2025.10.12-1-any.in-toto.link'))) as LinkDocument;
    const products = link.signed.products as Record<string, { sha256: string }>;
    products[ARCH_FILE]!.sha256 = '0'.repeat(64);
    expect(await codeOf(verifyAttestation(encodeLink(link), arch))).toBe('attestation-bad-signature');
  });

  it('re-serialised with whitespace and reordered keys, still verifies (the signature covers canonical JSON)', async () => {
    const link = JSON.parse(new TextDecoder().decode(read('filesystem-2025.10.12-1-any.in-toto.link'))) as LinkDocument;
    const reordered = {
      signed: Object.fromEntries(Object.entries(link.signed).reverse()),
      signatures: link.signatures,
    };
    const text = JSON.stringify(reordered, null, 3);
    await expect(verifyAttestation(new TextEncoder().encode(text), arch)).resolves.toMatchObject({ keyId: arch.keyId });
  });
});

describe('in-toto-run attestations (independent signer)', () => {
  let dir: string;
  let rebuilder: LinkSigner;
  let worker: LinkSigner;
  let key: RebuilderKey;
  let link: LinkDocument;
  const fileName = 'tails-amd64-9.9.img';
  const bytes = new Uint8Array(Buffer.from('not really a disk image\n'.repeat(1000)));

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'repro-att-'));
    [rebuilder, worker] = await Promise.all([generateSigner(dir, 'rebuilder'), generateSigner(dir, 'worker')]);
    key = await importRebuilderKey(rebuilder.publicKeyPem);
    link = await signRebuildLink({ signers: [worker, rebuilder], fileName, bytes });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies the pinned signature among two, and names the file with its sha256', async () => {
    expect(link.signatures.map((s) => s.keyid)).toEqual([worker.keyId, rebuilder.keyId]);
    const verified = await verifyAttestation(encodeLink(link), key);
    expect(verified.stepName).toBe(`rebuild ${fileName}`);
    expect(verified.products.get(fileName)?.sha256).toBe(sha256(bytes));
    expect(verified.materials.get(fileName)?.sha256).toBe(sha256(bytes));
  });

  it('a corrupt signature by the worker does not matter; by the pinned key it does', async () => {
    await expect(verifyAttestation(encodeLink(corruptSignature(link, worker.keyId)), key)).resolves.toBeTruthy();
    expect(await codeOf(verifyAttestation(encodeLink(corruptSignature(link, rebuilder.keyId)), key))).toBe(
      'attestation-bad-signature',
    );
  });

  it('a second, bad signature with the pinned keyid fails closed', async () => {
    const bad = corruptSignature({ signed: link.signed, signatures: [link.signatures[1]!] }, rebuilder.keyId)
      .signatures[0]!;
    const doubled = { signed: link.signed, signatures: [...link.signatures, bad] };
    expect(await codeOf(verifyAttestation(encodeLink(doubled), key))).toBe('attestation-bad-signature');
  });

  it('no signatures → attestation-unsigned', async () => {
    expect(await codeOf(verifyAttestation(encodeLink({ signed: link.signed, signatures: [] }), key))).toBe(
      'attestation-unsigned',
    );
  });

  const malformedCases: [string, (l: LinkDocument) => unknown][] = [
    ['top level array', () => []],
    ['extra top-level field', (l) => ({ ...l, extra: 1 })],
    ['signatures not an array', (l) => ({ ...l, signatures: {} })],
    ['keyid not hex', (l) => ({ ...l, signatures: [{ keyid: 'xyz', sig: l.signatures[0]!.sig }] })],
    ['sig wrong length', (l) => ({ ...l, signatures: [{ keyid: l.signatures[0]!.keyid, sig: 'ab' }] })],
    ['_type layout', (l) => ({ ...l, signed: { ...l.signed, _type: 'layout' } })],
    ['name missing', (l) => ({ ...l, signed: { ...l.signed, name: undefined } })],
    ['products missing', (l) => ({ ...l, signed: { ...l.signed, products: undefined } })],
    ['products entry not an object', (l) => ({ ...l, signed: { ...l.signed, products: { f: 'abc' } } })],
    ['sha256 not hex', (l) => ({ ...l, signed: { ...l.signed, products: { f: { sha256: 'zz'.repeat(32) } } } })],
    ['sha256 too short', (l) => ({ ...l, signed: { ...l.signed, products: { f: { sha256: 'ab' } } } })],
    ['command not an array', (l) => ({ ...l, signed: { ...l.signed, command: 'make' } })],
    ['environment a string', (l) => ({ ...l, signed: { ...l.signed, environment: 'x' } })],
    ['a float in byproducts', (l) => ({ ...l, signed: { ...l.signed, byproducts: { 'return-value': 0.5 } } })],
  ];
  it.each(malformedCases)('rejects %s as attestation-malformed', async (_label, mutate) => {
    expect(await codeOf(verifyAttestation(new TextEncoder().encode(JSON.stringify(mutate(link))), key))).toBe(
      'attestation-malformed',
    );
  });

  it.each([
    ['truncated JSON', (t: string) => t.slice(0, t.length / 2)],
    ['empty', () => ''],
    ['invalid UTF-8', () => '\uFFFF'],
  ])('rejects %s as attestation-malformed', async (_label, mutate) => {
    const text = mutate(JSON.stringify(link));
    const bytes = _label === 'invalid UTF-8' ? Uint8Array.of(0x7b, 0xff, 0x7d) : new TextEncoder().encode(text);
    expect(await codeOf(verifyAttestation(bytes, key))).toBe('attestation-malformed');
  });

  it('rejects input over LIMITS.attestation before parsing', async () => {
    const text = JSON.stringify({
      ...link,
      signed: { ...link.signed, byproducts: { stdout: 'x'.repeat(LIMITS.attestation) } },
    });
    expect(await codeOf(verifyAttestation(new TextEncoder().encode(text), key))).toBe('attestation-malformed');
  });
});
