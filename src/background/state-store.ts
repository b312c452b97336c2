/**
 * Everything the background knows lives in extension storage (storage.local), so a stopped
 * service worker or unloaded event page resumes where it was and pages read state directly.
 * Writes go through one queue: read-modify-write of a whole record map must not interleave.
 */
import { STORAGE_KEYS, type TrackedDownload } from '../extension/download.js';

/** The three Firefox stream-hash record maps. */
export type StreamRecordKind = 'expectations' | 'results' | 'checkpoints';

const STREAM_RECORD_KEYS: Record<StreamRecordKind, string> = {
  expectations: STORAGE_KEYS.streamExpectations,
  results: STORAGE_KEYS.streamHashes,
  checkpoints: STORAGE_KEYS.hashCheckpoints,
};

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

  /**
   * Firefox stream-hash records, each a map keyed by expectation id (stream-binding.ts):
   * the expectations themselves, finished hashes and checkpoints. Values are returned as
   * stored (unknown); the caller validates them.
   */
  async streamRecords(kind: StreamRecordKind): Promise<Record<string, unknown>> {
    await this.queue.catch(() => undefined);
    return this.readMap<unknown>(STREAM_RECORD_KEYS[kind]);
  }

  setStreamRecord(kind: StreamRecordKind, id: string, value: unknown): Promise<void> {
    return this.serial(async () => {
      const key = STREAM_RECORD_KEYS[kind];
      const all = await this.readMap<unknown>(key);
      if (value === undefined) {
        if (!Object.hasOwn(all, id)) return;
        delete all[id];
      } else {
        // An own property whatever the id (`all['__proto__'] = v` would set the prototype).
        Object.defineProperty(all, id, { value, enumerable: true, writable: true, configurable: true });
      }
      await this.area.set({ [key]: all });
    });
  }

  /** Delete the given keys of each kind in one write per kind that changes. */
  removeStreamRecords(keys: Partial<Record<StreamRecordKind, readonly string[]>>): Promise<void> {
    return this.serial(async () => {
      for (const [kind, ids] of Object.entries(keys) as [StreamRecordKind, readonly string[]][]) {
        const key = STREAM_RECORD_KEYS[kind];
        const all = await this.readMap<unknown>(key);
        let changed = false;
        for (const id of ids) {
          if (Object.hasOwn(all, id)) {
            delete all[id];
            changed = true;
          }
        }
        if (changed) await this.area.set({ [key]: all });
      }
    });
  }

  async readKey(key: string): Promise<unknown> {
    await this.queue.catch(() => undefined);
    return (await this.area.get(key))[key];
  }

  writeKey(key: string, value: unknown): Promise<void> {
    return this.serial(() => this.area.set({ [key]: value }));
  }
}
