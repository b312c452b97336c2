/**
 * What the background keeps about each tracked download and the messages pages may send it.
 * State lives in `browser.storage.local` under STORAGE_KEYS.downloads, so pages read it
 * directly and follow `storage.onChanged`; a restarted background worker loses nothing.
 */
import type { ErrorInfo } from '../core/errors.js';
import type { HashProgress } from '../core/hash/types.js';
import type { Verdict } from '../core/verdict.js';
import type { ReproStatus } from '../core/repro/types.js';

export const STORAGE_KEYS = {
  downloads: 'downloads', // Record<string, TrackedDownload>
  trustState: 'trustState', // freshness records (src/core/freshness.ts)
  hashCheckpoints: 'hashCheckpoints', // Record<expectation id, BoundCheckpoint> (src/background/stream-binding.ts)
  settings: 'settings',
  /** Cached mirror pool: { fetchedAt, source, text } (src/background/mirror-pool-cache.ts). */
  mirrorPool: 'mirrorPool',
  /** Finished Firefox stream hashes waiting for their download to complete: Record<expectation id, BoundStreamResult>. */
  streamHashes: 'streamHashes',
  /** Firefox: downloads the extension started and whose request may be hashed: Record<id, StreamExpectation>. */
  streamExpectations: 'streamExpectations',
  /** Reproducers the person added and their k-of-n: PersonReproSettings (src/background/person-reproducers.ts). */
  reproducers: 'reproducers',
} as const;

export type DownloadPhase =
  | 'downloading' // bytes arriving (Firefox hashes them as they pass)
  | 'hashing' // reading the finished file
  | 'awaiting-file' // Chrome without file access: the user must pick the file on the verify page
  | 'verifying' // hashing done, checking against release data
  | 'done' // verdict available
  | 'interrupted' // the browser's download was interrupted; resumable
  | 'cancelled';

export interface TrackedDownload {
  /** Our key: `dl-<browser download id>`. */
  id: string;
  downloadId: number;
  url: string;
  finalUrl: string;
  /** Base name of the file, e.g. tails-amd64-7.2.img. */
  fileName: string;
  /** Full local path when the browser told us. */
  localPath?: string;
  /** Mirror URL prefix the download came from. */
  mirror: string;
  startedAt: string;
  updatedAt: string;
  phase: DownloadPhase;
  receivedBytes: number;
  totalBytes?: number;
  progress?: HashProgress;
  verdict?: Verdict;
  repro?: ReproStatus;
  error?: ErrorInfo;
  /** After a mismatch: the same file on another mirror of the pool, for the UI's link. */
  alternativeUrl?: string;
  /** How the bytes were (or will be) hashed: while downloading (Firefox), from file:// (Chrome), or by the verify page. */
  hashSource?: 'stream' | 'file' | 'page';
}

export type BackgroundRequest =
  | { type: 'get-state' }
  | { type: 'cancel'; id: string }
  | { type: 'retry'; id: string }
  | { type: 'forget'; id: string }
  | { type: 'resume-download'; id: string }
  | { type: 'open-verify-page'; id?: string }
  /** The verify page hashed the file for a tracked download and reports the verdict. */
  | { type: 'attach-verdict'; id: string; verdict: Verdict; repro?: ReproStatus }
  /** Firefox: the official site's content script hands over a clicked image link (src/background/link-download.ts). */
  | { type: 'start-download'; url: string };

export interface StateResponse {
  downloads: TrackedDownload[];
  profileId: string;
  pinnedFingerprints: string[];
  fileAccess: boolean | 'unknown';
}
