/**
 * Pure decisions about a tracked download's life: which phase a browser download state
 * leads to, and how a completed download gets hashed. The background applies them.
 */
import type { DownloadPhase, TrackedDownload } from '../extension/download.js';

/** The browser's download states (downloads.State). */
export type BrowserDownloadState = 'in_progress' | 'interrupted' | 'complete';

/** Phases in which the background still has work to do for a download. */
export const ACTIVE_PHASES: readonly DownloadPhase[] = ['downloading', 'hashing', 'verifying'];

export function isActive(phase: DownloadPhase): boolean {
  return ACTIVE_PHASES.includes(phase);
}

/** Phases that end our work; a browser event must not move a download out of them by itself. */
export function isSettled(phase: DownloadPhase): boolean {
  return phase === 'done' || phase === 'cancelled';
}

/**
 * Phase after the browser reports a download state. `error` is the browser's interrupt reason
 * (USER_CANCELED / USER_CANCELLED means the user gave up: we stop too).
 * Returns undefined when the phase should not change.
 */
export function phaseForDownloadState(
  current: DownloadPhase,
  state: BrowserDownloadState,
  error?: string,
): DownloadPhase | undefined {
  if (isSettled(current)) return undefined;
  if (state === 'in_progress') return current === 'interrupted' ? 'downloading' : undefined;
  if (state === 'interrupted') {
    if (error === 'USER_CANCELED' || error === 'USER_CANCELLED') return 'cancelled';
    return current === 'downloading' ? 'interrupted' : undefined;
  }
  // complete: the completion plan decides between hashing, verifying and awaiting-file.
  return undefined;
}

/** What the background knows when a tracked download completes. */
export interface CompletionFacts {
  /** Firefox: the finished stream hash bound to this download (stream-binding.ts), if any. */
  streamHash?: { bytes: number };
  /** Firefox: a stream hash exists but is not bound unambiguously to this download. */
  streamRejected?: boolean;
  /** Size of the file on disk as the browser reports it (-1 or undefined when unknown). */
  fileSize?: number;
  /** Chrome: the user allowed file:// access; Firefox never can read files. */
  fileAccess: boolean;
  /** A local path to read, when the browser told us. */
  localPath?: string;
}

export type CompletionPlan =
  /** Verify with the hash taken while downloading. */
  | { kind: 'verify-stream' }
  /** Hash the finished file through file:// (Chrome with file access). */
  | { kind: 'read-file' }
  /** Ask the user to pick the file on the verify page. */
  | { kind: 'await-file'; reason: 'no-file-access' | 'stream-size-mismatch' | 'no-stream-hash' | 'stream-not-bound' };

/**
 * How to get the hash of a completed download. A stream hash is used only when it covers
 * exactly the bytes on disk: anything else (a resumed download whose offsets did not match,
 * a filter that saw a different response) falls back to reading or picking the file.
 */
export function completionPlan(facts: CompletionFacts): CompletionPlan {
  const size = facts.fileSize !== undefined && facts.fileSize >= 0 ? facts.fileSize : undefined;
  if (facts.streamRejected && !facts.streamHash) {
    // Some response was hashed but may not be this file's: read it, or have the user pick it.
    return facts.fileAccess && facts.localPath ? { kind: 'read-file' } : { kind: 'await-file', reason: 'stream-not-bound' };
  }
  if (facts.streamHash) {
    if (size !== undefined && facts.streamHash.bytes === size) return { kind: 'verify-stream' };
    if (facts.fileAccess && facts.localPath) return { kind: 'read-file' };
    return { kind: 'await-file', reason: 'stream-size-mismatch' };
  }
  if (facts.fileAccess && facts.localPath) return { kind: 'read-file' };
  return { kind: 'await-file', reason: facts.fileAccess ? 'no-stream-hash' : 'no-file-access' };
}

/** Whether a 'resume-download' request makes sense for this download. */
export function canResumeDownload(tracked: Pick<TrackedDownload, 'phase' | 'verdict'>): boolean {
  if (tracked.phase === 'interrupted') return true;
  return tracked.phase === 'done' && tracked.verdict?.kind === 'incomplete';
}

/** Whether 'retry' can restart work for this download (anything but one still in flight). */
export function canRetry(tracked: Pick<TrackedDownload, 'phase'>): boolean {
  return tracked.phase !== 'hashing' && tracked.phase !== 'verifying';
}
