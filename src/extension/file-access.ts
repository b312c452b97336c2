/**
 * Chromium without "Allow access to file URLs": the welcome page that explains the one-time
 * set-up is opened on install and again the first time it matters (a download waits for the
 * person to pick its file) — once each, and only while file access is off. Pure rules here;
 * src/background/chromium/file-access-welcome.ts applies them.
 */
import { parseTrackedDownload } from '../wire/download.js';

/** Where Chromium shows the extension's switches (the file-access one among them). */
export function extensionDetailsUrl(extensionId: string): string {
  return `chrome://extensions/?id=${encodeURIComponent(extensionId)}`;
}

export type WelcomeTrigger = 'install' | 'firstNeed';

/** When the welcome page was opened for each trigger (ISO times), as stored. */
export type WelcomeRecord = Partial<Record<WelcomeTrigger, string>>;

export function parseWelcomeRecord(value: unknown): WelcomeRecord {
  const record: WelcomeRecord = {};
  if (typeof value !== 'object' || value === null) return record;
  for (const key of ['install', 'firstNeed'] as const) {
    const at = (value as Record<string, unknown>)[key];
    if (typeof at === 'string') record[key] = at;
  }
  return record;
}

/** Whether to open the welcome page now: file access known to be off, and not yet opened for this trigger. */
export function welcomeDue(record: WelcomeRecord, trigger: WelcomeTrigger, fileAccess: boolean | 'unknown'): boolean {
  return fileAccess === false && record[trigger] === undefined;
}

/**
 * Whether a storage change means file access matters now: a tracked download has just come
 * to wait for its file to be picked because the extension could not read it itself (no error
 * recorded: a read that failed is another story).
 */
export function startsAwaitingFile(change: { oldValue?: unknown; newValue?: unknown }): boolean {
  const next = parseTrackedDownload(change.newValue);
  if (next?.phase !== 'awaiting-file' || next.error !== undefined) return false;
  return parseTrackedDownload(change.oldValue)?.phase !== 'awaiting-file';
}
