/**
 * Everything the background knows lives in extension storage (storage.local), so a stopped
 * service worker or unloaded event page resumes where it was and pages read state directly.
 * Writes go through one queue: read-modify-write of a whole record map must not interleave.
 */
import type { HashCheckpoint } from '../core/hash/types.js';
import { STORAGE_KEYS, type TrackedDownload } from './protocol.js';
import type { StoredHashResult } from './stored-hash.js';

/** The part of storage.StorageArea the store uses (so tests can pass a Map-backed fake). */
export interface StorageAreaLike {
  get(keys: string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

type RecordMap<T> = Record<string, T>;

function asMap<T>(value: unknown): RecordMap<T> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as RecordMap<T>) } : {};
}

export class StateStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly area: StorageAreaLike) {}

  /** Run `fn` after every earlier write; failures do not block later ones. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.catch(() => undefined).then(fn);
    this.queue = run;
    return run;
  }

  private async readMap<T>(key: string): Promise<RecordMap<T>> {
    const got = await this.area.get(key);
    return asMap<T>(got[key]);
  }

  async downloads(): Promise<RecordMap<TrackedDownload>> {
    await this.queue.catch(() => undefined);
    return this.readMap<TrackedDownload>(STORAGE_KEYS.downloads);
  }

  async download(id: string): Promise<TrackedDownload | undefined> {
    const all = await this.downloads();
    return Object.hasOwn(all, id) ? all[id] : undefined;
  }

  /**
   * Change one download. `fn` gets the current record (undefined if none) and returns the new
   * one, or undefined to leave storage untouched. Returns what was stored.
   */
  updateDownload(
    id: string,
    fn: (current: TrackedDownload | undefined) => TrackedDownload | undefined,
  ): Promise<TrackedDownload | undefined> {
    return this.serial(async () => {
      const all = await this.readMap<TrackedDownload>(STORAGE_KEYS.downloads);
      const next = fn(Object.hasOwn(all, id) ? all[id] : undefined);
      if (next === undefined) return undefined;
      all[id] = next;
      await this.area.set({ [STORAGE_KEYS.downloads]: all });
      return next;
    });
  }

  removeDownload(id: string): Promise<void> {
    return this.serial(async () => {
      const all = await this.readMap<TrackedDownload>(STORAGE_KEYS.downloads);
      if (!Object.hasOwn(all, id)) return;
      delete all[id];
      await this.area.set({ [STORAGE_KEYS.downloads]: all });
    });
  }

  /** A map keyed by URL (checkpoints, finished stream hashes). */
  private setInMap<T>(key: string, entry: string, value: T | undefined): Promise<void> {
    return this.serial(async () => {
      const all = await this.readMap<T>(key);
      if (value === undefined) {
        if (!Object.hasOwn(all, entry)) return;
        delete all[entry];
      } else {
        all[entry] = value;
      }
      await this.area.set({ [key]: all });
    });
  }

  private async getFromMap<T>(key: string, entry: string): Promise<T | undefined> {
    await this.queue.catch(() => undefined);
    const all = await this.readMap<T>(key);
    return Object.hasOwn(all, entry) ? all[entry] : undefined;
  }

  checkpoint(url: string): Promise<HashCheckpoint | undefined> {
    return this.getFromMap<HashCheckpoint>(STORAGE_KEYS.hashCheckpoints, url);
  }

  setCheckpoint(url: string, checkpoint: HashCheckpoint | undefined): Promise<void> {
    return this.setInMap(STORAGE_KEYS.hashCheckpoints, url, checkpoint);
  }

  streamHash(url: string): Promise<StoredHashResult | undefined> {
    return this.getFromMap<StoredHashResult>(STORAGE_KEYS.streamHashes, url);
  }

  setStreamHash(url: string, result: StoredHashResult | undefined): Promise<void> {
    return this.setInMap(STORAGE_KEYS.streamHashes, url, result);
  }

  async readKey(key: string): Promise<unknown> {
    await this.queue.catch(() => undefined);
    return (await this.area.get(key))[key];
  }

  writeKey(key: string, value: unknown): Promise<void> {
    return this.serial(() => this.area.set({ [key]: value }));
  }
}
