import { describe, expect, it } from 'vitest';
import {
  MIRROR_POOL_MAX_AGE_MS,
  MIRROR_POOL_RETRY_MS,
  MirrorPoolCache,
  type CachedMirrorPool,
} from '../../../src/background/mirror-pool-cache.js';
import { IsoVerifyError } from '../../../src/core/errors.js';
import type { Fetcher } from '../../../src/core/net/types.js';

const POOL_A = JSON.stringify({ mirrors: [{ url_prefix: 'https://a.example/tails/', weight: 1 }] });
const POOL_B = JSON.stringify({ mirrors: [{ url_prefix: 'https://b.example/tails/', weight: 1 }] });

function setup(responses: (string | Error)[], stored?: unknown, redirectTo?: string) {
  let now = 1_000_000_000_000;
  let saved: unknown = stored;
  const calls: string[] = [];
  const fetcher: Fetcher = async (url) => {
    calls.push(url);
    const next = responses.shift();
    if (next === undefined || next instanceof Error) throw next ?? new IsoVerifyError('fetch-failed', url);
    return { source: redirectTo ?? url, bytes: new TextEncoder().encode(next), fetchedAt: new Date(now).toISOString() };
  };
  const cache = new MirrorPoolCache({
    profile: { mirrorPoolUrl: 'https://tails.net/mirrors.json', officialSite: 'https://tails.net' },
    fetcher,
    read: async () => saved,
    write: async (value: CachedMirrorPool) => {
      saved = value;
    },
    now: () => now,
  });
  return { cache, calls, saved: () => saved, advance: (ms: number) => (now += ms), now: () => now };
}

describe('MirrorPoolCache', () => {
  it('fetches once, caches with its time, refreshes when stale', async () => {
    const t = setup([POOL_A, POOL_B]);
    expect((await t.cache.get()).map((m) => m.urlPrefix)).toEqual(['https://a.example/tails/']);
    expect((t.saved() as CachedMirrorPool).text).toBe(POOL_A);
    await t.cache.get();
    expect(t.calls).toHaveLength(1);
    t.advance(MIRROR_POOL_MAX_AGE_MS + 1);
    expect((await t.cache.get()).map((m) => m.urlPrefix)).toEqual(['https://b.example/tails/']);
    expect(t.calls).toHaveLength(2);
  });

  it('uses a fresh stored pool without the network', async () => {
    const t = setup([], undefined);
    const stored: CachedMirrorPool = { fetchedAt: new Date(t.now()).toISOString(), source: 's', text: POOL_B };
    const t2 = setup([], stored);
    expect((await t2.cache.get()).map((m) => m.urlPrefix)).toEqual(['https://b.example/tails/']);
    expect(t2.calls).toHaveLength(0);
    expect(await t.cache.cached()).toEqual([]);
  });

  it('keeps the last good pool when a refresh fails, and backs off', async () => {
    const t = setup([POOL_A, new IsoVerifyError('fetch-failed', 'x')]);
    await t.cache.get();
    t.advance(MIRROR_POOL_MAX_AGE_MS + 1);
    expect((await t.cache.get()).map((m) => m.urlPrefix)).toEqual(['https://a.example/tails/']);
    expect(t.cache.lastError?.code).toBe('fetch-failed');
    await t.cache.get();
    expect(t.calls).toHaveLength(2);
    t.advance(MIRROR_POOL_RETRY_MS + 1);
    await t.cache.get();
    expect(t.calls).toHaveLength(3);
  });

  it('never trusts a malformed pool, fetched or stored', async () => {
    const t = setup(['{"mirrors": [{"url_prefix": "javascript:alert(1)", "weight": 1}]}'], {
      fetchedAt: 'x',
      source: 's',
      text: '{',
    });
    expect(await t.cache.get()).toEqual([]);
    expect(t.cache.lastError?.code).toBe('mirror-pool-malformed');
  });

  it('refuses a pool that a redirect took off the official site', async () => {
    const t = setup([POOL_A], undefined, 'https://attacker.example/mirrors.json');
    expect(await t.cache.get()).toEqual([]);
    expect(t.cache.lastError?.code).toBe('fetch-insecure-url');
  });
});
