/**
 * Until when can the pinned key make signatures that we accept? Computed from the key alone
 * (its newest self-signatures and bindings), never from the clock: the clock only decides
 * whether to warn (DESIGN.md "signed times decide, the clock only explains").
 */
import { enums, type PublicKey, type SignaturePacket } from 'openpgp';
import { OPENPGP_CONFIG } from './policy.js';
import { freshCopy, primaryFingerprint, type PinnedKeyring } from './keyring.js';

export const KEY_EXPIRY_WARNING_DAYS = 60;
const DAY_MS = 86_400_000;
const NEVER = new Date(8.64e15);

export interface KeyExpiry {
  primaryFingerprint: string;
  /**
   * The earlier of: the primary key's expiry, and the latest expiry among its signing (sub)keys
   * that are bound, cross-certified and not revoked. Null when it never expires. A date in the
   * past when the key can no longer sign (expired, revoked, or no signing key).
   */
  signingUntil: Date | null;
}

/** Per pinned key, until when it can make signatures that we accept. `_now` is not used (kept for callers). */
export async function signingExpiry(keyring: PinnedKeyring, _now?: Date): Promise<KeyExpiry[]> {
  const out: KeyExpiry[] = [];
  for (const pinned of keyring.keys) {
    const key = await freshCopy(pinned);
    out.push({ primaryFingerprint: primaryFingerprint(key), signingUntil: await signingUntil(key) });
  }
  return out;
}

/** The latest end of signing over the pinned keys (null: one never ends), for display. */
export async function latestSigningEnd(keyring: PinnedKeyring): Promise<Date | null> {
  const ends = (await signingExpiry(keyring)).map((k) => k.signingUntil);
  if (ends.includes(null)) return null;
  return new Date(Math.max(...ends.map((d) => d!.getTime())));
}

async function signingUntil(key: PublicKey): Promise<Date | null> {
  const primary = key.keyPacket;
  const ended = primary.created; // "can no longer sign": the earliest date we can name
  if (await safely(() => key.isRevoked(undefined, undefined, NEVER, OPENPGP_CONFIG))) return ended;
  let self: SignaturePacket | null = null;
  for (const user of key.users) {
    if (!user.userID) continue;
    if (
      user.revocationSignatures.length > 0 &&
      (await safely(() => user.isRevoked(undefined as unknown as SignaturePacket, undefined, NEVER, OPENPGP_CONFIG)))
    )
      continue;
    self = await newestValid(user.selfCertifications, primary, { userID: user.userID, key: primary }, self);
  }
  if (!self) return ended;
  const primaryEnd = expiration(primary.created, self);
  let latest: Date | undefined;
  const consider = (end: Date) => {
    if (!latest || end > latest) latest = end;
  };
  if (canSignData(self)) consider(primaryEnd);
  for (const subkey of key.subkeys) {
    if (
      await safely(() =>
        subkey.isRevoked(undefined as unknown as SignaturePacket, undefined as never, NEVER, OPENPGP_CONFIG),
      )
    )
      continue;
    const binding = await newestValid(
      subkey.bindingSignatures,
      primary,
      { key: primary, bind: subkey.keyPacket },
      null,
    );
    if (!binding || !canSignData(binding) || !binding.embeddedSignature) continue;
    consider(expiration(subkey.keyPacket.created, binding));
  }
  if (!latest) return ended;
  const end = latest < primaryEnd ? latest : primaryEnd;
  return end.getTime() === NEVER.getTime() ? null : end;
}

async function newestValid(
  signatures: readonly SignaturePacket[],
  signer: PublicKey['keyPacket'],
  data: object,
  than: SignaturePacket | null,
): Promise<SignaturePacket | null> {
  let newest = than;
  for (const signature of signatures) {
    if (newest && signature.created! <= newest.created!) continue;
    try {
      await signature.verify(signer, signature.signatureType!, data, signature.created!, false, OPENPGP_CONFIG);
      newest = signature;
    } catch {
      // invalid: ignored
    }
  }
  return newest;
}

function expiration(created: Date, selfSignature: SignaturePacket): Date {
  if (selfSignature.keyNeverExpires === false && selfSignature.keyExpirationTime) {
    return new Date(created.getTime() + selfSignature.keyExpirationTime * 1000);
  }
  return NEVER;
}

function canSignData(selfSignature: SignaturePacket): boolean {
  const flags = selfSignature.keyFlags;
  return flags !== null && flags.length > 0 && (flags[0]! & enums.keyFlags.signData) !== 0;
}

/** Keys whose signing ends within KEY_EXPIRY_WARNING_DAYS after `now` (and not before it), in words, or undefined. */
export async function keyExpiryWarning(keyring: PinnedKeyring, now: Date): Promise<string | undefined> {
  const soon = (await signingExpiry(keyring)).filter(
    (k) =>
      k.signingUntil !== null &&
      k.signingUntil > now &&
      k.signingUntil.getTime() - now.getTime() < KEY_EXPIRY_WARNING_DAYS * DAY_MS,
  );
  if (soon.length === 0) return undefined;
  return soon
    .map((k) => `${k.primaryFingerprint} can sign until ${k.signingUntil!.toISOString().slice(0, 10)}`)
    .join('; ');
}

async function safely<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch {
    return undefined;
  }
}
