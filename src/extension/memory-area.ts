/**
 * A storage area in this context's memory: where the browser has no storage.session, private
 * records go here rather than to disk (pages then cannot read them; nothing is written).
 */
import type { StorageAreaLike } from './storage.js';

export function memoryArea(): StorageAreaLike {
  const data = new Map<string, unknown>();
  return {
    async get(keys) {
      const out: Record<string, unknown> = {};
      for (const key of keys === null ? [...data.keys()] : typeof keys === 'string' ? [keys] : keys) {
        if (data.has(key)) out[key] = structuredClone(data.get(key));
      }
      return out;
    },
    async set(items) {
      for (const [key, value] of Object.entries(items)) data.set(key, structuredClone(value));
    },
    async remove(keys) {
      for (const key of typeof keys === 'string' ? [keys] : keys) data.delete(key);
    },
  };
}

/** storage.session where the browser has it (Firefox 115+, Chrome 102+), else memory. */
export function sessionArea(storage: { session?: StorageAreaLike }): StorageAreaLike {
  return storage.session ?? memoryArea();
}
