/** The policy's decisions in isolation (the interop tests show them applied to real signatures). */
import { describe, expect, it } from 'vitest';
import { enums } from 'openpgp';
import { normalizeFingerprint } from '../../../src/core/openpgp/fingerprint.js';
import {
  checkKeyAlgorithm,
  checkSignatureAlgorithms,
  describeKeyAlgorithm,
  hashAlgorithmName,
  OPENPGP_CONFIG,
} from '../../../src/core/openpgp/policy.js';
import { v4HashedTrailer } from '../../../src/core/openpgp/trailer.js';

const { hash, publicKey: pk, signature } = enums;

describe('document signature algorithms', () => {
  it.each([hash.sha224, hash.sha256, hash.sha384, hash.sha512, hash.sha3_256, hash.sha3_512])(
    'accepts hash %i',
    (h) => {
      expect(checkSignatureAlgorithms(signature.binary, h, hashAlgorithmName(h))).toBeNull();
      expect(checkSignatureAlgorithms(signature.text, h, hashAlgorithmName(h))).toBeNull();
    },
  );

  it.each([hash.md5, hash.sha1, hash.ripemd, 99])('rejects hash %i as signature-weak-hash', (h) => {
    expect(checkSignatureAlgorithms(signature.binary, h, hashAlgorithmName(h))?.code).toBe('signature-weak-hash');
  });

  it.each([
    signature.standalone,
    signature.certGeneric,
    signature.subkeyBinding,
    signature.keyRevocation,
    signature.timestamp,
  ])('rejects signature type %i as signature-unsupported', (type) => {
    expect(checkSignatureAlgorithms(type, hash.sha512, 'sha512')?.code).toBe('signature-unsupported');
  });
});

describe('key algorithms', () => {
  it('RSA: 2048 bits and more are accepted, fewer are weak', () => {
    expect(checkKeyAlgorithm({ algorithm: pk.rsaEncryptSign, bits: 2048 }, hash.sha256, 'signing key')).toBeNull();
    expect(checkKeyAlgorithm({ algorithm: pk.rsaSign, bits: 4096 }, hash.sha256, 'signing key')).toBeNull();
    expect(checkKeyAlgorithm({ algorithm: pk.rsaEncryptSign, bits: 2047 }, hash.sha256, 'signing key')?.code).toBe(
      'signature-weak-key',
    );
    expect(
      checkKeyAlgorithm({ algorithm: pk.rsaEncryptSign, bits: 1024 }, hash.sha512, 'primary key')?.detail,
    ).toContain('primary key');
  });

  it("EdDSA is accepted with a digest of at least the curve's size", () => {
    expect(
      checkKeyAlgorithm({ algorithm: pk.eddsaLegacy, curve: enums.curve.ed25519Legacy }, hash.sha256, 'signing key'),
    ).toBeNull();
    expect(checkKeyAlgorithm({ algorithm: pk.ed25519 }, hash.sha512, 'signing key')).toBeNull();
    expect(checkKeyAlgorithm({ algorithm: pk.ed25519 }, hash.sha224, 'signing key')?.code).toBe('signature-weak-hash');
    expect(checkKeyAlgorithm({ algorithm: pk.ed448 }, hash.sha512, 'signing key')).toBeNull();
    expect(checkKeyAlgorithm({ algorithm: pk.ed448 }, hash.sha256, 'signing key')?.code).toBe('signature-weak-hash');
  });

  it('ECDSA on NIST and Brainpool curves is accepted, secp256k1 is not', () => {
    expect(
      checkKeyAlgorithm({ algorithm: pk.ecdsa, curve: enums.curve.nistP384 }, hash.sha384, 'signing key'),
    ).toBeNull();
    expect(
      checkKeyAlgorithm({ algorithm: pk.ecdsa, curve: enums.curve.brainpoolP256r1 }, hash.sha256, 'signing key'),
    ).toBeNull();
    expect(
      checkKeyAlgorithm({ algorithm: pk.ecdsa, curve: enums.curve.secp256k1 }, hash.sha256, 'signing key')?.code,
    ).toBe('signature-weak-key');
  });

  it.each([pk.dsa, pk.elgamal, pk.rsaEncrypt, pk.ecdh, pk.x25519, 100])(
    'algorithm %i is weak / not accepted',
    (algorithm) => {
      expect(checkKeyAlgorithm({ algorithm, bits: 4096 }, hash.sha512, 'signing key')?.code).toBe('signature-weak-key');
    },
  );

  it('names keys as people know them', () => {
    expect(describeKeyAlgorithm({ algorithm: pk.rsaEncryptSign, bits: 4096 })).toBe('rsa4096');
    expect(describeKeyAlgorithm({ algorithm: pk.eddsaLegacy, curve: enums.curve.ed25519Legacy })).toBe('ed25519');
    expect(describeKeyAlgorithm({ algorithm: pk.ecdsa, curve: enums.curve.nistP256 })).toBe('ecdsa-nistP256');
  });
});

describe('openpgp.js configuration', () => {
  it('is never looser than the policy', () => {
    expect(OPENPGP_CONFIG.minRSABits).toBeGreaterThanOrEqual(2048);
    for (const h of [hash.md5, hash.sha1, hash.ripemd])
      expect(OPENPGP_CONFIG.rejectMessageHashAlgorithms.has(h)).toBe(true);
    for (const a of [pk.dsa, pk.elgamal]) expect(OPENPGP_CONFIG.rejectPublicKeyAlgorithms.has(a)).toBe(true);
    expect(OPENPGP_CONFIG.allowMissingKeyFlags).toBe(false);
    expect(OPENPGP_CONFIG.allowInsecureVerificationWithReformattedKeys).toBe(false);
  });
});

describe('v4 hashed trailer (RFC 4880 5.2.4)', () => {
  it('is 0x04 0xFF and the big-endian length of the hashed part', () => {
    expect([...v4HashedTrailer(0x1d)]).toEqual([4, 0xff, 0, 0, 0, 0x1d]);
    expect([...v4HashedTrailer(0x01020304)]).toEqual([4, 0xff, 1, 2, 3, 4]);
    expect(() => v4HashedTrailer(-1)).toThrow(RangeError);
  });
});

describe('fingerprints', () => {
  it('normalises GnuPG spacing and case', () => {
    expect(normalizeFingerprint('a490 d0f4 d311 a415 3e2b  b7ca dbb8 02b2 58ac d84f')).toBe(
      'A490D0F4D311A4153E2BB7CADBB802B258ACD84F',
    );
    expect(normalizeFingerprint('ab'.repeat(32))).toBe('AB'.repeat(32));
  });

  it.each(['', 'A490D0F4', 'G'.repeat(40), '0x' + 'A'.repeat(40), 'A'.repeat(41)])(
    'rejects %j as profile-invalid',
    (bad) => {
      expect(() => normalizeFingerprint(bad)).toThrow(expect.objectContaining({ code: 'profile-invalid' }));
    },
  );
});
