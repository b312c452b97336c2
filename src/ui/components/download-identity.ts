/**
 * What tells one tracked download from another with the same name (three
 * `tails-amd64-7.2.img` from one mirror): where from, when it started, its size, and — only
 * where names collide, once hashed — the start of its SHA-256. The popup's list and the
 * verification page show the same facts, from this one decision. Pure: data in, facts out.
 */
import type { TrackedDownload } from '../../wire/download.js';
import { hostOf } from '../../ui-kit/format.js';

export interface DownloadIdentity {
  /** The server it came from ("mirror.example.org"). */
  host: string;
  /** ISO-8601: when the download started. */
  startedAt: string;
  /** Bytes on disk, when known and not already shown by a progress bar. */
  size?: number;
  /** The first hex digits of the file's SHA-256: only when another download has the same name. */
  hashPrefix?: string;
}

/** How many hex digits of the SHA-256 tell files apart at a glance (as `git` shows 7–8). */
export const HASH_PREFIX_DIGITS = 8;

/** The bytes the download's file has: hashed (a verdict), else received so far. */
function sizeOf(download: TrackedDownload): number | undefined {
  // While it downloads or is hashed, the progress bar already says how much.
  if (download.phase === 'downloading' || download.phase === 'hashing') return undefined;
  const bytes = download.phase === 'done' ? download.verdict.evidence.file.size : download.receivedBytes;
  if (bytes > 0) return bytes;
  return download.totalBytes !== undefined && download.totalBytes > 0 ? download.totalBytes : undefined;
}

function sha256Of(download: TrackedDownload): string | undefined {
  if (download.phase !== 'done') return undefined;
  const sha256 = download.verdict.evidence.file.sha256;
  return /^[0-9a-f]{64}$/i.test(sha256) ? sha256.toLowerCase() : undefined;
}

/** Whether another download in `all` has the same file name. */
export function nameCollides(download: TrackedDownload, all: readonly TrackedDownload[]): boolean {
  return all.some((other) => other.id !== download.id && other.fileName === download.fileName);
}

export function identityOf(download: TrackedDownload, all: readonly TrackedDownload[]): DownloadIdentity {
  const identity: DownloadIdentity = {
    host: hostOf(download.mirror || download.finalUrl),
    startedAt: download.startedAt,
  };
  const size = sizeOf(download);
  if (size !== undefined) identity.size = size;
  const sha256 = nameCollides(download, all) ? sha256Of(download) : undefined;
  if (sha256) identity.hashPrefix = sha256.slice(0, HASH_PREFIX_DIGITS);
  return identity;
}
