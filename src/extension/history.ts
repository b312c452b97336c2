/**
 * How long the extension remembers downloads made in ordinary windows (the person chooses on
 * the options page): records not changed for `keepDays` days are forgotten; 0 is "Keep no
 * history" (records then live in session memory only, like those of private windows, and any
 * left on disk are removed once no work is running on them). Pure; the background applies it
 * (DownloadsWriter.expire, src/background/history-keeper.ts).
 */
import { isActive, type TrackedDownload } from '../wire/download.js';

/** The default: a week, time enough to come back to a verdict. */
export const HISTORY_DAYS_DEFAULT = 7;
/** The longest the options page offers. */
export const HISTORY_DAYS_MAX = 365;
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface HistorySettings {
  /** Days a record is kept after its last change; 0: keep no history. */
  keepDays: number;
}

/** The stored settings (storage.local `history`), the default for anything missing or invalid. */
export function parseHistorySettings(value: unknown): HistorySettings {
  const days = typeof value === 'object' && value !== null ? (value as { keepDays?: unknown }).keepDays : undefined;
  if (typeof days === 'number' && Number.isInteger(days) && days >= 0 && days <= HISTORY_DAYS_MAX)
    return { keepDays: days };
  return { keepDays: HISTORY_DAYS_DEFAULT };
}

/**
 * Whether a record on disk is due to be forgotten at `nowMs`. With `keepDays` 0 every record
 * no longer being worked on is; otherwise one unchanged for longer than `keepDays` days (a
 * record whose time cannot be read counts as old). A time more than `keepDays` days ahead (a
 * clock that was wrong, or set back since) does not keep a record forever.
 */
export function isExpired(download: TrackedDownload, nowMs: number, keepDays: number): boolean {
  if (keepDays === 0) return !isActive(download.phase);
  const changed = Date.parse(download.updatedAt);
  if (!Number.isFinite(changed)) return true;
  return Math.abs(nowMs - changed) > keepDays * DAY_MS;
}
