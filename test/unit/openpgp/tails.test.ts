/**
 * Real Tails release data (2021), signed with the real Tails key: the verifier must agree with
 * GnuPG on every upgrade description, including WHICH subkey signed it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadPinnedKeyring,
  readDetachedSignature,
  verifyDetached,
  verifyDetachedFromHash,
  type PinnedKeyring,
} from '../../../src/core/openpgp/index.js';
import { createGpgHome, type GpgHome } from '../../helpers/gpg.js';
import { continuationsOfBytes } from './streaming.js';
import { TAILS_2021_FIXTURES } from '../../helpers/shared-fixtures.js';

const FIXTURES = TAILS_2021_FIXTURES;
const TAILS_PRIMARY = 'A490D0F4D311A4153E2BB7CADBB802B258ACD84F';
const ED25519_SUBKEY = 'CD4D4351AFA6933F574A9AFB90B2B4BD7AED235F';
const RSA_SUBKEY = '05469FB85EAD6589B43D41D3D21DAD38AF281C0B';
const DEMO_FPR = '0099E3EB76222469F6AA643F8A14A0B7A189E99C';
const DEMO_KEY_TEXT = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../profiles/keys/demo-signing.asc'),
  'utf8',
);

const udfs = readdirSync(path.join(FIXTURES, 'upgrade')).flatMap((version) =>
  readdirSync(path.join(FIXTURES, 'upgrade', version)).map((channel) => {
    const file = path.join(FIXTURES, 'upgrade', version, channel, 'upgrades.yml');
    return {
      name: `${version}/${channel}`,
      channel,
      data: new Uint8Array(readFileSync(file)),
      signature: readFileSync(`${file}.pgp`, 'utf8'),
    };
  }),
);

let keyring: PinnedKeyring;
let gpg: GpgHome;

beforeAll(async () => {
  const key = readFileSync(path.join(FIXTURES, 'tails-signing.key'), 'utf8');
  // Pinned as a profile would write it, with GnuPG's spacing.
  keyring = await loadPinnedKeyring([key], ['A490 D0F4 D311 A415 3E2B  B7CA DBB8 02B2 58AC D84F']);
  gpg = await createGpgHome();
  await gpg.importKey(key);
});

afterAll(async () => {
  await gpg?.cleanup();
});

describe('real Tails upgrade descriptions', () => {
  it('has the 18 UDFs the README describes', () => {
    expect(udfs).toHaveLength(18);
    expect(keyring.pinned).toEqual([TAILS_PRIMARY]);
    expect(keyring.keys.map((k) => k.getFingerprint().toUpperCase())).toEqual([TAILS_PRIMARY]);
  });

  it.each(udfs)('$name verifies, by the same subkey GnuPG reports', async ({ data, signature }) => {
    const ours = await verifyDetached(keyring, data, signature, { over: 'upgrade-description' });
    const reference = await gpg.verifyWithGpg(signature, data);
    // GnuPG: good signature, but the key has expired since (EXPKEYSIG); we judge at signature time.
    expect(reference.keyword).toBe('EXPKEYSIG');
    expect(reference.output).toContain('Good signature');
    expect(ours.error).toBeUndefined();
    expect(ours.good).toBe(true);
    expect(ours.primaryFingerprint).toBe(TAILS_PRIMARY);
    expect(ours.signingKeyFingerprint).toBe(reference.signingFingerprint);
    expect(reference.primaryFingerprint).toBe(TAILS_PRIMARY);
    expect([ED25519_SUBKEY, RSA_SUBKEY]).toContain(ours.signingKeyFingerprint);
    expect(ours.keyId).toBe(ours.signingKeyFingerprint!.slice(-16));
    expect(ours.hashAlgorithm).toBe('sha512');
    expect(ours.publicKeyAlgorithm).toBe(ours.signingKeyFingerprint === ED25519_SUBKEY ? 'ed25519' : 'rsa4096');
    expect(new Date(ours.signatureTime!).getUTCFullYear()).toBe(2021);
  });

  it('stable UDFs are mostly signed by the Ed25519 subkey, alpha mostly by the RSA subkey', async () => {
    const signers = await Promise.all(
      udfs.map(async (u) => ({
        channel: u.channel,
        fpr: (await verifyDetached(keyring, u.data, u.signature, { over: 'upgrade-description' }))
          .signingKeyFingerprint,
      })),
    );
    const count = (channel: string, fpr: string) =>
      signers.filter((s) => s.channel === channel && s.fpr === fpr).length;
    expect(count('stable', ED25519_SUBKEY)).toBeGreaterThan(count('stable', RSA_SUBKEY));
    expect(count('alpha', RSA_SUBKEY)).toBeGreaterThan(count('alpha', ED25519_SUBKEY));
  });

  it.each(udfs)('$name with one changed byte fails as signature-bad (GnuPG: BADSIG)', async ({ data, signature }) => {
    const changed = data.slice();
    const at = Math.floor(changed.length / 2);
    changed[at] = changed[at]! ^ 0x20;
    const ours = await verifyDetached(keyring, changed, signature, { over: 'upgrade-description' });
    expect(ours.good).toBe(false);
    expect(ours.error?.code).toBe('signature-bad');
    expect((await gpg.verifyWithGpg(signature, changed)).keyword).toBe('BADSIG');
  });

  it.each(udfs)(
    '$name: verifyDetachedFromHash over hash-wasm continuations equals verifyDetached',
    async ({ data, signature }) => {
      const inMemory = await verifyDetached(keyring, data, signature, { over: 'upgrade-description' });
      const streamed = await verifyDetachedFromHash(keyring, signature, await continuationsOfBytes(data), {
        over: 'upgrade-description',
      });
      expect(streamed).toEqual(inMemory);
      expect(streamed.good).toBe(true);
    },
  );

  it('a streamed hash of other bytes is signature-bad', async () => {
    const [first, second] = udfs;
    const streamed = await verifyDetachedFromHash(keyring, first!.signature, await continuationsOfBytes(second!.data), {
      over: 'upgrade-description',
    });
    expect(streamed.good).toBe(false);
    expect(streamed.error?.code).toBe('signature-bad');
  });

  it('a signature dated after `now` (plus skew) is rejected as signature-in-future', async () => {
    const udf = udfs.find((u) => u.name === '4.19/stable')!;
    const parsed = await readDetachedSignature(udf.signature);
    const now = new Date(parsed.created.getTime() - 60 * 60 * 1000);
    const ours = await verifyDetached(keyring, udf.data, parsed, { over: 'upgrade-description', now });
    expect(ours.error?.code).toBe('signature-in-future');
    const slightlyBehind = new Date(parsed.created.getTime() - 60 * 1000); // within the tolerated skew
    expect(
      (await verifyDetached(keyring, udf.data, parsed, { over: 'upgrade-description', now: slightlyBehind })).good,
    ).toBe(true);
  });
});

describe('real Tails image signatures', () => {
  it.each(['tails-amd64-4.19.img.sig', 'tails-amd64-4.19.iso.sig'])(
    '%s parses: v4, SHA-512, binary, Ed25519 subkey',
    async (name) => {
      const parsed = await readDetachedSignature(readFileSync(path.join(FIXTURES, name)));
      expect(parsed.version).toBe(4);
      expect(parsed.keyId).toBe('90B2B4BD7AED235F');
      expect(parsed.issuerFingerprint).toBe(ED25519_SUBKEY);
      expect(parsed.hashAlgorithm).toBe('sha512');
      expect(parsed.signatureType).toBe('binary');
      expect(parsed.publicKeyAlgorithm).toBe('ed25519');
      expect(parsed.created.getUTCFullYear()).toBe(2021);
    },
  );

  it('the same Ed25519 signature has one algorithm name, whether its key is known or not', async () => {
    const sig = readFileSync(path.join(FIXTURES, 'tails-amd64-4.19.img.sig'));
    const withKey = await verifyDetachedFromHash(keyring, sig, await continuationsOfBytes(new Uint8Array(1024)), {
      over: 'image',
    });
    const stranger = await loadPinnedKeyring([DEMO_KEY_TEXT], [DEMO_FPR]);
    const withoutKey = await verifyDetachedFromHash(stranger, sig, await continuationsOfBytes(new Uint8Array(1024)), {
      over: 'image',
    });
    expect(withoutKey.error?.code).toBe('signature-unknown-key');
    expect(withKey.publicKeyAlgorithm).toBe('ed25519');
    expect(withoutKey.publicKeyAlgorithm).toBe('ed25519');
  });

  it('an image signature checked against other bytes is signature-bad, not an error', async () => {
    const sig = readFileSync(path.join(FIXTURES, 'tails-amd64-4.19.img.sig'));
    const ours = await verifyDetachedFromHash(keyring, sig, await continuationsOfBytes(new Uint8Array(1024)), {
      over: 'image',
    });
    expect(ours.good).toBe(false);
    expect(ours.error?.code).toBe('signature-bad');
    expect(ours.signingKeyFingerprint).toBe(ED25519_SUBKEY);
  });
});
