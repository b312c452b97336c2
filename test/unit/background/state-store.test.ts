import { describe, expect, it } from 'vitest';
import { STORAGE_KEYS } from '../../../src/extension/download.js';
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

  it('keeps stream records per expectation id, removes them in bulk, and ignores junk in storage', async () => {
    const area = new MemoryStorage();
    area.data.set(STORAGE_KEYS.downloads, 'garbage');
    area.data.set(STORAGE_KEYS.streamHashes, ['not', 'a', 'map']);
    const store = new StateStore(area);
    expect(await store.downloads()).toEqual({});
    expect(await store.streamRecords('results')).toEqual({});
    const cp = { expectationId: 'a', savedAt: 1, checkpoint: { engine: 'hash-wasm', offset: 10, states: { sha256: 'AA==' } } };
    await store.setStreamRecord('checkpoints', 'a', cp);
    await store.setStreamRecord('checkpoints', 'b', { ...cp, expectationId: 'b' });
    await store.setStreamRecord('expectations', 'a', { id: 'a' });
    await store.setStreamRecord('results', 'a', { expectationId: 'a' });
    expect((await store.streamRecords('checkpoints')).a).toEqual(cp);
    expect(area.data.get(STORAGE_KEYS.hashCheckpoints)).toMatchObject({ a: cp });
    expect(area.data.get(STORAGE_KEYS.streamExpectations)).toEqual({ a: { id: 'a' } });
    await store.setStreamRecord('checkpoints', 'b', undefined);
    expect(Object.keys(await store.streamRecords('checkpoints'))).toEqual(['a']);
    const writes = area.writes;
    await store.removeStreamRecords({ expectations: ['a'], results: ['a', 'zz'], checkpoints: ['a'] });
    expect(area.writes - writes).toBe(3);
    await store.removeStreamRecords({ expectations: ['a'] });
    expect(area.writes - writes).toBe(3); // nothing left to delete: no write
    for (const kind of ['expectations', 'results', 'checkpoints'] as const) expect(await store.streamRecords(kind)).toEqual({});
    // A key like __proto__ is just a key.
    await store.setStreamRecord('results', '__proto__', { x: 1 });
    expect(Object.hasOwn(await store.streamRecords('results'), '__proto__')).toBe(true);
  });
});
