import { PacketList, readKey, readKeys, type AnyPacket, type PublicKey, type SignaturePacket } from 'openpgp';
import { IsoVerifyError } from '../errors.js';
import { normalizeFingerprint, upperHex } from './fingerprint.js';
import { classifyInput, reason } from './material.js';
import { checkKeyMaterialLimits } from './packet-scan.js';
import { MAX_KEY_MATERIAL_BYTES, OPENPGP_CONFIG } from './policy.js';

/**
 * The keys allowed to vouch for release data: only those whose PRIMARY fingerprint is pinned
 * (by the profile). A key is never trusted because it was supplied — only because it is pinned.
 */
export interface PinnedKeyring {
  /** Public keys (no secret material) whose primary fingerprint is in `pinned`, one per fingerprint. */
  readonly keys: readonly PublicKey[];
  /** Pinned primary fingerprints, uppercase hex without spaces. */
  readonly pinned: readonly string[];
}

/**
 * Parse armored or binary key material and keep the keys whose primary fingerprint is pinned.
 * Several copies of one pinned key are merged. Throws `key-malformed` when any material cannot be
 * parsed, `key-no-pinned` when no supplied key is pinned, `profile-invalid` for a malformed pin.
 */
export async function loadPinnedKeyring(
  keyMaterial: Array<string | Uint8Array>,
  pinnedFingerprints: string[],
): Promise<PinnedKeyring> {
  if (!Array.isArray(keyMaterial) || !Array.isArray(pinnedFingerprints))
    throw new TypeError('loadPinnedKeyring(keyMaterial[], pinnedFingerprints[])');
  const pinned = [...new Set(pinnedFingerprints.map(normalizeFingerprint))];
  if (pinned.length === 0) throw new IsoVerifyError('key-no-pinned', 'the profile pins no key fingerprint');
  const byFingerprint = new Map<string, PublicKey>();
  // A pin that names a subkey (a signing subkey's fingerprint, as `gpg --verify` prints it) is
  // a common mistake: remember it, to say which primary fingerprint to pin instead.
  const pinnedSubkeys: string[] = [];
  for (const [index, material] of keyMaterial.entries()) {
    for (const key of await parseKeys(material, `key material #${index + 1}`)) {
      const fingerprint = primaryFingerprint(key);
      for (const subkey of key.getSubkeys()) {
        const sub = subkey.getFingerprint().toUpperCase();
        if (pinned.includes(sub)) pinnedSubkeys.push(`${sub} is a subkey of ${fingerprint}`);
      }
      if (!pinned.includes(fingerprint)) continue;
      const known = byFingerprint.get(fingerprint);
      byFingerprint.set(fingerprint, known ? await mergeSameKey(known, key) : key);
    }
  }
  if (byFingerprint.size === 0) {
    if (pinnedSubkeys.length > 0) {
      throw new IsoVerifyError(
        'key-no-pinned',
        `a pinned fingerprint names a subkey, not a primary key: ${[...new Set(pinnedSubkeys)].join('; ')}; pin the primary key's fingerprint`,
      );
    }
    throw new IsoVerifyError(
      'key-no-pinned',
      `no supplied key has a pinned primary fingerprint (${pinned.join(', ')})`,
    );
  }
  return freezeKeyring([...byFingerprint.values()], pinned);
}

/**
 * Merge a refreshed copy of a pinned key (new subkeys, new self-signatures extending expiry,
 * revocations) into the keyring. Keys in `refreshed` that are not pinned are ignored; if none is
 * pinned the refresh is refused with `key-wrong-primary`. The input keyring is not modified.
 * A refresh adds no user IDs (verification needs none beyond the pinned copy's) and is counted
 * before it is parsed (packet-scan.ts): more than a real key holds is `key-refresh-too-large`.
 * The primary key is never replaced and nothing is removed: openpgp.js's update() only adds.
 */
export async function mergeKeyRefresh(
  keyring: PinnedKeyring,
  refreshed: string | Uint8Array,
  what = 'refreshed key',
): Promise<PinnedKeyring> {
  assertKeyring(keyring);
  const keys = new Map(keyring.keys.map((k) => [primaryFingerprint(k), k] as const));
  let merged = 0;
  const offered: string[] = [];
  for (const key of await parseKeys(refreshed, what)) {
    const fingerprint = primaryFingerprint(key);
    offered.push(fingerprint);
    if (!keyring.pinned.includes(fingerprint)) continue;
    const known = keys.get(fingerprint);
    keys.set(fingerprint, known ? await mergeSameKey(known, withoutNewUserIds(key, known)) : key);
    merged++;
  }
  if (merged === 0) {
    throw new IsoVerifyError(
      'key-wrong-primary',
      `refresh offers ${offered.join(', ') || 'no key'}, not a pinned primary key`,
    );
  }
  return freezeKeyring([...keys.values()], keyring.pinned);
}

/**
 * Until when this copy of the keyring is known to be complete: the newest of its key packets and
 * self-signatures. A signature by an unknown key made after this may be by a subkey the project
 * added since (signature-outcome.ts "newer key"); one made before cannot be.
 */
export function keyringKnownUntil(keyring: PinnedKeyring): Date {
  let newest = 0;
  const see = (date: Date | null | undefined) => {
    if (date && date.getTime() > newest) newest = date.getTime();
  };
  for (const key of keyring.keys) {
    see(key.keyPacket.created);
    for (const sig of [
      ...key.revocationSignatures,
      ...((key as unknown as { directSignatures?: SignaturePacket[] }).directSignatures ?? []),
    ])
      see(sig.created);
    for (const user of key.users)
      for (const sig of [...user.selfCertifications, ...user.revocationSignatures]) see(sig.created);
    for (const subkey of key.subkeys) {
      see(subkey.keyPacket.created);
      for (const sig of [...subkey.bindingSignatures, ...subkey.revocationSignatures]) see(sig.created);
    }
  }
  return new Date(newest);
}

/** A key that is not pinned but certified by a pinned primary key: a successor, as in Tails' 2015 transition. */
export interface SuccessorKey {
  primaryFingerprint: string;
  /** Key IDs (16 hex digits, uppercase) of its primary key and subkeys. */
  keyIds: string[];
}

/**
 * The keys in `material` that are NOT pinned but carry a certification by a pinned primary key.
 * They are never trusted (a new primary key needs a new release of the profile); they only let
 * a verdict say that a signature was made by the project's new key (docs/key-transition.md).
 */
export async function successorKeys(keyring: PinnedKeyring, material: string | Uint8Array): Promise<SuccessorKey[]> {
  assertKeyring(keyring);
  const input = classifyInput(material, MAX_KEY_MATERIAL_BYTES, 'key-malformed', 'refreshed key');
  await checkKeyMaterialLimits(input, 'refreshed key');
  let keys: PublicKey[];
  try {
    keys =
      'armored' in input
        ? await readKeys({ armoredKeys: input.armored, config: OPENPGP_CONFIG })
        : await readKeys({ binaryKeys: input.binary, config: OPENPGP_CONFIG });
  } catch {
    return [];
  }
  const out: SuccessorKey[] = [];
  for (const key of keys) {
    if (keyring.pinned.includes(primaryFingerprint(key))) continue;
    let certified = false;
    for (const user of key.users) {
      if (certified || !user.userID) continue;
      for (const certification of user.otherCertifications.slice(0, 64)) {
        const certifier = keyring.keys.find((k) => certification.issuerKeyID.equals(k.getKeyID()));
        if (!certifier) continue;
        try {
          await certification.verify(
            certifier.keyPacket,
            certification.signatureType!,
            { userID: user.userID, key: key.keyPacket },
            certification.created!,
            false,
            OPENPGP_CONFIG,
          );
          certified = true;
          break;
        } catch {
          // not a valid certification by the pinned key
        }
      }
    }
    if (certified)
      out.push({
        primaryFingerprint: primaryFingerprint(key),
        keyIds: key.getKeys().map((k) => k.getKeyID().toHex().toUpperCase()),
      });
  }
  return out;
}

/** The keyring's keys, ASCII-armored one by one (to keep a refreshed key: freshness.ts StoredSigningKey). */
export function armoredKeys(keyring: PinnedKeyring): string[] {
  assertKeyring(keyring);
  return keyring.keys.map((key) => key.armor(OPENPGP_CONFIG));
}

/** Primary fingerprint in the form pins use. */
export function primaryFingerprint(key: PublicKey): string {
  return upperHex(key.getFingerprint());
}

export function assertKeyring(keyring: PinnedKeyring): void {
  if (!keyring || !Array.isArray(keyring.keys) || !Array.isArray(keyring.pinned)) {
    throw new TypeError('not a PinnedKeyring from loadPinnedKeyring()');
  }
}

/**
 * A private, freshly parsed copy of a keyring key. openpgp.js caches results on signature
 * packets (e.g. a binding signature's `revoked` flag, computed for one date) and shallow clones
 * share packets; evaluating every verification on its own copy keeps results independent of
 * what was verified before. Keys are small once third-party certifications are dropped.
 */
export async function freshCopy(key: PublicKey): Promise<PublicKey> {
  return readKey({ binaryKey: key.write(), config: OPENPGP_CONFIG });
}

async function parseKeys(material: string | Uint8Array, what: string): Promise<PublicKey[]> {
  const input = classifyInput(material, MAX_KEY_MATERIAL_BYTES, 'key-malformed', what);
  await checkKeyMaterialLimits(input, what);
  let keys: PublicKey[];
  try {
    keys =
      'armored' in input
        ? await readKeys({ armoredKeys: input.armored, config: OPENPGP_CONFIG })
        : await readKeys({ binaryKeys: input.binary, config: OPENPGP_CONFIG });
  } catch (cause) {
    throw new IsoVerifyError('key-malformed', `${what}: ${reason(cause)}`, { cause });
  }
  const result: PublicKey[] = [];
  for (const key of keys) result.push(await selfSignedOnly(key.isPrivate() ? key.toPublic() : key));
  return result;
}

/**
 * Keep what the policy uses — the primary key, user IDs with their self-signatures and
 * revocations, direct-key signatures, subkeys with bindings and revocations — and drop
 * third-party certifications and photo IDs: trust comes from the pin, not the web of trust,
 * and the real Tails key is 1.3 MB of them.
 */
async function selfSignedOnly(key: PublicKey): Promise<PublicKey> {
  const kept = new PacketList<AnyPacket>();
  const direct = (key as unknown as { directSignatures?: SignaturePacket[] }).directSignatures ?? [];
  kept.push(key.keyPacket, ...key.revocationSignatures, ...direct);
  const primaryId = key.getKeyID();
  const byPrimary = (sig: SignaturePacket) => sig.issuerKeyID.equals(primaryId);
  for (const user of key.users) {
    if (user.userID === null) continue;
    // Third parties revoking their own certifications are certifications too: not kept.
    kept.push(user.userID, ...newest(user.revocationSignatures.filter(byPrimary)), ...newest(user.selfCertifications));
  }
  for (const subkey of key.subkeys)
    kept.push(subkey.keyPacket, ...newest(subkey.revocationSignatures), ...newest(subkey.bindingSignatures));
  try {
    return await readKey({ binaryKey: kept.write(), config: OPENPGP_CONFIG });
  } catch (cause) {
    throw new IsoVerifyError(
      'key-malformed',
      `cannot re-read key ${upperHex(key.getFingerprint())}: ${reason(cause)}`,
      { cause },
    );
  }
}

/**
 * openpgp.js `update()` merges new users, subkeys and signatures. It also REPLACES a subkey
 * binding signature with a newer one from the same issuer; we put the older ones back, so a
 * signature made under an earlier binding (before an expiry extension) is still judged by the
 * binding that was valid at its time. Every signature is verified when it is used, not here:
 * an invalid signature merged in can only make a key unusable, never trusted.
 */
async function mergeSameKey(known: PublicKey, incoming: PublicKey): Promise<PublicKey> {
  let merged: PublicKey;
  try {
    merged = await known.update(incoming, new Date(), OPENPGP_CONFIG);
  } catch (cause) {
    throw new IsoVerifyError('key-wrong-primary', `cannot merge into ${primaryFingerprint(known)}: ${reason(cause)}`, {
      cause,
    });
  }
  // openpgp.js checks a new key revocation against the wrong data once the key already has one,
  // and so drops it; add every key revocation offered (each is verified when it is used).
  for (const revocation of incoming.revocationSignatures) {
    if (!merged.revocationSignatures.some((r) => sameBytes(r.write(), revocation.write())))
      merged.revocationSignatures.push(revocation);
  }
  for (const subkey of merged.subkeys) {
    for (const before of known.subkeys.filter((s) => s.getFingerprint() === subkey.getFingerprint())) {
      for (const binding of before.bindingSignatures) {
        if (!subkey.bindingSignatures.includes(binding)) subkey.bindingSignatures.push(binding);
      }
    }
  }
  return selfSignedOnly(merged);
}

/** Self-signatures kept per user ID or subkey: the newest, so that padding cannot make every check slow. */
const MAX_SIGNATURES_PER_COMPONENT = 32;

function newest(signatures: readonly SignaturePacket[]): SignaturePacket[] {
  if (signatures.length <= MAX_SIGNATURES_PER_COMPONENT) return [...signatures];
  return [...signatures]
    .sort((a, b) => b.created!.getTime() - a.created!.getTime())
    .slice(0, MAX_SIGNATURES_PER_COMPONENT);
}

/** A refresh may add self-signatures to the user IDs the pinned copy has, not new user IDs (user IDs are not needed to verify). */
function withoutNewUserIds(incoming: PublicKey, known: PublicKey): PublicKey {
  const knownIds = new Set(known.users.flatMap((u) => (u.userID ? [u.userID.userID] : [])));
  // `incoming` was just parsed for this merge (parseKeys): no one else holds it.
  incoming.users = incoming.users.filter((u) => u.userID !== null && knownIds.has(u.userID.userID));
  return incoming;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function freezeKeyring(keys: PublicKey[], pinned: readonly string[]): PinnedKeyring {
  return Object.freeze({ keys: Object.freeze([...keys]), pinned: Object.freeze([...pinned]) });
}
