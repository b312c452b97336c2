import { describe, expect, it } from 'vitest';
import { alternativeMirrorUrl, MaterialCache } from '../../../src/background/verification.js';
import { mirrorLayoutOf } from '../../../src/core/release/mirrors.js';
import { BUILTIN_PROFILES } from '../../../src/core/profiles/builtin.js';

const TAILS_LAYOUT = mirrorLayoutOf(BUILTIN_PROFILES.tails);
import { hashLocalFile } from '../../../src/background/chromium/chrome-file.js';
import { getProfile } from '../../../src/core/profiles/builtin.js';
import { IsoVerifyError } from '../../../src/core/errors.js';
import type { Fetcher } from '../../../src/core/net/types.js';
import { createHash } from 'node:crypto';
import { prngBytes } from '../hash/helpers.js';
import { verdict } from './fixtures.js';

const pool = [
  { urlPrefix: 'https://used.example/tails/', TAILS_LAYOUT, weight: 10 },
  { urlPrefix: 'https://other.example/tails/', weight: 1 },
  { urlPrefix: 'https://disabled.example/tails/', weight: 0 },
];

describe('alternativeMirrorUrl', () => {
  it('offers another enabled mirror after a mismatch, never the one used', () => {
    for (const r of [0, 0.5, 0.99]) {
      expect(
        alternativeMirrorUrl(verdict('mismatch'), pool, 'https://used.example/tails/', TAILS_LAYOUT, () => r),
      ).toBe('https://other.example/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img');
    }
  });

  it('offers nothing for other verdicts or when no mirror is left', () => {
    expect(
      alternativeMirrorUrl(verdict('verified'), pool, 'https://used.example/tails/', TAILS_LAYOUT),
    ).toBeUndefined();
    expect(
      alternativeMirrorUrl(verdict('mismatch'), pool.slice(0, 1), 'https://used.example/tails/', TAILS_LAYOUT),
    ).toBeUndefined();
  });
});

describe('MaterialCache', () => {
  const NAME = 'tails-amd64-7.2.img';
  /** A site that answers every URL, or fails every URL while `down` is set. */
  function site() {
    const state = { down: false, calls: [] as string[] };
    const fetcher: Fetcher = async (url) => {
      state.calls.push(url);
      if (state.down) throw new IsoVerifyError('fetch-failed', url);
      return { bytes: new TextEncoder().encode(`bytes of ${url}`), source: url, fetchedAt: '2025-01-01T00:00:00.000Z' };
    };
    return { state, fetcher };
  }

  it('fetches once per file and again when stale or forgotten', async () => {
    let now = 0;
    const { state, fetcher } = site();
    const cache = new MaterialCache(getProfile('demo'), fetcher, () => now, 1000);
    const a = await cache.get(NAME);
    const count = state.calls.length;
    expect(count).toBeGreaterThan(0);
    expect(a.fileName).toBe(NAME);
    await cache.get(NAME);
    expect(state.calls.length).toBe(count);
    now = 2000;
    await cache.get(NAME);
    expect(state.calls.length).toBe(2 * count);
    cache.forget(NAME);
    await cache.get(NAME);
    expect(state.calls.length).toBe(3 * count);
  });

  it('does not keep a failed fetch: the next verification fetches again', async () => {
    const { state, fetcher } = site();
    const cache = new MaterialCache(getProfile('demo'), fetcher, () => 0, 60 * 60 * 1000);
    state.down = true;
    // Two callers while the fetch runs share it, failure included.
    const [first, shared] = await Promise.all([cache.get(NAME), cache.get(NAME)]);
    expect(shared).toBe(first);
    expect(first.description.record.error?.code).toBe('fetch-failed');
    const count = state.calls.length;
    state.down = false;
    const second = await cache.get(NAME);
    expect(state.calls.length).toBe(2 * count);
    expect(second.description.record.error).toBeUndefined();
    // A complete one is kept.
    await cache.get(NAME);
    expect(state.calls.length).toBe(2 * count);
  });

  it('does not keep a fetch of which one input failed', async () => {
    const calls: string[] = [];
    const fetcher: Fetcher = async (url) => {
      calls.push(url);
      if (url.endsWith('.sig')) throw new IsoVerifyError('fetch-timeout', url);
      return { bytes: new Uint8Array(4), source: url, fetchedAt: '2025-01-01T00:00:00.000Z' };
    };
    const cache = new MaterialCache(getProfile('demo'), fetcher, () => 0, 60 * 60 * 1000);
    await cache.get(NAME);
    const count = calls.length;
    await cache.get(NAME);
    expect(calls.length).toBe(2 * count);
  });
});

describe('hashLocalFile', () => {
  it('streams a file:// body through both hashes', async () => {
    const data = prngBytes(3 << 20, 11);
    const seen: string[] = [];
    const fetchImpl = (async (url: string) => {
      seen.push(url);
      return new Response(new Blob([data]).stream());
    }) as unknown as typeof fetch;
    const result = await hashLocalFile('/home/u/Downloads/tails amd64.img', { fetchImpl, total: data.length });
    expect(seen).toEqual(['file:///home/u/Downloads/tails%20amd64.img']);
    expect(result.bytes).toBe(data.length);
    expect(result.digests.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(result.digests.sha512).toBe(createHash('sha512').update(data).digest('hex'));
  });

  it('reports an unreadable file as io-failed', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(hashLocalFile('/nope.img', { fetchImpl: failing })).rejects.toMatchObject({ code: 'io-failed' });
    const notFound = (async () => new Response(null, { status: 404 })) as unknown as typeof fetch;
    await expect(hashLocalFile('/nope.img', { fetchImpl: notFound })).rejects.toMatchObject({ code: 'io-failed' });
  });
});
