/**
 * The background's other records in extension storage (storage.local): Firefox stream-hash
 * records and single keys (trust state, mirror pool). Tracked downloads have their own store
 * (src/extension/downloads-store.ts). Writes go through one queue: read-modify-write of a
 * record map must not interleave.
 */
import { settled } from '../core/settled.js';
import { STORAGE_KEYS, type StorageAreaLike } from '../extension/storage.js';

export type { StorageAreaLike };

/** The three Firefox stream-hash record maps. */
export type StreamRecordKind = 'expectations' | 'results' | 'checkpoints';

const STREAM_RECORD_KEYS: Record<StreamRecordKind, string> = {
  expectations: STORAGE_KEYS.streamExpectations,
  results: STORAGE_KEYS.streamHashes,
  checkpoints: STORAGE_KEYS.hashCheckpoints,
};

type RecordMap<T> = Record<string, T>;

function asMap<T>(value: unknown): RecordMap<T> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as RecordMap<T>) } : {};
}

export class StateStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly area: StorageAreaLike) {}

  /** Run `fn` after every earlier write; failures do not block later ones. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = settled(this.queue).then(fn);
    this.queue = run;
    return run;
  }

  private async readMap<T>(key: string): Promise<RecordMap<T>> {
    const got = await this.area.get(key);
    return asMap<T>(got[key]);
  }

  /**
   * Firefox stream-hash records, each a map keyed by expectation id (stream-binding.ts):
   * the expectations themselves, finished hashes and checkpoints. Values are returned as
   * stored (unknown); the caller validates them.
   */
  async streamRecords(kind: StreamRecordKind): Promise<Record<string, unknown>> {
    await settled(this.queue);
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
    await settled(this.queue);
    return (await this.area.get(key))[key];
  }

  writeKey(key: string, value: unknown): Promise<void> {
    return this.serial(() => this.area.set({ [key]: value }));
  }
}
