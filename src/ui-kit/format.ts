/**
 * Pure display formatting shared by the components: sizes, rates, durations, fingerprints,
 * dates. Decimal units (MB = 10^6 bytes) so sizes, rates and the browser's own figures agree.
 */

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;
export type SizeUnit = (typeof UNITS)[number];

/** The unit a size reads best in: the largest with a value of at least 1. */
export function unitFor(bytes: number): SizeUnit {
  let index = 0;
  let value = Math.abs(bytes);
  while (value >= 1000 && index < UNITS.length - 1) {
    value /= 1000;
    index += 1;
  }
  return UNITS[index]!;
}

/** `bytes` in `unit` (default: its own best unit), e.g. "1.18 GB", "812.4 MB", "512 B". */
export function formatBytes(bytes: number, locale = 'en', unit: SizeUnit = unitFor(bytes)): string {
  if (!Number.isFinite(bytes)) return '?';
  const value = bytes / 1000 ** UNITS.indexOf(unit);
  const digits = unit === 'B' ? 0 : value >= 100 ? 1 : 2;
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
  return `${number} ${unit}`;
}

/** An exact byte count with grouping, e.g. "1,176,215,552". */
export function formatExactBytes(bytes: number, locale = 'en'): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(bytes);
}

/** Bytes per second as MB/s. */
export function formatRate(bytesPerSecond: number, locale = 'en'): string {
  const value = Math.max(0, bytesPerSecond) / 1e6;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: value >= 100 ? 0 : 1 }).format(value)} MB/s`;
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
