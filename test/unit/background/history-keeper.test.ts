import { describe, expect, it } from 'vitest';
import { HistoryKeeper } from '../../../src/background/history-keeper.js';
import { DownloadsWriter } from '../../../src/extension/downloads-store.js';
import { DAY_MS } from '../../../src/extension/history.js';
import { STORAGE_KEYS } from '../../../src/extension/storage.js';
import { tracked, verdict } from './fixtures.js';
import { MemoryStorage } from './memory-storage.js';

describe('HistoryKeeper', () => {
  it('applies the stored setting with the injected clock, and a changed setting at once', async () => {
    let now = Date.parse('2025-05-01T00:00:00.000Z');
    const local = new MemoryStorage();
    const session = new MemoryStorage('session');
    const keeper: HistoryKeeper = new HistoryKeeper({
      area: local,
      downloads: { expire: (n, d) => downloads.expire(n, d) },
      nowMs: () => now,
    });
    const downloads = new DownloadsWriter(local, { session, keepNoHistory: () => keeper.keepsNoHistory() });
    await local.set({ [STORAGE_KEYS.history]: { keepDays: 3 } });
    await downloads.update('dl-1', () =>
      tracked({
        id: 'dl-1',
        phase: 'done',
        verdict: verdict('verified'),
        updatedAt: new Date(now).toISOString(),
      } as never),
    );
    expect(await keeper.expire()).toBe(0);
    now += 3 * DAY_MS + 1;
    expect(await keeper.expire()).toBe(1);
    await downloads.update('dl-2', () =>
      tracked({
        id: 'dl-2',
        downloadId: 2,
        phase: 'done',
        verdict: verdict('verified'),
        updatedAt: new Date(now).toISOString(),
      } as never),
    );
    expect(local.data.has('download:dl-2')).toBe(true);
    // "Keep no history": what is on disk goes now, and new records never reach it.
    expect(await keeper.onStorageChanged({ [STORAGE_KEYS.history]: { newValue: { keepDays: 0 } } })).toBe(1);
    await downloads.update('dl-3', () => tracked({ id: 'dl-3', downloadId: 3 }));
    expect([...local.data.keys()]).toEqual([STORAGE_KEYS.history]);
    expect([...session.data.keys()]).toEqual(['download:dl-3']);
  });
});
