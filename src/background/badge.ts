/**
 * The toolbar badge: one glance at the download that matters most. Pure; the background
 * applies the result with action.setBadgeText/-BackgroundColor/setTitle.
 */
import { verdictClass, type Verdict } from '../core/verdict.js';
import { isActive, type TrackedDownload } from '../wire/download.js';

export const BADGE_COLORS = {
  good: '#1a7f37',
  bad: '#c62828',
  unknown: '#6b7280',
  progress: '#1d4ed8',
} as const;

export interface Badge {
  text: string;
  color: string;
  /** Locale key of the tooltip (public/_locales), with the file name as substitution. */
  titleKey: string;
  fileName?: string;
}

export const EMPTY_BADGE: Badge = { text: '', color: BADGE_COLORS.unknown, titleKey: 'extName' };

/** ✓ for verified, ! for proven bad (or a rollback / forged signature), ? for everything weaker. */
export function badgeForVerdict(verdict: Verdict): Pick<Badge, 'text' | 'color'> {
  if (verdict.kind === 'verified') return { text: '✓', color: BADGE_COLORS.good };
  if (verdictClass(verdict) === 'not-authentic') return { text: '!', color: BADGE_COLORS.bad };
  return { text: '?', color: BADGE_COLORS.unknown };
}

/** Whole percent, 0–99 while work is left (100 would read as finished). */
export function percent(done: number, total: number | undefined): number | undefined {
  if (total === undefined || !(total > 0) || !(done >= 0)) return undefined;
  return Math.min(99, Math.floor((done / total) * 100));
}

/**
 * A whole percent as the UI language writes it ("42%", "%42" in Turkish, Arabic digits…),
 * without spaces: the badge has room for about four characters.
 */
export function badgePercent(p: number, locale = 'en'): string {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  } catch {
    format = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 });
  }
  return format.format(p / 100).replace(/\s/g, '');
}

function progressText(d: TrackedDownload, locale: string): string {
  const p =
    d.phase === 'hashing' && d.progress
      ? percent(d.progress.bytes, d.progress.total ?? d.totalBytes)
      : percent(d.receivedBytes, d.totalBytes);
  return p === undefined ? '…' : badgePercent(p, locale);
}

function newestFirst(a: TrackedDownload, b: TrackedDownload): number {
  return a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0;
}

/**
 * The badge for the newest download still being worked on, else the newest with an outcome;
 * `locale` (the messages' locale_tag) writes the percentage.
 */
export function badgeFor(downloads: readonly TrackedDownload[], locale = 'en'): Badge {
  const sorted = [...downloads].sort(newestFirst);
  const active = sorted.find((d) => isActive(d.phase));
  if (active) {
    const text = active.phase === 'verifying' ? '…' : progressText(active, locale);
    const titleKey =
      active.phase === 'downloading'
        ? 'bg_badge_downloading'
        : active.phase === 'hashing'
          ? 'bg_badge_hashing'
          : 'bg_badge_verifying';
    return { text, color: BADGE_COLORS.progress, titleKey, fileName: active.fileName };
  }
  const shown = sorted.find((d) => d.phase !== 'cancelled');
  if (!shown) return EMPTY_BADGE;
  if (shown.phase === 'done') {
    // "Do not use this file" only when a signature proves it (#20).
    const unproven =
      (shown.verdict.kind === 'mismatch' || shown.verdict.kind === 'oversized') &&
      verdictClass(shown.verdict) !== 'not-authentic';
    const titleKey = unproven ? 'bg_title_unproven' : `bg_title_${shown.verdict.kind.replace(/-/g, '_')}`;
    return { ...badgeForVerdict(shown.verdict), titleKey, fileName: shown.fileName };
  }
  if (shown.phase === 'awaiting-file')
    return { text: '?', color: BADGE_COLORS.unknown, titleKey: 'bg_title_pick_file', fileName: shown.fileName };
  if (shown.phase === 'interrupted')
    return { text: '?', color: BADGE_COLORS.unknown, titleKey: 'bg_title_interrupted', fileName: shown.fileName };
  // failed: an error stopped us.
  return { text: '?', color: BADGE_COLORS.unknown, titleKey: 'bg_title_error', fileName: shown.fileName };
}
