/**
 * When the verification page reports a verdict for a tracked download (the user picked the
 * file because the extension could not read it), the verdict may replace the download's state
 * only if it is about that download's file: same name and, when the browser told us, same
 * size. A verdict the extension computed itself from the bytes it saw is never replaced by a
 * page's (the user might have picked another, older, good copy) — unless it lacked release
 * data: "could not reach the official site" says nothing about the bytes.
 */
import type { Verdict } from '../core/verdict.js';
import { needsReleaseData, type TrackedDownload } from '../wire/download.js';

export type AttachDecision = { ok: true } | { ok: false; why: string };

export function mayAttachVerdict(tracked: TrackedDownload, verdict: Verdict): AttachDecision {
  const file = verdict.evidence.file;
  if (file.name !== tracked.fileName)
    return { ok: false, why: `verdict is about ${file.name}, not ${tracked.fileName}` };
  if (tracked.totalBytes !== undefined && tracked.totalBytes > 0 && file.size !== tracked.totalBytes) {
    return { ok: false, why: `verdict is about ${file.size} bytes, the download has ${tracked.totalBytes}` };
  }
  // A verdict decided without release data (the site was unreachable) is no judgement of the bytes: it may be replaced.
  if (
    tracked.phase === 'done' &&
    (tracked.hashSource === 'stream' || tracked.hashSource === 'file') &&
    !needsReleaseData(tracked.verdict)
  ) {
    return { ok: false, why: 'the extension already checked the downloaded bytes itself' };
  }
  return { ok: true };
}
