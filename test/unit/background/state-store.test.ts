import { describe, expect, it } from 'vitest';
import { STORAGE_KEYS } from '../../../src/background/protocol.js';
import { StateStore } from '../../../src/background/state-store.js';
import { tracked } from './fixtures.js';
import { MemoryStorage } from './memory-storage.js';

describe('StateStore', () => {
  it('serialises concurrent updates so none is lost', async () => {
    const area = new MemoryStorage();
    const store = new StateStore(area);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.updateDownload(`dl-${i}`, () => tracked({ id: `dl-${i}`, downloadId: i })),
      ),
    );
    await Promise.all(
      Array.from({ length: 20 }, () =>
        store.updateDownload('dl-0', (current) => current && { ...current, receivedBytes: current.receivedBytes + 1 }),
      ),
    );
    const all = await store.downloads();
    expect(Object.keys(all)).toHaveLength(20);
    expect(all['dl-0']?.receivedBytes).toBe(20);
    expect(Object.keys(area.data.get(STORAGE_KEYS.downloads) as object)).toHaveLength(20);
  });

  it('leaves storage untouched when the updater returns undefined, and removes', async () => {
    const area = new MemoryStorage();
    const store = new StateStore(area);
    expect(await store.updateDownload('dl-1', () => undefined)).toBeUndefined();
    expect(area.writes).toBe(0);
    await store.updateDownload('dl-1', () => tracked());
    await store.removeDownload('dl-1');
    await store.removeDownload('dl-1');
    expect(await store.download('dl-1')).toBeUndefined();
  });

  it('a failing write does not block later ones', async () => {
    const area = new MemoryStorage();
    const store = new StateStore(area);
    await expect(store.updateDownload('dl-1', () => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
    await store.updateDownload('dl-1', () => tracked());
    expect((await store.download('dl-1'))?.id).toBe('dl-1');
  });

  it('keeps checkpoints and stream hashes per URL, and ignores junk in storage', async () => {
    const area = new MemoryStorage();
    area.data.set(STORAGE_KEYS.downloads, 'garbage');
    const store = new StateStore(area);
    expect(await store.downloads()).toEqual({});
    const cp = { engine: 'hash-wasm', offset: 10, states: { sha256: 'AA==' } };
    await store.setCheckpoint('https://a/x.img', cp);
    await store.setCheckpoint('https://b/x.img', { ...cp, offset: 20 });
    expect(await store.checkpoint('https://a/x.img')).toEqual(cp);
    await store.setCheckpoint('https://a/x.img', undefined);
    expect(await store.checkpoint('https://a/x.img')).toBeUndefined();
    expect((await store.checkpoint('https://b/x.img'))?.offset).toBe(20);
    expect(await store.streamHash('https://a/x.img')).toBeUndefined();
    // A key like __proto__ is just a key.
    expect(await store.checkpoint('__proto__')).toBeUndefined();
  });
});
