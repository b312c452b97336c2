import { IsoVerifyError } from '../errors.js';

/**
 * Fingerprints are compared as uppercase hex without spaces: 40 digits for v4 keys, 64 for v6.
 * Profiles may write them with spaces, as GnuPG prints them.
 */
export function normalizeFingerprint(fingerprint: string): string {
  const normalized = fingerprint.replace(/\s+/g, '').toUpperCase();
  if (!/^(?:[0-9A-F]{40}|[0-9A-F]{64})$/.test(normalized)) {
    throw new IsoVerifyError(
      'profile-invalid',
      `not an OpenPGP v4 or v6 fingerprint: ${JSON.stringify(fingerprint.slice(0, 100))}`,
    );
  }
  return normalized;
}

/** openpgp.js reports fingerprints and key IDs in lowercase. */
export function upperHex(hex: string): string {
  return hex.toUpperCase();
}
