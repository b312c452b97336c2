/**
 * Signed times decide (issue #19): every real Tails signature in ../shared/fixtures verifies with
 * the shipped key with the clock at signing time + 1 day and at 2027-06-01 (after the key's
 * current end, 2027-01-13). And a key refresh is counted before it is parsed (issue #20): a
 * refresh padded with self-certified user IDs is refused quickly, the shipped key still works.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { enums, generateKey, PacketList, readKey, type AnyPacket } from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { isIsoVerifyError } from '../../../src/core/errors.js';
import { latestSigningEnd } from '../../../src/core/openpgp/expiry.js';
import { freshCopy } from '../../../src/core/openpgp/keyring.js';
import {
  loadPinnedKeyring,
  mergeKeyRefresh,
  readDetachedSignature,
  verifyDetached,
  type PinnedKeyring,
} from '../../../src/core/openpgp/index.js';
import { signaturePacketsOf } from '../../../src/core/openpgp/signature.js';
import { checkSigningKeyAt } from '../../../src/core/openpgp/signing-key.js';
import { BUILTIN_PROFILES } from '../../../src/core/profiles/builtin.js';
import { TAILS_2021_FIXTURES, TAILS_CURRENT_FIXTURES } from '../../helpers/shared-fixtures.js';

const tails = BUILTIN_PROFILES.tails;
const LATER = new Date('2027-06-01T00:00:00Z');
const DAY = 86_400_000;

function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, suffix));
    else if (entry.name.endsWith(suffix)) out.push(full);
  }
  return out.sort();
}

const roots = [TAILS_2021_FIXTURES, TAILS_CURRENT_FIXTURES];
const udfs = roots.flatMap((root) => filesUnder(root, 'upgrades.yml.pgp'));
const imageSignatures = roots.flatMap((root) => filesUnder(root, '.sig'));

let keyring: PinnedKeyring;
beforeAll(async () => {
  keyring = await loadPinnedKeyring([tails.signingKey], tails.pinnedFingerprints);
});

describe('every real Tails signature, judged at its own time, with the shipped key', () => {
  it('finds the fixtures (2021 and 2025–2026 upgrade descriptions, image signatures)', () => {
    expect(udfs.length).toBeGreaterThanOrEqual(20);
    expect(imageSignatures.length).toBeGreaterThanOrEqual(6);
  });

  it('upgrade descriptions: good at signing time + 1 day and at 2027-06-01', async () => {
    for (const file of udfs) {
      const data = new Uint8Array(readFileSync(file.replace(/\.pgp$/, '')));
      const signature = new Uint8Array(readFileSync(file));
      const times = (await signaturePacketsOf(await readDetachedSignature(signature))).map((p) => p.created!.getTime());
      const signed = new Date(Math.max(...times));
      for (const now of [new Date(signed.getTime() + DAY), LATER]) {
        const result = await verifyDetached(keyring, data, signature, { over: 'upgrade-description', now });
        expect(result, `${file} at ${now.toISOString()}`).toMatchObject({
          good: true,
          primaryFingerprint: tails.pinnedFingerprints[0],
        });
      }
    }
  });

  it('image signatures (the images are not in the fixtures): their signing key was valid when each was made, whatever the clock', async () => {
    for (const file of imageSignatures) {
      const parsed = await readDetachedSignature(new Uint8Array(readFileSync(file)));
      for (const packet of await signaturePacketsOf(parsed)) {
        const key = await freshCopy(keyring.keys[0]!);
        const component = key.getKeys().find((k) => k.getKeyID().equals(packet.issuerKeyID));
        expect(component, file).toBeDefined();
        expect(await checkSigningKeyAt(key, component!, packet.created!), file).toBeNull();
      }
    }
  });

  it('the shipped key can sign until 2027-01-13', async () => {
    expect((await latestSigningEnd(keyring))?.toISOString().slice(0, 10)).toBe('2027-01-13');
  });
});

describe('a refresh is counted before it is parsed (#20)', () => {
  it('a refresh padded with self-certified user IDs is refused quickly; the shipped copy still verifies', async () => {
    // 200 self-certified user IDs (as an attacker controlling the site could offer): made with
    // openpgp.js, which certifies each one with the primary key.
    const userIDs = Array.from({ length: 200 }, (_, i) => ({
      name: `Bogus user ID number ${i} ${'x'.repeat(40)}`,
      email: `bogus${i}@example.org`,
    }));
    const { publicKey: padded } = await generateKey({
      type: 'ecc',
      curve: 'ed25519Legacy',
      userIDs,
      format: 'armored',
      date: new Date('2024-01-01T00:00:00Z'),
    });
    const full = await readKey({ armoredKey: padded });
    // The shipped copy: the primary key, its first user ID and certification, its subkeys.
    const shippedPackets = new PacketList<AnyPacket>();
    shippedPackets.push(full.keyPacket, full.users[0]!.userID!, ...full.users[0]!.selfCertifications);
    for (const subkey of full.subkeys) shippedPackets.push(subkey.keyPacket, ...subkey.bindingSignatures);
    const fingerprint = full.getFingerprint().toUpperCase();
    const shipped = await loadPinnedKeyring([shippedPackets.write()], [fingerprint]);
    expect(padded.length).toBeGreaterThan(30_000);

    const started = performance.now();
    const refused = await mergeKeyRefresh(shipped, padded).then(
      () => undefined,
      (error: unknown) => error,
    );
    const elapsed = performance.now() - started;
    expect(isIsoVerifyError(refused) && refused.code).toBe('key-refresh-too-large');
    expect(elapsed).toBeLessThan(2000);
    expect(await latestSigningEnd(shipped)).toBeNull();
  });

  it('a user ID larger than any real one is refused before parsing', async () => {
    const { publicKey } = await generateKey({
      type: 'ecc',
      curve: 'ed25519Legacy',
      userIDs: [{ name: 'y'.repeat(3000) }],
      format: 'binary',
    });
    const fingerprint = (await readKey({ binaryKey: publicKey })).getFingerprint().toUpperCase();
    const { publicKey: small } = await generateKey({
      type: 'ecc',
      curve: 'ed25519Legacy',
      userIDs: [{ name: 'small' }],
      format: 'binary',
    });
    const shipped = await loadPinnedKeyring(
      [small],
      [(await readKey({ binaryKey: small })).getFingerprint().toUpperCase()],
    );
    const refused = await mergeKeyRefresh(shipped, publicKey).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isIsoVerifyError(refused) && refused.code).toBe('key-refresh-too-large');
    expect(fingerprint).toMatch(/^[0-9A-F]{40}$/);
  });

  it('the real Tails key file from the site (2,242 signatures, 1.4 MB) is within the limits, and a refresh adds no user IDs', async () => {
    const refreshed = await mergeKeyRefresh(
      keyring,
      new Uint8Array(readFileSync(path.join(TAILS_CURRENT_FIXTURES, 'tails-signing.key'))),
    );
    expect(refreshed.keys[0]!.users.length).toBe(keyring.keys[0]!.users.length);
    expect(enums.publicKey.eddsaLegacy).toBeGreaterThan(0);
  });
});
