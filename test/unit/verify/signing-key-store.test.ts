/**
 * The refreshed signing key kept next to the rollback records (src/core/freshness.ts): one
 * pure interface (TrustState.getSigningKey/putSigningKey) that every store implements, in the
 * same stored value or in a separate one (the CLI's signing-keys.json, the extension's
 * storage key), never losing the rollback records, refusing corrupt data.
 */
import { describe, expect, it } from 'vitest';
import {
  KeyValueTrustState,
  MemoryTrustState,
  type StoredSigningKey,
  type TrustStore,
} from '../../../src/core/freshness.js';

const KEY: StoredSigningKey = {
  keys: ['-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxx\n-----END PGP PUBLIC KEY BLOCK-----\n'],
  refreshedAt: '2026-12-07T02:00:00.000Z',
  signingUntil: '2028-01-13T00:00:00.000Z',
};

function memoryStore(initial?: unknown): TrustStore & { value: unknown } {
  const store = { value: initial, read: async () => store.value, write: async (v: unknown) => void (store.value = v) };
  return store;
}

describe('kept signing keys', () => {
  it('MemoryTrustState keeps a copy', async () => {
    const state = new MemoryTrustState();
    expect(await state.getSigningKey('tails')).toBeUndefined();
    await state.putSigningKey('tails', KEY);
    expect(await state.getSigningKey('tails')).toEqual(KEY);
  });

  it('in the same stored value, the rollback records are kept both ways', async () => {
    const store = memoryStore();
    const state = new KeyValueTrustState(store);
    await state.put('tails/Tails/stable', { signatureTime: '2026-11-01T00:00:00Z' });
    await state.putSigningKey('tails', KEY);
    await state.put('tails/Tails/stable', { signatureTime: '2026-12-01T00:00:00Z' });
    expect(await state.getSigningKey('tails')).toEqual(KEY);
    expect(await state.get('tails/Tails/stable')).toEqual({ signatureTime: '2026-12-01T00:00:00Z' });
  });

  it('in a separate store (CLI file, extension key), the records store never sees the key', async () => {
    const records = memoryStore();
    const keys = memoryStore();
    const state = new KeyValueTrustState(records, keys);
    await state.putSigningKey('tails', KEY);
    await state.put('k', { signatureTime: '2026-11-01T00:00:00Z' });
    expect(JSON.stringify(records.value)).not.toContain('PGP');
    expect(keys.value).toEqual({ signingKeys: { tails: KEY } });
    expect(await state.getSigningKey('tails')).toEqual(KEY);
  });

  it('corrupt kept keys are refused (input-malformed), not silently used', async () => {
    const state = new KeyValueTrustState(
      memoryStore({ records: {}, signingKeys: { tails: { keys: 'no', refreshedAt: 'x' } } }),
    );
    await expect(state.getSigningKey('tails')).rejects.toMatchObject({ code: 'input-malformed' });
    await expect(
      new MemoryTrustState().putSigningKey('tails', { ...KEY, refreshedAt: 'yesterday' }),
    ).rejects.toMatchObject({ code: 'input-malformed' });
  });
});

describe('a corrupt kept key', () => {
  it('is replaced by the next refresh', async () => {
    const store = memoryStore({ records: {}, signingKeys: { tails: { keys: 'no' } } });
    const state = new KeyValueTrustState(store);
    await state.putSigningKey('tails', KEY);
    expect(await state.getSigningKey('tails')).toEqual(KEY);
  });
});
