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
export async function checkSigningKeyAt(
  key: PublicKey,
  component: PublicKey | Subkey,
  at: Date,
): Promise<PolicyViolation | null> {
  const primary = key.keyPacket;
  const fingerprint = upperHex(component.getFingerprint());

  // Hard revocations count whenever they were made; soft ones (superseded, retired) only when
  // made at or before `at` — openpgp.js's isRevoked(…, date) implements exactly this.
  if (await key.isRevoked(undefined, undefined, at, OPENPGP_CONFIG)) {
    return { code: 'signature-key-revoked', detail: `primary key ${upperHex(key.getFingerprint())} is revoked` };
  }
  if (primary.created > at) {
    return {
      code: 'signature-key-expired',
      detail: `primary key was created ${iso(primary.created)}, after the signature (${iso(at)})`,
    };
  }
  let selfSignature: SignaturePacket;
  // The primary key judged at `at` (openpgp.js also selects signing keys at this date, below).
  // A copy exported after an expiry extension (gpg --quick-set-expire) holds only self-signatures
  // made AFTER `at`: then the earliest later one describes the key at `at` (README "Keys
  // exported after an expiry extension"), as GnuPG does.
  let judgedAt = at;
  try {
    selfSignature = await internals(key).getPrimarySelfSignature(at, {}, OPENPGP_CONFIG);
  } catch (cause) {
    if (await anyUserRevoked(key, at)) {
      return { code: 'signature-key-revoked', detail: "the primary key's user ID is revoked" };
    }
    const later = await earliestSelfSignatureAfter(key, at);
    if (!later) {
      return {
        code: 'signature-key-expired',
        detail: `the primary key has no valid self-signature at ${iso(at)} (${reason(cause)})`,
      };
    }
    selfSignature = later;
    judgedAt = later.created!;
  }
  const primaryExpiry = keyExpiration(primary.created, selfSignature);
  if (at >= primaryExpiry) {
    return {
      code: 'signature-key-expired',
      detail: `primary key expired ${iso(primaryExpiry)}, before the signature (${iso(at)})`,
    };
  }
  if (primary.version !== 6) {
    const direct = await latestValidAt(
      internals(key).directSignatures,
      primary,
      enums.signature.key,
      { key: primary },
      at,
    );
    if (direct) {
      const directExpiry = keyExpiration(primary.created, direct);
      if (at >= directExpiry) {
        return {
          code: 'signature-key-expired',
          detail: `primary key expired ${iso(directExpiry)} (direct-key signature), before the signature (${iso(at)})`,
        };
      }
    }
  }

  let selectAt = judgedAt;
  if (component === key) {
    if (!canSignData(selfSignature)) {
      return {
        code: 'signature-key-not-signing',
        detail: `primary key ${fingerprint} is not flagged for signing data`,
      };
    }
  } else {
    const checked = await checkSubkeyAt(key, component as Subkey, at);
    if ('code' in checked) return checked;
    if (checked.bindingCreated > selectAt) selectAt = checked.bindingCreated;
  }

  // Defence in depth: openpgp.js's own signing-key selection must agree with the checks above.
  // It can only judge a key by self-signatures valid at one date; when a later self-signature
  // had to describe the key at `at` (see above), the checks above are the whole judgement.
  if (selectAt.getTime() !== at.getTime()) return null;
  try {
    const chosen = await key.getSigningKey(component.getKeyID(), selectAt, undefined, OPENPGP_CONFIG);
    if (upperHex(chosen.getFingerprint()) !== fingerprint) throw new Error(`it selected ${chosen.getFingerprint()}`);
  } catch (cause) {
    return {
      code: 'signature-key-not-signing',
      detail: `openpgp.js does not accept ${fingerprint} as a signing key at ${iso(at)}: ${reason(cause)}`,
    };
  }
  return null;
}

async function checkSubkeyAt(
  key: PublicKey,
  subkey: Subkey,
  at: Date,
): Promise<PolicyViolation | { bindingCreated: Date }> {
  const primary = key.keyPacket;
  const fingerprint = upperHex(subkey.getFingerprint());
  const bound = { key: primary, bind: subkey.keyPacket };

  if (await subkey.isRevoked(NO_SIGNATURE, NO_KEY, at, OPENPGP_CONFIG)) {
    return { code: 'signature-key-revoked', detail: `signing subkey ${fingerprint} is revoked` };
  }
  if (subkey.keyPacket.created > at) {
    return {
      code: 'signature-key-expired',
      detail: `signing subkey was created ${iso(subkey.keyPacket.created)}, after the signature (${iso(at)})`,
    };
  }
  // The binding valid at `at`; in a copy that kept only bindings made later (an expiry
  // extension exported by GnuPG), the earliest later one, as GnuPG decides (see above).
  let binding = await latestValidAt(subkey.bindingSignatures, primary, enums.signature.subkeyBinding, bound, at);
  if (!binding)
    binding = await earliestValidAfter(subkey.bindingSignatures, primary, enums.signature.subkeyBinding, bound, at);
  if (!binding) {
    return {
      code: 'signature-key-not-pinned',
      detail: `subkey ${fingerprint} has no valid binding signature by the pinned primary key`,
    };
  }
  const expiry = keyExpiration(subkey.keyPacket.created, binding);
  if (at >= expiry) {
    return {
      code: 'signature-key-expired',
      detail: `signing subkey ${fingerprint} expired ${iso(expiry)}, before the signature (${iso(at)})`,
    };
  }
  if (!canSignData(binding)) {
    return { code: 'signature-key-not-signing', detail: `subkey ${fingerprint} is not flagged for signing data` };
  }
  // RFC 4880 5.2.1 0x19: a signing subkey must certify its primary key (a "back-signature"),
  // otherwise anyone could attach someone else's signing subkey to their key.
  const backSignature = binding.embeddedSignature;
  const backAt = binding.created! > at ? binding.created! : at;
  if (
    !backSignature ||
    !(await latestValidAt([backSignature], subkey.keyPacket, enums.signature.keyBinding, bound, backAt))
  ) {
    return {
      code: 'signature-key-not-signing',
      detail: `signing subkey ${fingerprint} is not cross-certified (no valid back-signature)`,
    };
  }
  return { bindingCreated: binding.created! };
}

/**
 * The earliest signature among `signatures` made after `at` that verifies and was valid when it
 * was made: it says what the key was at `at` when no signature of that time was kept.
 */
async function earliestValidAfter(
  signatures: readonly SignaturePacket[],
  signer: PublicKey['keyPacket'] | Subkey['keyPacket'],
  type: enums.signature,
  data: object,
  at: Date,
): Promise<SignaturePacket | null> {
  let earliest: SignaturePacket | null = null;
  for (const signature of signatures) {
    if (signature.created! <= at || (earliest && signature.created! >= earliest.created!)) continue;
    try {
      await signature.verify(signer, type, data, signature.created!, false, OPENPGP_CONFIG);
      earliest = signature;
    } catch {
      // invalid: ignored
    }
  }
  return earliest;
}

/** The earliest valid primary-key self-signature (user-ID certification) made after `at`. */
async function earliestSelfSignatureAfter(key: PublicKey, at: Date): Promise<SignaturePacket | null> {
  let earliest: SignaturePacket | null = null;
  for (const user of key.users) {
    if (user.userID === null) continue;
    const data = { userID: user.userID, key: key.keyPacket };
    for (const certification of user.selfCertifications) {
      const found = await earliestValidAfter([certification], key.keyPacket, certification.signatureType!, data, at);
      if (found && (!earliest || found.created! < earliest.created!)) earliest = found;
    }
  }
  return earliest;
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
