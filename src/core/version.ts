/**
 * Tails-style release versions ("4.19", "4.20~rc1", "5.0~beta1", "7.2") and their order.
 *
 * The order is Debian's (dpkg `verrevcmp`) applied to the whole string, because Tails
 * versions are Debian upstream versions: `~` sorts before everything, even the end of the
 * string, so "4.20~rc1" < "4.20"; letters sort before other characters; digit runs compare
 * numerically. Parsing is strict so a version from untrusted data can be compared safely.
 */
import { IsoVerifyError } from './errors.js';

/** Starts with a digit; then digits, ASCII letters and `.+~-`. Bounded so comparison stays cheap. */
const VERSION_RE = /^[0-9][0-9A-Za-z.+~-]{0,63}$/;

export function isValidVersion(value: unknown): value is string {
  return typeof value === 'string' && VERSION_RE.test(value);
}

/** Return the version unchanged, or throw `input-invalid-value`. */
export function parseVersion(value: unknown): string {
  if (!isValidVersion(value)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
    throw new IsoVerifyError('input-invalid-value', `not a release version: ${shown}`);
  }
  return value;
}

/** dpkg's character weight for the non-digit parts. */
function order(ch: string | undefined): number {
  if (ch === undefined) return 0;
  if (ch === '~') return -1;
  const code = ch.charCodeAt(0);
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return code;
  return code + 256;
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/** Negative if a < b, 0 if equal, positive if a > b. Throws on invalid versions. */
export function compareVersions(a: string, b: string): number {
  parseVersion(a);
  parseVersion(b);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Non-digit prefix, character by character.
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = isDigit(a[i]) ? 0 : order(a[i]);
      const bc = isDigit(b[j]) ? 0 : order(b[j]);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    // Digit run, numerically (leading zeros ignored; lengths are bounded so no overflow tricks).
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    let firstDiff = 0;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

/** The highest of some versions (undefined for none). */
export function maxVersion(versions: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const v of versions) if (best === undefined || compareVersions(v, best) > 0) best = v;
  return best;
}
