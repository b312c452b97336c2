import { describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import {
  KeyValueTrustState,
  MemoryTrustState,
  checkFreshness,
  freshnessKey,
  recordFreshness,
  type TrustState,
  type TrustStore,
} from '../../../src/core/freshness.js';

class JsonStore implements TrustStore {
  text: string | undefined;
  writes = 0;
  async read(): Promise<unknown> {
    return this.text === undefined ? undefined : JSON.parse(this.text);
  }
  async write(value: unknown): Promise<void> {
    this.writes++;
    this.text = JSON.stringify(value);
  }
}

const KEY = freshnessKey('tails', 'Tails', 'stable');

function states(): [string, () => TrustState][] {
  return [
    ['MemoryTrustState', () => new MemoryTrustState()],
    ['KeyValueTrustState', () => new KeyValueTrustState(new JsonStore())],
  ];
}

describe('freshnessKey', () => {
  it('separates profiles, products and channels unambiguously', () => {
    expect(freshnessKey('tails', 'Tails', 'stable')).not.toBe(freshnessKey('tails', 'Tails', 'alpha'));
    expect(freshnessKey('a/b', 'c', 'd')).not.toBe(freshnessKey('a', 'b/c', 'd'));
  });
});

for (const [name, make] of states()) {
  describe(`checkFreshness with ${name}`, () => {
    it('accepts anything when nothing was seen', async () => {
      expect(await checkFreshness(make(), KEY, { version: '4.19', signatureTime: '2021-06-01T00:00:00Z' })).toEqual({
        ok: true,
      });
    });

    it('detects older versions and older signatures; accepts same or newer', async () => {
      const state = make();
      await recordFreshness(state, KEY, { version: '4.19', signatureTime: '2021-06-01T10:00:00.000Z' });
      const check = (version: string, signatureTime: string) => checkFreshness(state, KEY, { version, signatureTime });

      const older = await check('4.18', '2021-07-01T00:00:00Z');
      expect(older.ok).toBe(false);
      if (!older.ok) {
        expect(older.error).toBeInstanceOf(IsoVerifyError);
        expect(older.error.code).toBe('rollback');
        expect(older.seen.version).toBe('4.19');
      }
      // A release candidate of the same number is older than the release.
      expect((await check('4.19~rc1', '2021-07-01T00:00:00Z')).ok).toBe(false);
      // Same version, signature older than the one seen: a replay of superseded signed data.
      const replay = await check('4.19', '2021-05-31T00:00:00Z');
      expect(replay.ok).toBe(false);
      if (!replay.ok) expect(replay.error.detail).toMatch(/older than the one already seen/);
      // Newer version with an older signature is not legitimate either.
      expect((await check('4.20', '2021-05-01T00:00:00Z')).ok).toBe(false);

      expect((await check('4.19', '2021-06-01T10:00:00Z')).ok).toBe(true); // the same data again
      expect((await check('4.19', '2021-06-02T00:00:00Z')).ok).toBe(true); // re-signed later
      expect((await check('4.20', '2021-07-13T00:00:00Z')).ok).toBe(true);
    });

    it('recordFreshness only moves forward', async () => {
      const state = make();
      await recordFreshness(state, KEY, { version: '4.20', signatureTime: '2021-07-13T00:00:00.000Z' });
      await recordFreshness(state, KEY, { version: '4.19', signatureTime: '2021-08-01T00:00:00.000Z' });
      await recordFreshness(state, KEY, { version: '4.20', signatureTime: '2021-07-01T00:00:00.000Z' });
      expect(await state.get(KEY)).toEqual({ version: '4.20', signatureTime: '2021-07-13T00:00:00.000Z' });
      await recordFreshness(state, KEY, { version: '4.21', signatureTime: '2021-08-10T00:00:00.000Z' });
      expect(await state.get(KEY)).toEqual({ version: '4.21', signatureTime: '2021-08-10T00:00:00.000Z' });
      // Other keys are independent.
      expect(await state.get(freshnessKey('tails', 'Tails', 'alpha'))).toBeUndefined();
    });

    it('refuses invalid records', async () => {
      const state = make();
      await expect(state.put(KEY, { version: 'nope!', signatureTime: '2021-01-01T00:00:00Z' })).rejects.toThrow(
        IsoVerifyError,
      );
      await expect(state.put(KEY, { version: '4.19', signatureTime: 'yesterday' })).rejects.toThrow(IsoVerifyError);
    });
  });
}

describe('KeyValueTrustState persistence', () => {
  it('round-trips through the store and keeps other records', async () => {
    const store = new JsonStore();
    const a = new KeyValueTrustState(store);
    await Promise.all([
      a.put(KEY, { version: '4.19', signatureTime: '2021-06-01T00:00:00.000Z' }),
      a.put('demo/Tails/stable', { version: '7.2', signatureTime: '2025-01-01T00:00:00.000Z' }),
      a.put('__proto__', { version: '1.0', signatureTime: '2025-01-01T00:00:00.000Z' }),
    ]);
    const b = new KeyValueTrustState(store);
    expect(await b.get(KEY)).toEqual({ version: '4.19', signatureTime: '2021-06-01T00:00:00.000Z' });
    expect(await b.get('demo/Tails/stable')).toEqual({ version: '7.2', signatureTime: '2025-01-01T00:00:00.000Z' });
    expect(await b.get('__proto__')).toEqual({ version: '1.0', signatureTime: '2025-01-01T00:00:00.000Z' });
    expect(await b.get('toString')).toBeUndefined();
    expect(JSON.parse(store.text!).records[KEY]).toEqual({
      version: '4.19',
      signatureTime: '2021-06-01T00:00:00.000Z',
    });
  });

  it('fails closed on corrupt stored state and never overwrites it', async () => {
    const corrupt: unknown[] = [
      42,
      'text',
      [],
      {},
      { records: [] },
      { records: { [KEY]: { version: '4.19' } } },
      { records: { [KEY]: { version: 4.19, signatureTime: '2021-06-01T00:00:00Z' } } },
      { records: { [KEY]: { version: '4.19', signatureTime: 'not a date' } } },
      { records: { [KEY]: null } },
    ];
    for (const value of corrupt) {
      const store: TrustStore & { writes: number } = {
        writes: 0,
        async read() {
          return value;
        },
        async write() {
          this.writes++;
        },
      };
      const state = new KeyValueTrustState(store);
      await expect(state.get(KEY), JSON.stringify(value)).rejects.toMatchObject({ code: 'input-malformed' });
      await expect(
        checkFreshness(state, KEY, { version: '4.19', signatureTime: '2021-06-01T00:00:00Z' }),
      ).rejects.toMatchObject({
        code: 'input-malformed',
      });
      await expect(state.put(KEY, { version: '4.19', signatureTime: '2021-06-01T00:00:00Z' })).rejects.toMatchObject({
        code: 'input-malformed',
      });
      expect(store.writes).toBe(0);
    }
  });

  it('treats an empty store (undefined or null) as nothing seen', async () => {
    for (const value of [undefined, null]) {
      const state = new KeyValueTrustState({ read: async () => value, write: async () => undefined });
      expect(await state.get(KEY)).toBeUndefined();
    }
  });
});

describe('records only move forward', () => {
  it('keeps the newer record when two verifications finish in either order, in both stores', async () => {
    const { KeyValueTrustState, MemoryTrustState, recordFreshness } = await import('../../../src/core/freshness.js');
    let stored: unknown;
    const kv = new KeyValueTrustState({ read: async () => stored, write: async (v) => void (stored = v) });
    // A second instance over the same storage, like the background and a page sharing one key.
    const other = new KeyValueTrustState({ read: async () => stored, write: async (v) => void (stored = v) });
    for (const state of [new MemoryTrustState(), kv]) {
      await Promise.all([
        recordFreshness(state, 'k', { version: '7.2', signatureTime: '2026-01-02T00:00:00Z' }),
        recordFreshness(state, 'k', { version: '6.0', signatureTime: '2025-01-02T00:00:00Z' }),
      ]);
      expect((await state.get('k'))?.version).toBe('7.2');
    }
    await other.put('k', { version: '7.1', signatureTime: '2026-03-01T00:00:00Z' });
    expect((await kv.get('k'))?.version).toBe('7.2');
    await other.put('k', { version: '7.2', signatureTime: '2026-02-01T00:00:00Z' });
    expect((await kv.get('k'))?.signatureTime).toBe('2026-02-01T00:00:00Z');
  });
});
