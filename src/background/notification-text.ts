/**
 * What a system notification says for a tracked download: a title and a one-line answer,
 * both locale keys (public/_locales/<lang>/messages.json, substitution $1 = file name).
 * Pure, so every verdict kind is checked to have wording.
 */
import type { VerdictKind } from '../core/verdict.js';
import { verdictClass, VERDICT_KINDS } from '../core/verdict.js';
import type { TrackedDownload } from '../wire/download.js';

export interface NotificationText {
  titleKey: string;
  messageKey: string;
  substitutions: string[];
}

function kindKey(kind: VerdictKind): string {
  return kind.replace(/-/g, '_');
}

/** Every locale key the background uses (a unit test checks they exist in every locale). */
export const BACKGROUND_MESSAGE_KEYS: readonly string[] = [
  ...VERDICT_KINDS.flatMap((k) => [`bg_title_${kindKey(k)}`, `bg_line_${kindKey(k)}`]),
  'bg_title_pick_file',
  'bg_line_pick_file',
  'bg_title_error',
  'bg_line_error',
  'bg_title_interrupted',
  'bg_title_unproven',
  'bg_line_unproven',
  'bg_badge_downloading',
  'bg_badge_hashing',
  'bg_badge_verifying',
];

/** The notification for a download, or undefined when there is nothing to tell. */
export function notificationFor(d: TrackedDownload): NotificationText | undefined {
  const substitutions = [d.fileName];
  if (d.phase === 'done') {
    // "Do not use this file" only when a signature by a pinned key proves it (#20).
    if (
      (d.verdict.kind === 'mismatch' || d.verdict.kind === 'oversized') &&
      verdictClass(d.verdict) !== 'not-authentic'
    ) {
      return { titleKey: 'bg_title_unproven', messageKey: 'bg_line_unproven', substitutions };
    }
    const k = kindKey(d.verdict.kind);
    return { titleKey: `bg_title_${k}`, messageKey: `bg_line_${k}`, substitutions };
  }
  if (d.phase === 'awaiting-file')
    return { titleKey: 'bg_title_pick_file', messageKey: 'bg_line_pick_file', substitutions };
  if (d.phase === 'failed') return { titleKey: 'bg_title_error', messageKey: 'bg_line_error', substitutions };
  return undefined;
}

/** Notification ids carry the tracked id so a click opens the right download. */
export function notificationId(trackedId: string): string {
  return `iso-verify:${trackedId}`;
}

export function trackedIdFromNotification(notificationId: string): string | undefined {
  const m = /^iso-verify:(dl-\d{1,15})$/.exec(notificationId);
  return m ? m[1] : undefined;
}
