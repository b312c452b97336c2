import type { StorageAreaLike, StorageChangeEvents, StorageChangeListener } from '../../../src/extension/storage.js';

/** storage.local stand-in: values go through structured clone like the real one; changes are reported like storage.onChanged. */
export class MemoryStorage implements StorageAreaLike {
  readonly data = new Map<string, unknown>();
  writes = 0;
  private readonly listeners = new Set<StorageChangeListener>();

  /** `areaName`: what storage.onChanged names this area ('local', 'session'). */
  constructor(private readonly areaName = 'local') {}

  readonly onChanged: StorageChangeEvents = {
    addListener: (listener) => void this.listeners.add(listener),
    removeListener: (listener) => void this.listeners.delete(listener),
  };

  async get(keys: string | string[] | null): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const key of keys === null ? [...this.data.keys()] : typeof keys === 'string' ? [keys] : keys) {
      if (this.data.has(key)) out[key] = structuredClone(this.data.get(key));
    }
    return out;
  }

  async set(items: Record<string, unknown>): Promise<void> {
    this.writes += 1;
    const changes: Record<string, { newValue?: unknown }> = {};
    for (const [key, value] of Object.entries(items)) {
      this.data.set(key, structuredClone(value));
      changes[key] = { newValue: structuredClone(value) };
    }
    this.emit(changes);
  }

  async remove(keys: string | string[]): Promise<void> {
    this.writes += 1;
    const changes: Record<string, { newValue?: unknown }> = {};
    for (const key of typeof keys === 'string' ? [keys] : keys) {
      if (this.data.delete(key)) changes[key] = {};
    }
    if (Object.keys(changes).length > 0) this.emit(changes);
  }

  private emit(changes: Record<string, { newValue?: unknown }>): void {
    for (const listener of this.listeners) listener(changes, this.areaName);
  }
}
