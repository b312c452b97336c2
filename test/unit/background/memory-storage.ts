import type { StorageAreaLike } from '../../../src/background/state-store.js';

/** storage.local stand-in: values go through structured clone like the real one. */
export class MemoryStorage implements StorageAreaLike {
  readonly data = new Map<string, unknown>();
  writes = 0;

  async get(keys: string | string[]): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const key of typeof keys === 'string' ? [keys] : keys) {
      if (this.data.has(key)) out[key] = structuredClone(this.data.get(key));
    }
    return out;
  }

  async set(items: Record<string, unknown>): Promise<void> {
    this.writes += 1;
    for (const [key, value] of Object.entries(items)) this.data.set(key, structuredClone(value));
  }
}
