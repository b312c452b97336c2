/**
 * What the extension keeps in `browser.storage.local` (on disk) and `browser.storage.session`
 * (memory only; marked "session" below; README "What is stored"). Each tracked download is its own key
 * (`download:<id>`), so a change to one download writes one record and a page following
 * `storage.onChanged` gets only that record.
 */

export const STORAGE_KEYS = {
  /**
   * Prefix of the per-download keys: `download:dl-<browser id>` → TrackedDownload (download.ts).
   * local for ordinary windows (kept per `history`), session for private windows and under "keep no history".
   */
  downloadPrefix: 'download:',
  /** Before per-download keys: one map of every download. Read once to migrate, then removed. */
  legacyDownloads: 'downloads',
  trustState: 'trustState', // freshness records (src/core/freshness.ts)
  /** The pinned signing key as last refreshed from the official site: { signingKeys: Record<id, StoredSigningKey> } (src/core/freshness.ts). A public key. */
  signingKeys: 'signingKeys',
  hashCheckpoints: 'hashCheckpoints', // session: Record<expectation id, BoundCheckpoint> (src/background/firefox/stream-binding.ts)
  settings: 'settings',
  /** How long download records are kept: HistorySettings (src/extension/history.ts). */
  history: 'history',
  /** session: cached mirror pool: { fetchedAt, source, text } (src/background/mirror-pool-cache.ts). */
  mirrorPool: 'mirrorPool',
  /** session: finished Firefox stream hashes waiting for their download to complete: Record<expectation id, BoundStreamResult>. */
  streamHashes: 'streamHashes',
  /** session. Firefox: downloads the extension started and whose request may be hashed: Record<id, StreamExpectation>. */
  streamExpectations: 'streamExpectations',
  /** Reproducers the person added and their k-of-n: PersonReproSettings (src/extension/person-reproducers.ts). */
  reproducers: 'reproducers',
  /** Chromium without file access: when the welcome page was opened, { install?, firstNeed? } (src/extension/file-access.ts). */
  fileAccessWelcome: 'fileAccessWelcome',
} as const;

export function downloadKey(id: string): string {
  return `${STORAGE_KEYS.downloadPrefix}${id}`;
}

/** The tracked id a storage key holds, or undefined for any other key. */
export function idOfDownloadKey(key: string): string | undefined {
  return key.startsWith(STORAGE_KEYS.downloadPrefix) ? key.slice(STORAGE_KEYS.downloadPrefix.length) : undefined;
}

/** The part of storage.StorageArea the extension uses (tests pass a Map-backed fake). */
export interface StorageAreaLike {
  /** `null`: every key. */
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

/** storage.onChanged as the extension uses it. */
export interface StorageChangeEvents {
  addListener(listener: StorageChangeListener): void;
  removeListener(listener: StorageChangeListener): void;
}

export type StorageChangeListener = (changes: Record<string, { newValue?: unknown }>, areaName: string) => void;
