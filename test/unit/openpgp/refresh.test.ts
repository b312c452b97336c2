/**
 * Key refresh: a newer copy of the pinned key (from the official site) is merged into the shipped
 * copy — new subkeys and revocations take effect; another primary key is refused.
 */
import { PacketList, readKey, type AnyPacket } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIsoVerifyError } from '../../../src/core/errors.js';
import {
  loadPinnedKeyring,
  mergeKeyRefresh,
  verifyDetached,
  type PinnedKeyring,
} from '../../../src/core/openpgp/index.js';
import { createGpgHome, type GpgHome } from '../../helpers/gpg.js';

const T0 = new Date('2024-01-01T00:00:00Z');
const T1 = new Date('2024-02-01T00:00:00Z');
const T2 = new Date('2024-03-01T00:00:00Z');
const T3 = new Date('2024-04-01T00:00:00Z');
const T4 = new Date('2024-05-01T00:00:00Z');

const data = new TextEncoder().encode('{"version":"6.0"}\n');

let gpg: GpgHome;
const fpr: Record<string, string> = {};
const sig: Record<string, Uint8Array> = {};
let shippedCopy: Buffer;
let refreshedCopy: Buffer;
let otherKey: Buffer;

beforeAll(async () => {
  gpg = await createGpgHome();
  fpr.P = await gpg.genKey({ uid: 'Release <release@example.org>', algo: 'ed25519', usage: 'cert', fakedTime: T0 });
  fpr.stable = await gpg.addSubkey(fpr.P, { algo: 'ed25519', usage: 'sign', fakedTime: T0 });
  fpr.doomed = await gpg.addSubkey(fpr.P, { algo: 'ed25519', usage: 'sign', fakedTime: T0 });
  fpr.extended = await gpg.addSubkey(fpr.P, { algo: 'ed25519', usage: 'sign', expire: '2024-06-01', fakedTime: T0 });
  fpr.other = await gpg.genKey({
    uid: 'Other <other@example.org>',
    algo: 'ed25519',
    usage: 'cert,sign',
    fakedTime: T0,
  });
  for (const name of ['stable', 'doomed', 'extended'])
    sig[name] = await gpg.detachSign(data, { keyId: fpr[name]!, fakedTime: T1 });
  sig.other = await gpg.detachSign(data, { keyId: fpr.other!, fakedTime: T1 });
  fpr.thief = await gpg.genKey({ uid: 'Thief <thief@example.org>', algo: 'ed25519', usage: 'cert', fakedTime: T0 });
  fpr.thiefSubkey = await gpg.addSubkey(fpr.thief, { algo: 'ed25519', usage: 'sign', fakedTime: T0 });
  sig.thiefSubkey = await gpg.detachSign(data, { keyId: fpr.thiefSubkey, fakedTime: T1 });
  shippedCopy = await gpg.exportKey(fpr.P);

  // Later, the project adds a signing subkey, revokes one (no reason: a hard revocation) and
  // extends another's expiry (a newer binding signature).
  fpr.added = await gpg.addSubkey(fpr.P, { algo: 'ed25519', usage: 'sign', fakedTime: T2 });
  sig.added = await gpg.detachSign(data, { keyId: fpr.added, fakedTime: T3 });
  await gpg.revokeSubkey(fpr.P, fpr.doomed, 0, { fakedTime: T3 });
  await gpg.gpg(['--quick-set-expire', fpr.P, '2026-01-01', fpr.extended], { fakedTime: T4 });
  refreshedCopy = await gpg.exportKey(fpr.P, { armor: false });
  otherKey = await gpg.exportKey(fpr.other);
});

afterAll(async () => {
  await gpg?.cleanup();
});

async function check(keyring: PinnedKeyring, name: string) {
  return verifyDetached(keyring, data, sig[name]!, { over: 'description' });
}

describe('mergeKeyRefresh', () => {
  it('shipped copy: the later subkey is unknown, the doomed one still good', async () => {
    const shipped = await loadPinnedKeyring([shippedCopy], [fpr.P!]);
    expect((await check(shipped, 'added')).error?.code).toBe('signature-unknown-key');
    expect((await check(shipped, 'doomed')).good).toBe(true);
    expect((await check(shipped, 'stable')).good).toBe(true);
  });

  it('after merging the refreshed copy: the new subkey verifies, the revoked one fails, others unchanged', async () => {
    const shipped = await loadPinnedKeyring([shippedCopy], [fpr.P!]);
    const merged = await mergeKeyRefresh(shipped, refreshedCopy);
    const added = await check(merged, 'added');
    expect(added.good).toBe(true);
    expect(added.signingKeyFingerprint).toBe(fpr.added);
    expect((await check(merged, 'doomed')).error?.code).toBe('signature-key-revoked');
    expect((await check(merged, 'stable')).good).toBe(true);
    // GnuPG agrees on the new subkey and the revocation.
    expect((await gpg.verifyWithGpg(sig.added!, data)).keyword).toBe('GOODSIG');
    expect((await gpg.verifyWithGpg(sig.doomed!, data)).keyword).toBe('REVKEYSIG');
  });

  it('keeps the superseded binding, so a signature made before an expiry extension stays good', async () => {
    const merged = await mergeKeyRefresh(await loadPinnedKeyring([shippedCopy], [fpr.P!]), refreshedCopy);
    const subkey = merged.keys[0]!.subkeys.find((s) => s.getFingerprint().toUpperCase() === fpr.extended)!;
    expect(subkey.bindingSignatures.length).toBeGreaterThanOrEqual(2);
    expect((await check(merged, 'extended')).good).toBe(true);
  });

  it('does not modify the keyring it was given', async () => {
    const shipped = await loadPinnedKeyring([shippedCopy], [fpr.P!]);
    await mergeKeyRefresh(shipped, refreshedCopy);
    expect((await check(shipped, 'added')).error?.code).toBe('signature-unknown-key');
    expect((await check(shipped, 'doomed')).good).toBe(true);
  });

  it('refuses a different primary key (key-wrong-primary) and never adds it', async () => {
    const shipped = await loadPinnedKeyring([shippedCopy], [fpr.P!]);
    const error = await mergeKeyRefresh(shipped, otherKey).catch((e: unknown) => e);
    expect(isIsoVerifyError(error) && error.code).toBe('key-wrong-primary');
    expect((await check(shipped, 'other')).error?.code).toBe('signature-unknown-key');
  });

  it('material holding the pinned key AND another key: merges the pinned one, ignores the other', async () => {
    const shipped = await loadPinnedKeyring([shippedCopy], [fpr.P!]);
    const both = Buffer.concat([await gpg.exportKey(fpr.other!, { armor: false }), refreshedCopy]);
    const merged = await mergeKeyRefresh(shipped, both);
    expect(merged.keys.map((k) => k.getFingerprint().toUpperCase())).toEqual([fpr.P]);
    expect((await check(merged, 'added')).good).toBe(true);
    expect((await check(merged, 'other')).error?.code).toBe('signature-unknown-key');
  });

  it('a subkey grafted onto the pinned key (bound by another primary) is not trusted: signature-key-not-pinned', async () => {
    const thief = await readKey({ binaryKey: await gpg.exportKey(fpr.thief!, { armor: false }) });
    const stolen = thief.subkeys[0]!;
    const packets = new PacketList<AnyPacket>();
    packets.push(stolen.keyPacket, ...stolen.bindingSignatures); // bound by the thief's primary key
    const graftedSubkey = packets.write();
    const grafted = Buffer.concat([refreshedCopy, graftedSubkey]);
    const merged = await mergeKeyRefresh(await loadPinnedKeyring([shippedCopy], [fpr.P!]), grafted);
    expect(merged.keys[0]!.subkeys.some((s) => s.getFingerprint().toUpperCase() === fpr.thiefSubkey)).toBe(true);
    const result = await check(merged, 'thiefSubkey');
    expect(result.good).toBe(false);
    expect(result.error?.code).toBe('signature-key-not-pinned');
    expect(result.primaryFingerprint).toBe(fpr.P);
  });

  it('primary key revocations: soft ones count from their date, a merged hard one voids every signature', async () => {
    // Two copies of one key: home A revokes it as superseded, home B as compromised.
    const a = await createGpgHome();
    const b = await createGpgHome();
    try {
      const primary = await a.genKey({
        uid: 'Short-lived <short@example.org>',
        algo: 'ed25519',
        usage: 'cert',
        fakedTime: T0,
      });
      const subkey = await a.addSubkey(primary, { algo: 'ed25519', usage: 'sign', fakedTime: T0 });
      const before = await a.detachSign(data, { keyId: subkey, fakedTime: T1 });
      await b.importKey(await a.exportKey(primary, { secret: true }));
      await a.revokeKey(primary, 1, { fakedTime: T2 });
      await b.revokeKey(primary, 2, { fakedTime: T3 });

      const superseded = await loadPinnedKeyring([await a.exportKey(primary)], [primary]);
      expect((await verifyDetached(superseded, data, before, { over: 'description' })).good).toBe(true);
      expect((await a.verifyWithGpg(before, data)).keyword).toBe('REVKEYSIG'); // GnuPG honours any revocation

      const compromised = await mergeKeyRefresh(superseded, await b.exportKey(primary));
      expect(compromised.keys[0]!.revocationSignatures).toHaveLength(2);
      const result = await verifyDetached(compromised, data, before, { over: 'description' });
      expect(result.error?.code).toBe('signature-key-revoked');
      expect((await b.verifyWithGpg(before, data)).keyword).toBe('REVKEYSIG');
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  });

  it('refuses garbage (key-malformed)', async () => {
    const shipped = await loadPinnedKeyring([shippedCopy], [fpr.P!]);
    const error = await mergeKeyRefresh(
      shipped,
      '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n',
    ).catch((e: unknown) => e);
    expect(isIsoVerifyError(error) && error.code).toBe('key-malformed');
  });

  it('loading both copies at once gives the merged state too', async () => {
    const both = await loadPinnedKeyring([shippedCopy, refreshedCopy], [fpr.P!]);
    expect(both.keys).toHaveLength(1);
    expect((await check(both, 'added')).good).toBe(true);
    expect((await check(both, 'doomed')).error?.code).toBe('signature-key-revoked');
  });
});
