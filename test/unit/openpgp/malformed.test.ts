/** Hostile or broken input: typed errors, never a crash, never "good". */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { enums, PacketList, armor, readKey } from 'openpgp';
import {
  loadPinnedKeyring,
  readDetachedSignature,
  verifyDetached,
  verifyDetachedFromHash,
  MAX_SIGNATURE_BYTES,
} from '../../../src/core/openpgp/index.js';
import { continuationsOfBytes } from './streaming.js';
import { TAILS_2021_FIXTURES } from '../../helpers/shared-fixtures.js';
import { codeOf } from '../../helpers/error-code.js';

const FIXTURES = TAILS_2021_FIXTURES;
const TAILS_PRIMARY = 'A490D0F4D311A4153E2BB7CADBB802B258ACD84F';
const DEMO_PRIMARY = '0099E3EB76222469F6AA643F8A14A0B7A189E99C';
const tailsKey = readFileSync(`${FIXTURES}/tails-signing.key`, 'utf8');
const udf = new Uint8Array(readFileSync(`${FIXTURES}/upgrade/4.19/stable/upgrades.yml`));
const udfSignature = readFileSync(`${FIXTURES}/upgrade/4.19/stable/upgrades.yml.pgp`, 'utf8');
const imageSignatureArmored = readFileSync(`${FIXTURES}/tails-amd64-4.19.img.sig`, 'utf8');

async function binaryOf(armored: string): Promise<Uint8Array> {
  const body = armored
    .split(/\r?\n\r?\n/)[1]!
    .split('\n=')[0]!
    .replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(body, 'base64'));
}

describe('readDetachedSignature on bad input', () => {
  const garbageArmor =
    '-----BEGIN PGP SIGNATURE-----\n\nVGhpcyBpcyBub3QgYSBzaWduYXR1cmUgYXQgYWxs\n=AAAA\n-----END PGP SIGNATURE-----\n';
  it.each([
    ['empty string', ''],
    ['empty bytes', new Uint8Array(0)],
    ['whitespace', '  \n'],
    ['text without armor', 'not a signature'],
    ['armor with garbage inside', garbageArmor],
    ['armor that is not base64', '-----BEGIN PGP SIGNATURE-----\n\n!!!!\n-----END PGP SIGNATURE-----\n'],
    ['armor without end line', '-----BEGIN PGP SIGNATURE-----\n\niHUEABYKAB0WIQTNTUNRr6aTP1dKmvuQ\n'],
    ['random bytes', new Uint8Array(Array.from({ length: 200 }, (_, i) => (i * 97 + 13) & 0xff))],
  ])('%s → signature-malformed', async (_name, input) => {
    expect(await codeOf(readDetachedSignature(input))).toBe('signature-malformed');
  });

  it('a truncated binary signature → signature-malformed', async () => {
    const binary = await binaryOf(imageSignatureArmored);
    expect((await readDetachedSignature(binary)).keyId).toBe('90B2B4BD7AED235F');
    for (const length of [1, 2, 10, binary.length >> 1, binary.length - 1]) {
      expect(await codeOf(readDetachedSignature(binary.subarray(0, length))), `length ${length}`).toBe(
        'signature-malformed',
      );
    }
  });

  it('a public key block offered as a signature → signature-malformed', async () => {
    expect(await codeOf(readDetachedSignature(readFileSync('profiles/keys/demo-signing.asc', 'utf8')))).toBe(
      'signature-malformed',
    );
  });

  it('a v3 signature packet → signature-unsupported', async () => {
    // tag 2 (old format, 1-byte length), version 3, 5 hashed bytes, key ID, RSA, SHA-256, left16, one MPI.
    const v3 = Uint8Array.of(0x88, 0x13, 3, 5, 0, 0x60, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 8, 0xab, 0xcd, 0, 8, 0xff);
    v3[1] = v3.length - 2;
    expect(await codeOf(readDetachedSignature(v3))).toBe('signature-unsupported');
  });

  it('input over the size limit → input-too-large', async () => {
    expect(await codeOf(readDetachedSignature(new Uint8Array(MAX_SIGNATURE_BYTES + 1)))).toBe('input-too-large');
  });

  it('armored and binary forms, as string or bytes, read the same', async () => {
    const fromString = await readDetachedSignature(imageSignatureArmored);
    const fromArmoredBytes = await readDetachedSignature(new TextEncoder().encode(imageSignatureArmored));
    const fromBinary = await readDetachedSignature(await binaryOf(imageSignatureArmored));
    for (const parsed of [fromArmoredBytes, fromBinary]) {
      expect({ ...parsed, source: null }).toEqual({ ...fromString, source: null });
    }
  });
});

describe('verification functions return typed failures instead of throwing', () => {
  it.each([
    ['garbage', 'garbage'],
    ['empty', new Uint8Array(0)],
    ['truncated', udfSignature.slice(0, 80)],
  ])('%s signature → good:false, signature-malformed', async (_name, signature) => {
    const keyring = await loadPinnedKeyring([tailsKey], [TAILS_PRIMARY]);
    const inMemory = await verifyDetached(keyring, udf, signature, { over: 'upgrade-description' });
    expect(inMemory).toEqual({
      over: 'upgrade-description',
      good: false,
      error: expect.objectContaining({ code: 'signature-malformed' }),
    });
    const streamed = await verifyDetachedFromHash(keyring, signature, await continuationsOfBytes(udf), {
      over: 'upgrade-description',
    });
    expect(streamed.good).toBe(false);
    expect(streamed.error?.code).toBe('signature-malformed');
  });

  it('a key self-signature offered as a document signature → signature-unsupported', async () => {
    const key = await readKey({ armoredKey: tailsKey });
    const list = new PacketList();
    list.push(key.subkeys[0]!.bindingSignatures[0]!);
    const bindingAsSignature = armor(enums.armor.signature, list.write());
    const keyring = await loadPinnedKeyring([tailsKey], [TAILS_PRIMARY]);
    const result = await verifyDetached(keyring, udf, bindingAsSignature, { over: 'upgrade-description' });
    expect(result.good).toBe(false);
    expect(result.error?.code).toBe('signature-unsupported');
  });

  it('programmer errors still throw', async () => {
    const keyring = await loadPinnedKeyring([tailsKey], [TAILS_PRIMARY]);
    await expect(
      verifyDetached(keyring, 'text' as unknown as Uint8Array, udfSignature, { over: 'upgrade-description' }),
    ).rejects.toThrow(TypeError);
    await expect(verifyDetached({} as never, udf, udfSignature, { over: 'upgrade-description' })).rejects.toThrow(
      TypeError,
    );
    await expect(verifyDetached(keyring, udf, udfSignature, { over: 'nonsense' as never })).rejects.toThrow(TypeError);
  });
});

describe('loadPinnedKeyring on bad input', () => {
  it.each([
    ['garbage text', 'this is not a key'],
    ['empty string', ''],
    ['garbage armor', '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAAAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n'],
    ['random bytes', new Uint8Array(64).fill(0x99)],
    ['a signature instead of a key', imageSignatureArmored],
  ])('%s → key-malformed', async (_name, material) => {
    expect(await codeOf(loadPinnedKeyring([material], [TAILS_PRIMARY]))).toBe('key-malformed');
  });

  it('a key file with no pinned key → key-no-pinned', async () => {
    expect(await codeOf(loadPinnedKeyring([tailsKey], [DEMO_PRIMARY]))).toBe('key-no-pinned');
  });

  it('no key material at all, or no pin → key-no-pinned', async () => {
    expect(await codeOf(loadPinnedKeyring([], [TAILS_PRIMARY]))).toBe('key-no-pinned');
    expect(await codeOf(loadPinnedKeyring([tailsKey], []))).toBe('key-no-pinned');
  });

  it('a malformed pin → profile-invalid; pins are compared case- and space-insensitively', async () => {
    expect(await codeOf(loadPinnedKeyring([tailsKey], ['A490D0F4']))).toBe('profile-invalid');
    const keyring = await loadPinnedKeyring([tailsKey], [TAILS_PRIMARY.toLowerCase().replace(/(.{4})/g, '$1 ')]);
    expect(keyring.pinned).toEqual([TAILS_PRIMARY]);
  });

  it('pinning a SUBKEY fingerprint does not make its primary key trusted', async () => {
    expect(await codeOf(loadPinnedKeyring([tailsKey], ['CD4D4351AFA6933F574A9AFB90B2B4BD7AED235F']))).toBe(
      'key-no-pinned',
    );
  });

  it('the keyring holds public keys only, without third-party certifications', async () => {
    const keyring = await loadPinnedKeyring(
      [tailsKey, readFileSync('test/fixtures/demo-key/demo-signing.secret.asc', 'utf8')],
      [TAILS_PRIMARY, DEMO_PRIMARY],
    );
    expect(keyring.keys).toHaveLength(2);
    for (const key of keyring.keys) {
      expect(key.isPrivate()).toBe(false);
      for (const user of key.users) expect(user.otherCertifications).toHaveLength(0);
    }
    expect(Object.isFrozen(keyring) && Object.isFrozen(keyring.keys)).toBe(true);
  });
});
