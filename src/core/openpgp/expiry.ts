/**
 * When does the pinned key stop being able to sign new release data? A shipped key that is
 * about to expire (and a refresh from the site that failed) means verifications will soon start
 * failing: the user should update ISO Verify before that happens.
 */
import { enums, type PublicKey } from 'openpgp';
import { OPENPGP_CONFIG } from './policy.js';
import { freshCopy, primaryFingerprint, type PinnedKeyring } from './keyring.js';

export const KEY_EXPIRY_WARNING_DAYS = 60;
const DAY_MS = 86_400_000;

export interface KeyExpiry {
  primaryFingerprint: string;
  /** The earlier of: the primary key's expiry, and the latest expiry among its usable signing (sub)keys. Null when it never expires. */
  signingUntil: Date | null;
}

/** Per pinned key, until when it can make signatures that we accept. */
export async function signingExpiry(keyring: PinnedKeyring, now: Date): Promise<KeyExpiry[]> {
  const out: KeyExpiry[] = [];
  for (const pinned of keyring.keys) {
    const key = await freshCopy(pinned);
    out.push({ primaryFingerprint: primaryFingerprint(key), signingUntil: await signingUntil(key, now) });
  }
  return out;
}

async function signingUntil(key: PublicKey, now: Date): Promise<Date | null> {
  const primary = await safely(() => key.getExpirationTime(undefined, OPENPGP_CONFIG));
  if (primary === undefined || primary === null) return now; // no valid self-signature now: already unusable
  let latest: Date | null | undefined; // undefined: no usable signing key; null: one never expires
  const consider = (expiry: Date | typeof Infinity) => {
    if (expiry === Infinity) latest = null;
    else if (latest !== null && (latest === undefined || (expiry as Date) > latest)) latest = expiry as Date;
  };
  if (await safely(() => key.getSigningKey(key.getKeyID(), now, undefined, OPENPGP_CONFIG))) consider(primary);
  for (const subkey of key.subkeys) {
    const binding = await safely(() => subkey.verify(now, OPENPGP_CONFIG));
    if (!binding) continue;
    const flags = subkey.bindingSignatures.map((s) => s.keyFlags?.[0] ?? 0).reduce((a, b) => a | b, 0);
    if ((flags & enums.keyFlags.signData) === 0) continue;
    const expiry = await safely(() => subkey.getExpirationTime(now, OPENPGP_CONFIG));
    if (expiry !== undefined && expiry !== null) consider(expiry);
  }
  if (latest === undefined) return now;
  const primaryEnd = primary === Infinity ? null : (primary as Date);
  if (primaryEnd === null) return latest;
  if (latest === null) return primaryEnd;
  return latest < primaryEnd ? latest : primaryEnd;
}

/** Keys whose signing ends within KEY_EXPIRY_WARNING_DAYS of `now`, in words, or undefined. */
export async function keyExpiryWarning(keyring: PinnedKeyring, now: Date): Promise<string | undefined> {
  const soon = (await signingExpiry(keyring, now)).filter(
    (k) => k.signingUntil !== null && k.signingUntil.getTime() - now.getTime() < KEY_EXPIRY_WARNING_DAYS * DAY_MS,
  );
  if (soon.length === 0) return undefined;
  return soon.map((k) => `${k.primaryFingerprint} can sign until ${k.signingUntil!.toISOString().slice(0, 10)}`).join('; ');
}

async function safely<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch {
    return undefined;
  }
}
