import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import { ed25519KeyId, importRebuilderKey, parseRebuilderPublicKeyPem } from '../../../src/core/repro/keys.js';
import { generateSigner, spkiPem, type LinkSigner } from '../../servers/rebuilderd-signer.js';
import { REBUILDERD_REAL_FIXTURES } from '../../helpers/shared-fixtures.js';

const REAL = REBUILDERD_REAL_FIXTURES;
const archPem = readFileSync(path.join(REAL, 'reproducible-archlinux.pub'), 'utf8');
const debianPem = readFileSync(path.join(REAL, 'reproduce-debian-net-amd64.pub'), 'utf8');

async function expectCode(promise: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (e) {
    expect(e).toBeInstanceOf(IsoVerifyError);
    expect((e as IsoVerifyError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('rebuilder keys', () => {
  let dir: string;
  let generated: LinkSigner;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'repro-keys-'));
    generated = await generateSigner(dir, 'k');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('parses the real non-standard rebuilderd PEM and computes its published keyid', async () => {
    const raw = parseRebuilderPublicKeyPem(archPem);
    expect(raw.length).toBe(32);
    // The raw key is the last 32 bytes of the DER.
    const der = Buffer.from(archPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(der.length).toBe(46);
    expect(Buffer.from(raw).equals(der.subarray(14))).toBe(true);
    const key = await importRebuilderKey(archPem);
    expect(key.keyId).toBe('1ae6d32cb5bb8a98312106de28e50af7e09a9b294d51df459537908ac1288b8f');
  });

  it("computes the Debian rebuilder's keyid as one of the keyids in its real link", async () => {
    const link = JSON.parse(
      readFileSync(path.join(REAL, 'librust-as-slice-dev_0.2.1-1+b2_amd64.in-toto.link'), 'utf8'),
    ) as {
      signatures: { keyid: string }[];
    };
    const key = await importRebuilderKey(debianPem);
    expect(link.signatures.map((s) => s.keyid)).toContain(key.keyId);
  });

  it('agrees with in-toto-keygen on the keyid of a freshly generated key', async () => {
    expect(await ed25519KeyId(Buffer.from(generated.publicKeyHex, 'hex'))).toBe(generated.keyId);
    expect((await importRebuilderKey(generated.publicKeyPem)).keyId).toBe(generated.keyId);
  });

  it('accepts standard SPKI for the same key, with the same keyid', async () => {
    const key = await importRebuilderKey(spkiPem(generated.publicKeyHex));
    expect(key.keyId).toBe(generated.keyId);
    expect(Buffer.from(key.publicKey).toString('hex')).toBe(generated.publicKeyHex);
  });

  it('accepts CRLF (as the real file has) and LF line ends, and wrapped base64', () => {
    expect(archPem).toContain('\r\n');
    const lf = archPem.replace(/\r\n/g, '\n');
    const wrapped = lf.replace('MCww', 'MCww\n');
    expect(parseRebuilderPublicKeyPem(lf)).toEqual(parseRebuilderPublicKeyPem(archPem));
    expect(parseRebuilderPublicKeyPem(wrapped)).toEqual(parseRebuilderPublicKeyPem(archPem));
  });

  const der = Buffer.from(archPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const pemOf = (bytes: Uint8Array, label = 'PUBLIC KEY'): string =>
    `-----BEGIN ${label}-----\n${Buffer.from(bytes).toString('base64')}\n-----END ${label}-----\n`;

  it.each([
    ['empty text', ''],
    ['garbage', 'hello world'],
    ['a private-key label', pemOf(der, 'PRIVATE KEY')],
    ['bad base64', '-----BEGIN PUBLIC KEY-----\n@@@@\n-----END PUBLIC KEY-----\n'],
    ['a truncated key', pemOf(der.subarray(0, 45))],
    ['an extra byte', pemOf(Buffer.concat([der, Buffer.of(0)]))],
    ['another algorithm OID (X25519)', pemOf(Buffer.from(der.toString('hex').replace('2b6570', '2b656e'), 'hex'))],
    ['two PEM blocks', archPem + debianPem],
    ['a huge text', 'A'.repeat(100_000)],
  ])('rejects %s with rebuilder-key-invalid', async (_label, pem) => {
    await expectCode(importRebuilderKey(pem), 'rebuilder-key-invalid');
  });

  it('rejects a non-string', async () => {
    await expectCode(() => parseRebuilderPublicKeyPem(42 as unknown as string), 'rebuilder-key-invalid');
  });
});
