/**
 * Pure display formatting shared by the components: sizes, rates, durations, fingerprints,
 * dates, all through `Intl` in the UI language (`localeOf(t)`). Decimal units (MB = 10^6 bytes,
 * src/core/units.ts) so sizes, rates and the browser's own figures agree, on every surface.
 */

import { scaleBytes, unitFor, type SizeUnit } from '../core/units.js';

export { unitFor, type SizeUnit };

/** Intl's unit names (CLDR) for ours: "Mo" in French, "МБ" in Russian, "MB" in English. */
const INTL_UNIT: Record<SizeUnit, string> = {
  B: 'byte',
  kB: 'kilobyte',
  MB: 'megabyte',
  GB: 'gigabyte',
  TB: 'terabyte',
};

/** `bytes` in `unit` (default: its own best unit), e.g. "1.18 GB", "812.4 MB", "512 bytes", in `locale`. */
export function formatBytes(bytes: number, locale = 'en', unit: SizeUnit = unitFor(bytes)): string {
  if (!Number.isFinite(bytes)) return '?';
  const scaled = scaleBytes(bytes, unit);
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: INTL_UNIT[unit],
    // Short forms are abbreviations ("MB"); for plain bytes the word reads better ("512 bytes").
    unitDisplay: unit === 'B' ? 'long' : 'short',
    maximumFractionDigits: scaled.digits,
    minimumFractionDigits: scaled.digits,
  }).format(scaled.value);
}

/** An exact byte count with the locale's grouping, e.g. "1,176,215,552" / "1.176.215.552". */
export function formatExactBytes(bytes: number, locale = 'en'): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(bytes);
}

/** Bytes per second as MB/s ("Mo/s", "МБ/с"…). */
export function formatRate(bytesPerSecond: number, locale = 'en'): string {
  const value = Math.max(0, bytesPerSecond) / 1e6;
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'megabyte-per-second',
    unitDisplay: 'short',
    maximumFractionDigits: value >= 100 ? 0 : 1,
  }).format(value);
}

/** A plain number in `locale` ("1.5" / "1,5"), with at most `maximumFractionDigits` decimals. */
export function formatNumber(value: number, locale = 'en', maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits }).format(value);
}

/** Seconds as "1:05" or "1:02:03"; rounds up so "0:00" only shows when done. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const total = Math.ceil(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Whole percent done, clamped to 0–100; undefined when the total is unknown. */
export function percentOf(done: number, total: number | undefined): number | undefined {
  if (total === undefined || !Number.isFinite(total) || total <= 0) return undefined;
  return Math.min(100, Math.max(0, Math.floor((done / total) * 100)));
}

/**
 * A fingerprint in groups of four, with a wider gap in the middle as GnuPG prints it:
 * "A490 D0F4 D311 A415 3E2B  B7CA DBB8 02B2 58AC D84F".
 */
export function groupFingerprint(fingerprint: string): string {
  const clean = fingerprint.replace(/\s+/g, '').toUpperCase();
  const groups = clean.match(/.{1,4}/g) ?? [];
  if (groups.length === 10) return `${groups.slice(0, 5).join(' ')}  ${groups.slice(5).join(' ')}`;
  return groups.join(' ');
}

/**
 * An ISO-8601 date as a readable date and time (the user's time zone unless one is given);
 * the raw text when it does not parse, so a hostile value is shown, never trusted.
 */
export function formatDate(iso: string, locale = 'en', timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  if (timeZone) options.timeZone = timeZone;
  return new Intl.DateTimeFormat(locale, options).format(date);
}

/** The time of day of an ISO-8601 instant (or epoch ms) in `locale`, e.g. "14:05" / "2:05 PM". */
export function formatTime(when: string | number, locale = 'en', timeZone?: string): string {
  const date = new Date(when);
  if (Number.isNaN(date.getTime())) return String(when);
  const options: Intl.DateTimeFormatOptions = { timeStyle: 'short' };
  if (timeZone) options.timeZone = timeZone;
  return new Intl.DateTimeFormat(locale, options).format(date);
}

/** Only http(s) URLs become links; anything else (javascript:, data:) is shown as text. */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** The host of a URL for compact display, or the text itself. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/**
 * When something started, as short as still tells it apart: the time alone on the day of `now`
 * ("14:05"), with day and month before ("Nov 19, 18:00" / "19. Nov., 18:00"), and the year when
 * it is another year's. The raw text when it does not parse.
 */
export function formatStarted(iso: string, now: number, locale = 'en', timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const zone: Intl.DateTimeFormatOptions = timeZone ? { timeZone } : {};
  const dayOf = (d: Date) =>
    new Intl.DateTimeFormat('en-CA', { ...zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const today = dayOf(date) === dayOf(new Date(now));
  if (today) return new Intl.DateTimeFormat(locale, { ...zone, timeStyle: 'short' }).format(date);
  const sameYear = dayOf(date).slice(0, 4) === dayOf(new Date(now)).slice(0, 4);
  return new Intl.DateTimeFormat(locale, {
    ...zone,
    ...(sameYear ? {} : { year: 'numeric' }),
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(date);
}
