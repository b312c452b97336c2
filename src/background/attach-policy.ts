/**
 * When the verification page reports a verdict for a tracked download (the user picked the
 * file because the extension could not read it), the verdict may replace the download's state
 * only if it is about that download's file: same name and, when the browser told us, same
 * size. A verdict the extension computed itself from the bytes it saw is never replaced by a
 * page's: the user might have picked another (older, good) copy.
 */
import type { Verdict } from '../core/verdict.js';
import type { TrackedDownload } from '../extension/download.js';

export type AttachDecision = { ok: true } | { ok: false; why: string };

export function mayAttachVerdict(tracked: TrackedDownload, verdict: Verdict): AttachDecision {
  const file = verdict.evidence.file;
  if (file.name !== tracked.fileName) return { ok: false, why: `verdict is about ${file.name}, not ${tracked.fileName}` };
  if (tracked.totalBytes !== undefined && tracked.totalBytes > 0 && file.size !== tracked.totalBytes) {
    return { ok: false, why: `verdict is about ${file.size} bytes, the download has ${tracked.totalBytes}` };
  }
  if (tracked.phase === 'done' && (tracked.hashSource === 'stream' || tracked.hashSource === 'file')) {
    return { ok: false, why: 'the extension already checked the downloaded bytes itself' };
  }
  return { ok: true };
}
