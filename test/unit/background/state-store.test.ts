import { describe, expect, it } from 'vitest';
import { STORAGE_KEYS } from '../../../src/extension/storage.js';
import { StateStore } from '../../../src/background/state-store.js';
import { MemoryStorage } from './memory-storage.js';

describe('StateStore', () => {
  it('keeps stream records per expectation id, removes them in bulk, and ignores junk in storage', async () => {
    const area = new MemoryStorage();
    area.data.set(STORAGE_KEYS.streamHashes, ['not', 'a', 'map']);
    const store = new StateStore(area);
    expect(await store.streamRecords('results')).toEqual({});
    const cp = {
      expectationId: 'a',
      savedAt: 1,
      checkpoint: { engine: 'hash-wasm', offset: 10, states: { sha256: 'AA==' } },
    };
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
    for (const kind of ['expectations', 'results', 'checkpoints'] as const)
      expect(await store.streamRecords(kind)).toEqual({});
    // A key like __proto__ is just a key.
    await store.setStreamRecord('results', '__proto__', { x: 1 });
    expect(Object.hasOwn(await store.streamRecords('results'), '__proto__')).toBe(true);
  });
});
