/**
 * Applies the person's history setting (src/extension/history.ts): reads it at start-up and
 * whenever it changes, and forgets the records on disk that are due — at start-up, on a
 * periodic alarm, and at once when the setting changes. The clock is injected (tests).
 */
import { parseHistorySettings, type HistorySettings } from '../extension/history.js';
import { STORAGE_KEYS, type StorageAreaLike } from '../extension/storage.js';
import type { DownloadsWriter } from '../extension/downloads-store.js';
import { log } from '../extension/log.js';

/** Alarm that forgets records on disk as they fall due. */
export const HISTORY_ALARM = 'iso-verify-history';
export const HISTORY_ALARM_PERIOD_MINUTES = 60;

export interface HistoryKeeperDeps {
  /** storage.local: where the setting is kept. */
  area: Pick<StorageAreaLike, 'get'>;
  downloads: Pick<DownloadsWriter, 'expire'>;
  nowMs: () => number;
}

export class HistoryKeeper {
  private settings: HistorySettings = parseHistorySettings(undefined);
  private loaded: Promise<void> | undefined;

  constructor(private readonly deps: HistoryKeeperDeps) {}

  /** The setting as last read (the default until the first read returns). */
  current(): HistorySettings {
    return this.settings;
  }

  /** Whether records of ordinary windows go to session memory only (after the setting was read). */
  async keepsNoHistory(): Promise<boolean> {
    try {
      await this.load();
    } catch (error) {
      // Unreadable setting: the default applies (records then expire after the default days).
      log.warn('history setting not read', error);
    }
    return this.settings.keepDays === 0;
  }

  load(): Promise<void> {
    this.loaded ??= this.reload();
    return this.loaded;
  }

  private async reload(): Promise<void> {
    this.settings = parseHistorySettings((await this.deps.area.get(STORAGE_KEYS.history))[STORAGE_KEYS.history]);
  }

  /** storage.onChanged (local): a new setting applies at once. */
  async onStorageChanged(changes: Record<string, { newValue?: unknown }>): Promise<number> {
    if (!Object.hasOwn(changes, STORAGE_KEYS.history)) return 0;
    this.settings = parseHistorySettings(changes[STORAGE_KEYS.history]?.newValue);
    return this.expire();
  }

  /** Forget what is due now; returns how many records were removed. */
  async expire(): Promise<number> {
    await this.load();
    return this.deps.downloads.expire(this.deps.nowMs(), this.settings.keepDays);
  }
}
