/**
 * GnuPG interop: keys and signatures made by gpg (the reference implementation) in a throw-away
 * GNUPGHOME, checked by our verifier and by `gpg --verify`. Where our policy is stricter than
 * GnuPG (SHA-1, RSA-1024, judging validity at signature time), the test says so.
 *
 * Signatures gpg refuses to make — by a non-signing subkey, by a key already expired or revoked
 * at signing time, by a certify-only primary key — are made with openpgp.js from gpg's secret
 * key (craft.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enums } from 'openpgp';
import {
  loadPinnedKeyring,
  readDetachedSignature,
  verifyDetached,
  verifyDetachedFromHash,
  type PinnedKeyring,
} from '../../../src/core/openpgp/index.js';
import type { SignatureDetails } from '../../../src/core/verdict.js';
import { createGpgHome, type GpgHome, type GpgVerification } from '../../helpers/gpg.js';
import { craftDetachedSignature } from './craft.js';
import { continuationsOfBytes } from './streaming.js';

const T0 = new Date('2024-01-01T00:00:00Z'); // keys created
const T1 = new Date('2024-02-01T00:00:00Z'); // most signatures made
const T2 = new Date('2024-03-01T00:00:00Z'); // two subkeys revoked
const AFTER_SOFT_REVOCATION = new Date('2024-04-01T00:00:00Z');
const AFTER_EXPIRY = new Date('2025-06-01T00:00:00Z'); // the 1-year subkey expired 2024-12-31

const data = new TextEncoder().encode('ISO Verify interop test data\nsecond line\n');
const tampered = (() => {
  const copy = data.slice();
  copy[3] = copy[3]! ^ 1;
  return copy;
})();

interface Case {
  signature: Uint8Array | string;
  data: Uint8Array;
}

let gpg: GpgHome;
let keyring: PinnedKeyring;
const fpr: Record<string, string> = {};
const cases: Record<string, Case> = {};
let secretKey: string;

beforeAll(async () => {
  gpg = await createGpgHome();
  const at = { fakedTime: T0 };
  fpr.P = await gpg.genKey({ uid: 'Pinned <pinned@example.org>', algo: 'rsa2048', usage: 'cert', ...at });
  fpr.rsa = await gpg.addSubkey(fpr.P, { algo: 'rsa2048', usage: 'sign', ...at });
  fpr.ed = await gpg.addSubkey(fpr.P, { algo: 'ed25519', usage: 'sign', ...at });
  fpr.shortLived = await gpg.addSubkey(fpr.P, { algo: 'ed25519', usage: 'sign', expire: '1y', ...at });
  fpr.auth = await gpg.addSubkey(fpr.P, { algo: 'ed25519', usage: 'auth', ...at });
  fpr.hard = await gpg.addSubkey(fpr.P, { algo: 'ed25519', usage: 'sign', ...at });
  fpr.soft = await gpg.addSubkey(fpr.P, { algo: 'ed25519', usage: 'sign', ...at });
  fpr.weak = await gpg.genKey({ uid: 'Weak <weak@example.org>', algo: 'rsa1024', usage: 'cert,sign', ...at });
  // gpg 2.2's --quick-add-key fails for nistp256 signing subkeys; an ECDSA primary that signs
  // itself also covers "a primary key with the sign flag may sign".
  fpr.ecdsa = await gpg.genKeyFromParameters(
    {
      'Key-Type': 'ECDSA',
      'Key-Curve': 'nistp256',
      'Key-Usage': 'sign,cert',
      'Name-Real': 'Ecdsa',
      'Name-Email': 'ecdsa@example.org',
      'Expire-Date': '0',
    },
    at,
  );
  fpr.unpinned = await gpg.genKey({
    uid: 'Stranger <stranger@example.org>',
    algo: 'ed25519',
    usage: 'cert,sign',
    ...at,
  });

  const sign = async (
    name: string,
    keyId: string,
    options: { digestAlgo?: string; textMode?: boolean; armor?: boolean } = {},
  ) => {
    cases[name] = { signature: await gpg.detachSign(data, { keyId, fakedTime: T1, ...options }), data };
  };
  await sign('rsa', fpr.rsa, { digestAlgo: 'SHA512' });
  await sign('ed', fpr.ed, { digestAlgo: 'SHA256', armor: true });
  await sign('ecdsa', fpr.ecdsa, { digestAlgo: 'SHA256' });
  await sign('text', fpr.ed, { textMode: true });
  await sign('validThenExpiredNow', fpr.shortLived, { digestAlgo: 'SHA512' });
  await sign('hardRevokedLater', fpr.hard);
  await sign('softRevokedLater', fpr.soft);
  await sign('sha1', fpr.rsa, { digestAlgo: 'SHA1' });
  await sign('weakRsa1024', fpr.weak, { digestAlgo: 'SHA256' });
  await sign('unpinned', fpr.unpinned);
  cases.tamperedRsa = { signature: cases.rsa!.signature, data: tampered };
  cases.tamperedEd = { signature: cases.ed!.signature, data: tampered };
  cases.future = {
    signature: await gpg.detachSign(data, { keyId: fpr.ed, fakedTime: new Date(Date.now() + 24 * 3600 * 1000) }),
    data,
  };

  await gpg.revokeSubkey(fpr.P, fpr.hard, 2, { fakedTime: T2 }); // key compromised
  await gpg.revokeSubkey(fpr.P, fpr.soft, 1, { fakedTime: T2 }); // key superseded

  secretKey = (await gpg.exportKey(fpr.P, { secret: true })).toString('utf8');
  const craft = async (signer: string, created: Date) => ({
    signature: await craftDetachedSignature(secretKey, signer, data, created),
    data,
  });
  cases.authSubkey = await craft(fpr.auth, T1);
  cases.certifyOnlyPrimary = await craft(fpr.P, T1);
  cases.expiredAtSigning = await craft(fpr.shortLived, AFTER_EXPIRY);
  cases.softRevokedBefore = await craft(fpr.soft, AFTER_SOFT_REVOCATION);

  keyring = await loadPinnedKeyring(
    [
      await gpg.exportKey(fpr.P),
      await gpg.exportKey(fpr.weak, { armor: false }),
      await gpg.exportKey(fpr.ecdsa),
      await gpg.exportKey(fpr.unpinned),
    ],
    [fpr.P, fpr.weak, fpr.ecdsa],
  );
});

afterAll(async () => {
  await gpg?.cleanup();
});

async function both(name: string): Promise<{ ours: SignatureDetails; gpg: GpgVerification }> {
  const c = cases[name];
  if (!c) throw new Error(`no case ${name}`);
  const ours = await verifyDetached(keyring, c.data, c.signature, { over: 'description' });
  return { ours, gpg: await gpg.verifyWithGpg(c.signature, c.data) };
}

describe('GnuPG interop: good signatures', () => {
  it.each([
    ['rsa', 'P', 'rsa', 'rsa2048', 'sha512'],
    ['ed', 'P', 'ed', 'ed25519', 'sha256'],
    ['ecdsa', 'ecdsa', 'ecdsa', 'ecdsa-nistP256', 'sha256'],
  ])('%s: good for both, same signing key', async (name, primary, key, algorithm, hash) => {
    const r = await both(name);
    expect(r.gpg.keyword).toBe('GOODSIG');
    expect(r.ours.error).toBeUndefined();
    expect(r.ours).toMatchObject({
      good: true,
      over: 'description',
      primaryFingerprint: fpr[primary],
      signingKeyFingerprint: fpr[key],
      keyId: fpr[key]!.slice(-16),
      publicKeyAlgorithm: algorithm,
      hashAlgorithm: hash,
      signatureTime: T1.toISOString(),
    });
    expect(r.ours.signingKeyFingerprint).toBe(r.gpg.signingFingerprint);
    expect(r.ours.primaryFingerprint).toBe(r.gpg.primaryFingerprint);
  });

  it('text-mode signature (type 0x01) is good for both', async () => {
    const r = await both('text');
    expect(r.gpg.keyword).toBe('GOODSIG');
    expect((await readDetachedSignature(cases.text!.signature)).signatureType).toBe('text');
    expect(r.ours.good).toBe(true);
  });

  it('made while valid by a subkey that has expired since: good (GnuPG: EXPKEYSIG, also "Good signature")', async () => {
    const r = await both('validThenExpiredNow');
    expect(r.gpg.keyword).toBe('EXPKEYSIG');
    expect(r.gpg.signingFingerprint).toBe(fpr.shortLived);
    expect(r.ours.good).toBe(true);
    expect(r.ours.signingKeyFingerprint).toBe(fpr.shortLived);
  });

  it('made before a "superseded" revocation: good — we honour soft revocations only from their date (GnuPG: REVKEYSIG)', async () => {
    const r = await both('softRevokedLater');
    expect(r.gpg.keyword).toBe('REVKEYSIG');
    expect(r.ours.good).toBe(true);
  });

  it('SHA-224 with RSA is accepted, like GnuPG', async () => {
    const signature = await craftDetachedSignature(secretKey, fpr.rsa!, data, T1, enums.hash.sha224);
    const ours = await verifyDetached(keyring, data, signature, { over: 'description' });
    expect(ours.error).toBeUndefined();
    expect(ours).toMatchObject({ good: true, hashAlgorithm: 'sha224' });
    const reference = await gpg.verifyWithGpg(signature, data);
    expect(reference.keyword, reference.output).toBe('GOODSIG');
  });
});

describe('GnuPG interop: rejected signatures', () => {
  it.each([
    ['tamperedRsa', 'BADSIG', 'signature-bad'],
    ['tamperedEd', 'BADSIG', 'signature-bad'],
    ['hardRevokedLater', 'REVKEYSIG', 'signature-key-revoked'],
    ['softRevokedBefore', 'REVKEYSIG', 'signature-key-revoked'],
    ['expiredAtSigning', 'EXPKEYSIG', 'signature-key-expired'],
    ['authSubkey', 'ERRSIG', 'signature-key-not-signing'],
    ['certifyOnlyPrimary', 'ERRSIG', 'signature-key-not-signing'],
  ])('%s: GnuPG %s, ours %s', async (name, gpgKeyword, code) => {
    const r = await both(name);
    expect(r.gpg.keyword, r.gpg.output).toBe(gpgKeyword);
    expect(r.gpg.good).toBe(false);
    expect(r.ours.good).toBe(false);
    expect(r.ours.error?.code, r.ours.error?.detail).toBe(code);
    expect(r.ours.primaryFingerprint).toBe(fpr.P);
  });

  it.each([
    ['sha1', 'signature-weak-hash'],
    ['weakRsa1024', 'signature-weak-key'],
    ['unpinned', 'signature-unknown-key'],
    ['future', 'signature-in-future'],
  ])('%s: GnuPG accepts (GOODSIG), our stricter policy says %s', async (name, code) => {
    const r = await both(name);
    expect(r.gpg.keyword, r.gpg.output).toBe('GOODSIG');
    expect(r.ours.good).toBe(false);
    expect(r.ours.error?.code, r.ours.error?.detail).toBe(code);
  });

  it('reports what it could read of a rejected signature', async () => {
    const { ours } = await both('sha1');
    expect(ours).toMatchObject({ keyId: fpr.rsa!.slice(-16), hashAlgorithm: 'sha1', signatureTime: T1.toISOString() });
    const unknown = (await both('unpinned')).ours;
    expect(unknown.keyId).toBe(fpr.unpinned!.slice(-16));
    expect(unknown.primaryFingerprint).toBeUndefined();
  });

  it('the future signature is good once `now` has caught up', async () => {
    const c = cases.future!;
    const ours = await verifyDetached(keyring, c.data, c.signature, {
      over: 'description',
      now: new Date(Date.now() + 2 * 24 * 3600 * 1000),
    });
    expect(ours.good).toBe(true);
  });

  it('a file with several signatures is judged by the one from a pinned key', async () => {
    const unpinned = cases.unpinned!.signature as Uint8Array;
    const pinned = cases.rsa!.signature as Uint8Array;
    const combined = new Uint8Array([...unpinned, ...pinned]);
    const parsed = await readDetachedSignature(combined);
    expect(parsed.keyId).toBe(fpr.unpinned!.slice(-16)); // describes the first packet
    const ours = await verifyDetached(keyring, data, combined, { over: 'description' });
    expect(ours).toMatchObject({ good: true, signingKeyFingerprint: fpr.rsa });
  });

  it('a signature by a key that was supplied but not pinned is unknown even though its key was given', async () => {
    const supplied = await loadPinnedKeyring(
      [await gpg.exportKey(fpr.P!), await gpg.exportKey(fpr.unpinned!)],
      [fpr.P!],
    );
    expect(supplied.keys.map((k) => k.getFingerprint().toUpperCase())).toEqual([fpr.P]);
    const ours = await verifyDetached(supplied, data, cases.unpinned!.signature, { over: 'description' });
    expect(ours.error?.code).toBe('signature-unknown-key');
  });
});

describe('streaming route agrees with the in-memory route', () => {
  const names = [
    'rsa',
    'ed',
    'ecdsa',
    'validThenExpiredNow',
    'softRevokedLater',
    'tamperedRsa',
    'tamperedEd',
    'hardRevokedLater',
    'softRevokedBefore',
    'expiredAtSigning',
    'authSubkey',
    'certifyOnlyPrimary',
    'sha1',
    'weakRsa1024',
    'unpinned',
    'future',
  ];
  it.each(names)('%s', async (name) => {
    const c = cases[name]!;
    const now = new Date();
    const inMemory = await verifyDetached(keyring, c.data, c.signature, { over: 'image', now });
    const streamed = await verifyDetachedFromHash(keyring, c.signature, await continuationsOfBytes(c.data), {
      over: 'image',
      now,
    });
    // Same verdict and facts; the wording of a failure may differ (the stream route checks the
    // digest prefix itself before handing the digest to openpgp.js).
    expect({ ...streamed, error: streamed.error?.code }).toEqual({ ...inMemory, error: inMemory.error?.code });
  });

  it('text signatures cannot be checked from a stream hash: signature-unsupported', async () => {
    const c = cases.text!;
    const streamed = await verifyDetachedFromHash(keyring, c.signature, await continuationsOfBytes(c.data), {
      over: 'image',
    });
    expect(streamed.error?.code).toBe('signature-unsupported');
  });

  it("without a continuation for the signature's hash: signature-unsupported", async () => {
    const c = cases.rsa!; // SHA-512
    const { sha256 } = await continuationsOfBytes(c.data);
    const streamed = await verifyDetachedFromHash(keyring, c.signature, { sha256: sha256! }, { over: 'image' });
    expect(streamed.error?.code).toBe('signature-unsupported');
    expect(streamed.error?.detail).toContain('sha512');
  });

  it('does not consume the continuation: the same hasher verifies twice', async () => {
    const c = cases.ed!;
    const continuations = await continuationsOfBytes(c.data);
    for (let i = 0; i < 2; i++) {
      expect((await verifyDetachedFromHash(keyring, c.signature, continuations, { over: 'image' })).good).toBe(true);
    }
  });
});
