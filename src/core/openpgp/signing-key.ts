import { enums, type PublicKey, type SignaturePacket, type Subkey } from 'openpgp';
import { upperHex } from './fingerprint.js';
import { reason } from './material.js';
import { OPENPGP_CONFIG, type PolicyViolation } from './policy.js';

/**
 * Was `component` (the primary key or one of its subkeys) a valid signing key at time `at`
 * (the signature's creation time)? Applies the policy in policy.ts; returns the first
 * violation, or null. `key` must be a private copy (keyring.freshCopy) because openpgp.js caches
 * flags on the packets it evaluates.
 */
export async function checkSigningKeyAt(key: PublicKey, component: PublicKey | Subkey, at: Date): Promise<PolicyViolation | null> {
  const primary = key.keyPacket;
  const fingerprint = upperHex(component.getFingerprint());

  // Hard revocations count whenever they were made; soft ones (superseded, retired) only when
  // made at or before `at` — openpgp.js's isRevoked(…, date) implements exactly this.
  if (await key.isRevoked(undefined, undefined, at, OPENPGP_CONFIG)) {
    return { code: 'signature-key-revoked', detail: `primary key ${upperHex(key.getFingerprint())} is revoked` };
  }
  if (primary.created > at) {
    return { code: 'signature-key-expired', detail: `primary key was created ${iso(primary.created)}, after the signature (${iso(at)})` };
  }
  let selfSignature: SignaturePacket;
  try {
    selfSignature = await internals(key).getPrimarySelfSignature(at, {}, OPENPGP_CONFIG);
  } catch (cause) {
    if (await anyUserRevoked(key, at)) {
      return { code: 'signature-key-revoked', detail: 'the primary key\'s user ID is revoked' };
    }
    return { code: 'signature-key-expired', detail: `the primary key has no valid self-signature at ${iso(at)} (${reason(cause)})` };
  }
  const primaryExpiry = keyExpiration(primary.created, selfSignature);
  if (at >= primaryExpiry) {
    return { code: 'signature-key-expired', detail: `primary key expired ${iso(primaryExpiry)}, before the signature (${iso(at)})` };
  }
  if (primary.version !== 6) {
    const direct = await latestValidAt(internals(key).directSignatures, primary, enums.signature.key, { key: primary }, at);
    if (direct) {
      const directExpiry = keyExpiration(primary.created, direct);
      if (at >= directExpiry) {
        return { code: 'signature-key-expired', detail: `primary key expired ${iso(directExpiry)} (direct-key signature), before the signature (${iso(at)})` };
      }
    }
  }

  if (component === key) {
    if (!canSignData(selfSignature)) {
      return { code: 'signature-key-not-signing', detail: `primary key ${fingerprint} is not flagged for signing data` };
    }
  } else {
    const violation = await checkSubkeyAt(key, component as Subkey, at);
    if (violation) return violation;
  }

  // Defence in depth: openpgp.js's own signing-key selection must agree with the checks above.
  try {
    const chosen = await key.getSigningKey(component.getKeyID(), at, undefined, OPENPGP_CONFIG);
    if (upperHex(chosen.getFingerprint()) !== fingerprint) throw new Error(`it selected ${chosen.getFingerprint()}`);
  } catch (cause) {
    return { code: 'signature-key-not-signing', detail: `openpgp.js does not accept ${fingerprint} as a signing key at ${iso(at)}: ${reason(cause)}` };
  }
  return null;
}

async function checkSubkeyAt(key: PublicKey, subkey: Subkey, at: Date): Promise<PolicyViolation | null> {
  const primary = key.keyPacket;
  const fingerprint = upperHex(subkey.getFingerprint());
  const bound = { key: primary, bind: subkey.keyPacket };

  if (await subkey.isRevoked(NO_SIGNATURE, NO_KEY, at, OPENPGP_CONFIG)) {
    return { code: 'signature-key-revoked', detail: `signing subkey ${fingerprint} is revoked` };
  }
  if (subkey.keyPacket.created > at) {
    return { code: 'signature-key-expired', detail: `signing subkey was created ${iso(subkey.keyPacket.created)}, after the signature (${iso(at)})` };
  }
  const binding = await latestValidAt(subkey.bindingSignatures, primary, enums.signature.subkeyBinding, bound, at);
  if (!binding) {
    const everBound = await latestValidAt(subkey.bindingSignatures, primary, enums.signature.subkeyBinding, bound, null);
    return everBound
      ? { code: 'signature-key-expired', detail: `signing subkey ${fingerprint} was not yet bound to the primary key at ${iso(at)}` }
      : { code: 'signature-key-not-pinned', detail: `subkey ${fingerprint} has no valid binding signature by the pinned primary key` };
  }
  const expiry = keyExpiration(subkey.keyPacket.created, binding);
  if (at >= expiry) {
    return { code: 'signature-key-expired', detail: `signing subkey ${fingerprint} expired ${iso(expiry)}, before the signature (${iso(at)})` };
  }
  if (!canSignData(binding)) {
    return { code: 'signature-key-not-signing', detail: `subkey ${fingerprint} is not flagged for signing data` };
  }
  // RFC 4880 5.2.1 0x19: a signing subkey must certify its primary key (a "back-signature"),
  // otherwise anyone could attach someone else's signing subkey to their key.
  const backSignature = binding.embeddedSignature;
  if (!backSignature || !(await latestValidAt([backSignature], subkey.keyPacket, enums.signature.keyBinding, bound, at))) {
    return { code: 'signature-key-not-signing', detail: `signing subkey ${fingerprint} is not cross-certified (no valid back-signature)` };
  }
  return null;
}

/**
 * The newest signature among `signatures` that verifies and is valid at `at` (made at or
 * before it, not expired then); with `at` null, the newest that verifies at all.
 */
async function latestValidAt(
  signatures: readonly SignaturePacket[],
  signer: PublicKey['keyPacket'] | Subkey['keyPacket'],
  type: enums.signature,
  data: object,
  at: Date | null,
): Promise<SignaturePacket | null> {
  let latest: SignaturePacket | null = null;
  for (const signature of signatures) {
    if (latest && signature.created! < latest.created!) continue;
    try {
      // openpgp.js treats a null date as "do not check times".
      await signature.verify(signer, type, data, at as Date, false, OPENPGP_CONFIG);
      latest = signature;
    } catch {
      // invalid or not valid then: ignored, like openpgp.js's own selection
    }
  }
  return latest;
}

async function anyUserRevoked(key: PublicKey, at: Date): Promise<boolean> {
  for (const user of key.users) {
    if (user.revocationSignatures.length === 0) continue;
    if (await user.isRevoked(NO_SIGNATURE, undefined, at, OPENPGP_CONFIG)) return true;
  }
  return false;
}

/** When the key stops being valid according to this self-signature (RFC 4880 5.2.3.6). */
function keyExpiration(created: Date, selfSignature: SignaturePacket): Date {
  if (selfSignature.keyNeverExpires === false && selfSignature.keyExpirationTime) {
    return new Date(created.getTime() + selfSignature.keyExpirationTime * 1000);
  }
  return new Date(8.64e15); // never
}

function canSignData(selfSignature: SignaturePacket): boolean {
  const flags = selfSignature.keyFlags;
  return flags !== null && flags.length > 0 && (flags[0]! & enums.keyFlags.signData) !== 0;
}

/**
 * openpgp.js `isRevoked(signature, key, …)`: without a signature it considers every revocation
 * (and caches nothing on a signature packet); without a key it uses the primary key.
 */
const NO_SIGNATURE = undefined as unknown as SignaturePacket;
const NO_KEY = undefined as unknown as Parameters<Subkey['isRevoked']>[1];

function iso(date: Date): string {
  return date.toISOString();
}

/** openpgp.js Key members that exist (documented in its source) but are missing from its typings. */
interface KeyInternals {
  directSignatures: SignaturePacket[];
  getPrimarySelfSignature(date: Date, userID: object, config: typeof OPENPGP_CONFIG): Promise<SignaturePacket>;
}

function internals(key: PublicKey): KeyInternals {
  const k = key as unknown as Partial<KeyInternals>;
  if (!Array.isArray(k.directSignatures) || typeof k.getPrimarySelfSignature !== 'function') {
    throw new Error('unsupported openpgp.js version: Key.directSignatures/getPrimarySelfSignature missing');
  }
  return k as KeyInternals;
}
