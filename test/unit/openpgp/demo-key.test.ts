/** The demo signing key shipped with the demo profile: GnuPG signs with it, we verify. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPinnedKeyring, verifyDetached, type PinnedKeyring } from '../../../src/core/openpgp/index.js';
import { createGpgHome, type GpgHome } from '../../helpers/gpg.js';

const profile = JSON.parse(readFileSync('profiles/demo.json', 'utf8')) as {
  pinnedFingerprints: string[];
  signingKeyFile: string;
};
const data = new TextEncoder().encode('{"installations":[]}\n');

let gpg: GpgHome;
let keyring: PinnedKeyring;

beforeAll(async () => {
  gpg = await createGpgHome();
  await gpg.importKey(readFileSync('test/fixtures/demo-key/demo-signing.secret.asc'));
  keyring = await loadPinnedKeyring(
    [readFileSync(`profiles/${profile.signingKeyFile}`, 'utf8')],
    profile.pinnedFingerprints,
  );
});

afterAll(async () => {
  await gpg?.cleanup();
});

describe('demo signing key', () => {
  it('is an RSA 3072 certify-only primary key with an Ed25519 signing subkey', async () => {
    const listing = await gpg.listKey(profile.pinnedFingerprints[0]!);
    expect(listing.primary.usage).not.toMatch(/s/);
    expect(listing.subkeys.some((s) => s.usage.includes('s'))).toBe(true);
    expect(keyring.keys[0]!.getAlgorithmInfo()).toMatchObject({ algorithm: 'rsaEncryptSign', bits: 3072 });
  });

  it('a gpg signature by the demo key verifies, by the subkey gpg chose', async () => {
    const primary = profile.pinnedFingerprints[0]!;
    // Without "!", gpg picks the signing subkey itself.
    const signature = await gpg.gpg(['--local-user', primary, '--detach-sign', '--armor', '--output', '-'], {
      input: data,
    });
    const armored = signature.stdout.toString('utf8');
    const reference = await gpg.verifyWithGpg(armored, data);
    const ours = await verifyDetached(keyring, data, armored, { over: 'description' });
    expect(reference.keyword).toBe('GOODSIG');
    expect(ours.error).toBeUndefined();
    expect(ours.good).toBe(true);
    expect(ours.primaryFingerprint).toBe(primary);
    expect(ours.signingKeyFingerprint).toBe(reference.signingFingerprint);
    expect(ours.signingKeyFingerprint).not.toBe(primary);
    expect(ours.publicKeyAlgorithm).toBe('ed25519');
  });
});
