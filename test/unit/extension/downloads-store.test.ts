import { describe, expect, it, vi } from 'vitest';
import { DownloadsReader, DownloadsWriter } from '../../../src/extension/downloads-store.js';
import { withFacts, type TrackedDownload } from '../../../src/wire/download.js';
import { downloadKey, STORAGE_KEYS } from '../../../src/extension/storage.js';
import { tracked, verdict } from '../background/fixtures.js';
import { MemoryStorage } from '../background/memory-storage.js';

const AT = '2025-01-01T00:00:01.000Z';

describe('DownloadsWriter', () => {
  it('serialises concurrent updates of one download so none is lost, each in its own key', async () => {
    const area = new MemoryStorage();
    const store = new DownloadsWriter(area);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.update(`dl-${i}`, () => tracked({ id: `dl-${i}`, downloadId: i }))),
    );
    await Promise.all(
      Array.from({ length: 20 }, () =>
        store.update(
          'dl-0',
          (current) => current && withFacts(current, { receivedBytes: current.receivedBytes + 1 }, AT),
        ),
      ),
    );
    expect(await store.list()).toHaveLength(20);
    expect((await store.get('dl-0'))?.receivedBytes).toBe(20);
    expect((area.data.get(downloadKey('dl-0')) as TrackedDownload).receivedBytes).toBe(20);
  });

  it('writes only the record that changed', async () => {
    const area = new MemoryStorage();
    const store = new DownloadsWriter(area);
    await store.update('dl-1', () => tracked({ id: 'dl-1' }));
    await store.update('dl-2', () => tracked({ id: 'dl-2', downloadId: 2 }));
    const changed: string[][] = [];
    area.onChanged.addListener((changes) => changed.push(Object.keys(changes)));
    await store.update('dl-2', (d) => d && withFacts(d, { receivedBytes: 5 }, AT));
    expect(changed).toEqual([['download:dl-2']]);
  });

  it('leaves storage untouched when the updater returns undefined, and removes', async () => {
    const area = new MemoryStorage();
    const store = new DownloadsWriter(area);
    expect(await store.update('dl-1', () => undefined)).toBeUndefined();
    expect(area.writes).toBe(0);
    await store.update('dl-1', () => tracked());
    await store.remove('dl-1');
    await store.remove('dl-1');
    expect(await store.get('dl-1')).toBeUndefined();
    expect(area.data.has(downloadKey('dl-1'))).toBe(false);
  });

  it('a failing update does not block later ones', async () => {
    const store = new DownloadsWriter(new MemoryStorage());
    await expect(
      store.update('dl-1', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await store.update('dl-1', () => tracked());
    expect((await store.get('dl-1'))?.id).toBe('dl-1');
  });

  it('moves records of the one-map layout to their own keys, once', async () => {
    const area = new MemoryStorage();
    const legacyFailed = { ...tracked({ id: 'dl-2', downloadId: 2 }), phase: 'done', error: { code: 'fetch-failed' } };
    area.data.set(STORAGE_KEYS.legacyDownloads, {
      'dl-1': tracked({ id: 'dl-1', phase: 'done', verdict: verdict('verified') }),
      'dl-2': legacyFailed,
      junk: 7,
    });
    const store = new DownloadsWriter(area);
    expect(await store.migrateLegacy()).toBe(2);
    expect(area.data.has(STORAGE_KEYS.legacyDownloads)).toBe(false);
    expect((await store.get('dl-1'))?.phase).toBe('done');
    // A done without a verdict was how a failure was stored: it reads as failed.
    expect(await store.get('dl-2')).toMatchObject({ phase: 'failed', error: { code: 'fetch-failed' } });
    expect(await store.migrateLegacy()).toBe(0);
  });
});

describe('DownloadsReader', () => {
  it('lists only valid download records and ignores other keys and junk', async () => {
    const area = new MemoryStorage();
    area.data.set(downloadKey('dl-1'), tracked({ id: 'dl-1' }));
    area.data.set(downloadKey('dl-2'), { id: 'dl-2', phase: 'bogus' });
    area.data.set(downloadKey('dl-3'), tracked({ id: 'dl-4' })); // stored under another id's key
    area.data.set(STORAGE_KEYS.trustState, { x: 1 });
    expect((await new DownloadsReader(area).list()).map((d) => d.id)).toEqual(['dl-1']);
  });

  it('follows changes one record at a time', async () => {
    const area = new MemoryStorage();
    const writer = new DownloadsWriter(area);
    await writer.update('dl-1', () => tracked({ id: 'dl-1' }));
    const seen: string[][] = [];
    const stop = new DownloadsReader(area, area.onChanged).subscribe((list) =>
      seen.push(list.map((d) => `${d.id}:${d.receivedBytes}`).sort()),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    await writer.update('dl-2', () => tracked({ id: 'dl-2', downloadId: 2 }));
    await writer.update('dl-1', (d) => d && withFacts(d, { receivedBytes: 9 }, AT));
    await area.set({ [STORAGE_KEYS.trustState]: {} }); // not a download: no call
    await writer.remove('dl-2');
    stop();
    await writer.remove('dl-1'); // after unsubscribing: no call
    expect(seen).toEqual([['dl-1:0'], ['dl-1:0', 'dl-2:0'], ['dl-1:9', 'dl-2:0'], ['dl-1:9']]);
  });
});

describe('where records are kept (storage.local or session memory)', () => {
  const DAY = 24 * 60 * 60 * 1000;
  const now = Date.parse('2025-01-10T00:00:00.000Z');

  it('a private download goes to the session area only, and stays there whatever later updates return', async () => {
    const local = new MemoryStorage();
    const session = new MemoryStorage('session');
    const store = new DownloadsWriter(local, { session });
    await store.update('dl-1', () => tracked({ id: 'dl-1', private: true }));
    // An updater that rebuilds the record without the flag cannot move it to disk.
    await store.update(
      'dl-1',
      (d) => d && { ...tracked({ id: 'dl-1', phase: 'done', verdict: verdict('verified') } as never) },
    );
    expect(local.data.size).toBe(0);
    expect(local.writes).toBe(0);
    expect((session.data.get(downloadKey('dl-1')) as TrackedDownload).private).toBe(true);
    expect((await store.get('dl-1'))?.phase).toBe('done');
  });

  it('without a session area a private record is written nowhere', async () => {
    const local = new MemoryStorage();
    const store = new DownloadsWriter(local);
    expect(await store.update('dl-1', () => tracked({ id: 'dl-1', private: true }))).toBeUndefined();
    expect(local.writes).toBe(0);
  });

  it('"keep no history": ordinary records go to session memory, and an earlier one on disk moves there at its next change', async () => {
    const local = new MemoryStorage();
    const session = new MemoryStorage('session');
    let none = false;
    const store = new DownloadsWriter(local, { session, keepNoHistory: () => none });
    await store.update('dl-1', () => tracked({ id: 'dl-1' }));
    expect(local.data.has(downloadKey('dl-1'))).toBe(true);
    none = true;
    await store.update('dl-2', () => tracked({ id: 'dl-2', downloadId: 2 }));
    await store.update('dl-1', (d) => d && withFacts(d, { receivedBytes: 9 }, AT));
    expect([...local.data.keys()]).toEqual([]);
    expect([...session.data.keys()].sort()).toEqual([downloadKey('dl-1'), downloadKey('dl-2')]);
    expect((await store.get('dl-1'))?.receivedBytes).toBe(9);
    await store.remove('dl-1');
    expect(await store.list()).toHaveLength(1);
  });

  it('expire() forgets records on disk unchanged for longer than the kept days, by the injected clock', async () => {
    const local = new MemoryStorage();
    const session = new MemoryStorage('session');
    const store = new DownloadsWriter(local, { session });
    const at = (ms: number) => new Date(ms).toISOString();
    await store.update('dl-1', () =>
      tracked({ id: 'dl-1', phase: 'done', verdict: verdict('verified'), updatedAt: at(now - 8 * DAY) } as never),
    );
    await store.update('dl-2', () =>
      tracked({
        id: 'dl-2',
        downloadId: 2,
        phase: 'done',
        verdict: verdict('verified'),
        updatedAt: at(now - 6 * DAY),
      } as never),
    );
    await store.update('dl-3', () =>
      tracked({ id: 'dl-3', downloadId: 3, private: true, updatedAt: at(now - 30 * DAY) }),
    );
    expect(await store.expire(now, 7)).toBe(1);
    expect((await store.list()).map((d) => d.id).sort()).toEqual(['dl-2', 'dl-3']);
    // A day later the second is due as well; session records are never touched (they end with the session).
    expect(await store.expire(now + 2 * DAY, 7)).toBe(1);
    expect((await store.list()).map((d) => d.id)).toEqual(['dl-3']);
  });

  it('expire() with 0 days forgets every record on disk that is not being worked on', async () => {
    const local = new MemoryStorage();
    const store = new DownloadsWriter(local, { session: new MemoryStorage('session') });
    await store.update('dl-1', () =>
      tracked({
        id: 'dl-1',
        phase: 'done',
        verdict: verdict('verified'),
        updatedAt: new Date(now).toISOString(),
      } as never),
    );
    await store.update('dl-2', () =>
      tracked({ id: 'dl-2', downloadId: 2, phase: 'hashing', updatedAt: new Date(now).toISOString() }),
    );
    expect(await store.expire(now, 0)).toBe(1);
    expect((await store.list()).map((d) => d.id)).toEqual(['dl-2']);
  });

  it('the reader merges both areas, follows changes in either, and shows only what `visible` accepts', async () => {
    const local = new MemoryStorage();
    const session = new MemoryStorage('session');
    const store = new DownloadsWriter(local, { session });
    await store.update('dl-1', () => tracked({ id: 'dl-1' }));
    await store.update('dl-2', () => tracked({ id: 'dl-2', downloadId: 2, private: true }));
    const events = {
      addListener: (l: Parameters<typeof local.onChanged.addListener>[0]) => {
        local.onChanged.addListener(l);
        session.onChanged.addListener(l);
      },
      removeListener: (l: Parameters<typeof local.onChanged.removeListener>[0]) => {
        local.onChanged.removeListener(l);
        session.onChanged.removeListener(l);
      },
    };
    const everything = new DownloadsReader([local, session], events);
    expect((await everything.list()).map((d) => d.id).sort()).toEqual(['dl-1', 'dl-2']);
    const ordinaryOnly = new DownloadsReader([local, session], events, { visible: (d) => d.private !== true });
    expect((await ordinaryOnly.list()).map((d) => d.id)).toEqual(['dl-1']);
    expect(await ordinaryOnly.get('dl-2')).toBeUndefined();
    const seen: string[][] = [];
    const stop = new DownloadsReader([local, session], events, { visible: (d) => d.private === true }).subscribe(
      (list) => seen.push(list.map((d) => d.id)),
    );
    await vi.waitFor(() => expect(seen).toEqual([['dl-2']]));
    await store.update('dl-3', () => tracked({ id: 'dl-3', downloadId: 3, private: true }));
    await store.update('dl-4', () => tracked({ id: 'dl-4', downloadId: 4 }));
    expect(seen.at(-1)?.sort()).toEqual(['dl-2', 'dl-3']);
    stop();
  });

  it('an area a content script may not read (storage.session in Firefox) counts as empty', async () => {
    const local = new MemoryStorage();
    await new DownloadsWriter(local).update('dl-1', () => tracked({ id: 'dl-1' }));
    const denied = { get: async () => Promise.reject(new Error('storage.session is not available here')) };
    expect((await new DownloadsReader([local, denied]).list()).map((d) => d.id)).toEqual(['dl-1']);
  });
});
