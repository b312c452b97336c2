/**
 * A verdict that lacked release data (the official site could not be reached) is decided again
 * from the kept hash — never by hashing the file again — by the person ("Try again") and by
 * itself with back-off while it stays unverified. Pure schedule rules, unit-tested.
 */
import type { TrackedDownload } from '../wire/download.js';

export const REDECIDE_ALARM = 'iso-verify-redecide';
/** First automatic attempt after this long (Chrome's shortest alarm delay is 30 s). */
export const REDECIDE_FIRST_DELAY_MS = 30_000;
/** Back-off doubles up to this. */
export const REDECIDE_MAX_DELAY_MS = 30 * 60_000;
/** After this many automatic attempts only "Try again" is left (about a day of back-off). */
export const REDECIDE_MAX_ATTEMPTS = 50;

/** Delay before automatic attempt number `attempts + 1`. */
export function redecideDelayMs(attempts: number): number {
  const n = Math.max(0, Math.floor(attempts));
  return Math.min(REDECIDE_MAX_DELAY_MS, REDECIDE_FIRST_DELAY_MS * 2 ** Math.min(n, 20));
}

/** The schedule after `attempts` attempts made at `nowMs`; undefined once they are used up. */
export function nextRedecide(attempts: number, nowMs: number): { attempts: number; nextAt: string } | undefined {
  if (attempts >= REDECIDE_MAX_ATTEMPTS) return undefined;
  return { attempts, nextAt: new Date(nowMs + redecideDelayMs(attempts)).toISOString() };
}

/** Ids of downloads whose automatic attempt is due at `nowMs`. */
export function dueRedecides(downloads: readonly TrackedDownload[], nowMs: number): string[] {
  return downloads
    .filter((d) => d.phase === 'done' && d.hash && d.redecide && Date.parse(d.redecide.nextAt) <= nowMs)
    .map((d) => d.id);
}

/** When the next automatic attempt of any download is due (ms since the epoch), if any. */
export function nextRedecideAt(downloads: readonly TrackedDownload[]): number | undefined {
  let next: number | undefined;
  for (const d of downloads) {
    if (d.phase !== 'done' || !d.hash || !d.redecide) continue;
    const at = Date.parse(d.redecide.nextAt);
    if (Number.isFinite(at) && (next === undefined || at < next)) next = at;
  }
  return next;
}
