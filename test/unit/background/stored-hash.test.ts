import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadHashResult, storeHashResult } from '../../../src/background/stored-hash.js';
import { toHex } from '../../../src/core/bytes.js';
import { IncrementalHash } from '../../../src/core/hash/incremental-hash.js';
import { wasmEngine } from '../../../src/core/hash/wasm-engine.js';
import { prngBytes } from '../hash/helpers.js';

describe('stored hash results', () => {
  it('survive storage: digests and continuations that finish with a suffix', async () => {
    const data = prngBytes(100_000, 7);
    const hash = await IncrementalHash.create(['sha256', 'sha512'], wasmEngine);
    hash.update(data);
    const stored = storeHashResult(hash.finish(), wasmEngine, 'https://m/x.img', '2025-01-01T00:00:00Z');
    const loaded = await loadHashResult(structuredClone(stored), wasmEngine);
    expect(loaded.bytes).toBe(100_000);
    expect(loaded.digests.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    const suffix = new Uint8Array([1, 2, 3]);
    const cont = loaded.continuations.sha512!;
    cont.update(suffix);
    expect(toHex(cont.digest())).toBe(createHash('sha512').update(data).update(suffix).digest('hex'));
  });

  it('rejects anything malformed with hash-state-invalid', async () => {
    const hash = await IncrementalHash.create(['sha256'], wasmEngine);
    hash.update(new Uint8Array([1]));
    const good = storeHashResult(hash.finish(), wasmEngine, 'u', 't');
    const bad: unknown[] = [
      null,
      'x',
      { ...good, engine: 'other' },
      { ...good, bytes: -1 },
      { ...good, url: undefined },
      { ...good, states: {} },
      { ...good, digests: {}, states: {} },
    ];
    for (const value of bad) {
      await expect(loadHashResult(value, wasmEngine)).rejects.toMatchObject({ code: 'hash-state-invalid' });
    }
  });

  it('derives the digests from the saved states, ignoring digests stored beside them', async () => {
    const hash = await IncrementalHash.create(['sha256'], wasmEngine);
    hash.update(new Uint8Array([1]));
    const result = hash.finish();
    const stored = storeHashResult(result, wasmEngine, 'u', 't');
    const loaded = await loadHashResult({ ...stored, digests: { sha256: '0'.repeat(64) } }, wasmEngine);
    expect(loaded.digests.sha256).toBe(result.digests.sha256);
  });
});
