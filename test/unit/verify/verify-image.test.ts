/**
 * The one verification pipeline (src/core/verify/pipeline.ts) itself: fetching and hashing run
 * together and a failure of either aborts the other, the trust updates are written once and
 * only for what was decided, the reproducers are asked only when asked for and only for a
 * verdict that allows it, and every failure is a typed error.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import { MemoryTrustState, type FreshnessRecord, type TrustState } from '../../../src/core/freshness.js';
import type { HashResult } from '../../../src/core/hash/types.js';
import type { Fetcher } from '../../../src/core/net/types.js';
import { BUILTIN_PROFILES } from '../../../src/core/profiles/builtin.js';
import {
  bothOrNeither,
  fetchReleaseMaterial,
  verifyImage,
  type VerifyImageInput,
} from '../../../src/core/verify/index.js';
import {
  DESCRIPTION_URL,
  MemorySite,
  SITE,
  at,
  createDemoSigner,
  describe,
  hashBytes,
  imageBytes,
  type DemoSigner,
} from './demo-release.js';

const demo = BUILTIN_PROFILES.demo;
const NAME = 'tails-amd64-7.2.img';
const NOW = at(60 * 24 * 30);
const DEMO_PUBLIC_KEY = readFileSync(new URL('../../../profiles/keys/demo-signing.asc', import.meta.url), 'utf8');

let signer: DemoSigner;
let image: Uint8Array;
let hashed: HashResult;
let site: MemorySite;

beforeAll(async () => {
  signer = await createDemoSigner();
  image = imageBytes(1024 * 1024 + 3, 5);
  hashed = await hashBytes(image);
  const description = await describe([{ version: '7.2', type: 'img', bytes: image }]);
  site = new MemorySite()
    .set(DESCRIPTION_URL, description)
    .set(`${DESCRIPTION_URL}.sig`, await signer.sign(description, at(120)))
    .set(`${SITE}/torrents/files/${NAME}.sig`, await signer.sign(image, at(100)))
    .set(`${SITE}/demo-signing.key`, DEMO_PUBLIC_KEY);
});
afterAll(async () => {
  await signer?.cleanup();
});

/** A trust state that counts its writes. */
class CountingTrustState implements TrustState {
  readonly puts: Array<{ key: string; record: FreshnessRecord }> = [];
  private readonly inner = new MemoryTrustState();
  get(key: string) {
    return this.inner.get(key);
  }
  async put(key: string, record: FreshnessRecord) {
    this.puts.push({ key, record });
    await this.inner.put(key, record);
  }
}

/** Rebuilders that answer nothing, counting what they are asked. */
function rebuilders(): { asked: string[]; fetcher: Fetcher } {
  const asked: string[] = [];
  return {
    asked,
    fetcher: async (url) => {
      asked.push(url);
      throw new IsoVerifyError('fetch-http-status', `HTTP 404 for ${url}`);
    },
  };
}

/** A fetcher that never answers until its signal aborts; `seen` says whether it was aborted. */
function hangingFetcher(): { fetcher: Fetcher; seen: { started: number; aborted: boolean } } {
  const seen = { started: 0, aborted: false };
  const fetcher: Fetcher = (url, options) =>
    new Promise((_resolve, reject) => {
      seen.started += 1;
      options.signal?.addEventListener('abort', () => {
        seen.aborted = true;
        reject(new IsoVerifyError('aborted', url));
      });
    });
  return { fetcher, seen };
}

function input(overrides: Partial<VerifyImageInput> = {}): VerifyImageInput {
  return {
    profile: demo,
    fileName: NAME,
    material: { fetcher: site.fetcher },
    hash: hashed,
    store: { rollback: new MemoryTrustState() },
    now: NOW,
    ...overrides,
  };
}

group('verifyImage: material and hash together', () => {
  it('verifies with material fetched here, given as a value, or as a promise, and with the hash as a value, a promise or the hashing itself', async () => {
    const material = await fetchReleaseMaterial(demo, NAME, site.fetcher);
    for (const source of [{ fetcher: site.fetcher }, { material }, { material: Promise.resolve(material) }]) {
      for (const hash of [hashed, Promise.resolve(hashed), async () => hashed]) {
        const { verdict } = await verifyImage(input({ material: source, hash }));
        expect(verdict.kind).toBe('verified');
      }
    }
  });

  it("a failing hash aborts the fetch, and the hash's own typed error is thrown", async () => {
    const { fetcher, seen } = hangingFetcher();
    const state = new CountingTrustState();
    const run = verifyImage(
      input({
        material: { fetcher },
        hash: async () => Promise.reject(new IsoVerifyError('io-failed', 'unreadable')),
        store: { rollback: state },
      }),
    );
    await expect(run).rejects.toMatchObject({ name: 'IsoVerifyError', code: 'io-failed' });
    expect(seen.started).toBeGreaterThan(0);
    expect(seen.aborted).toBe(true);
    expect(state.puts).toEqual([]);
  });

  it('a failing material source aborts the hashing, and its typed error is thrown', async () => {
    let hashSignal: AbortSignal | undefined;
    const hash = (signal: AbortSignal) => {
      hashSignal = signal;
      return new Promise<HashResult>((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new IsoVerifyError('aborted', 'hashing'))),
      );
    };
    const run = verifyImage(
      input({ material: { material: Promise.reject(new IsoVerifyError('fetch-failed', 'cache')) }, hash }),
    );
    await expect(run).rejects.toMatchObject({ code: 'fetch-failed' });
    expect(hashSignal?.aborted).toBe(true);
  });

  it("the caller's abort stops both sides and records nothing", async () => {
    const { fetcher, seen } = hangingFetcher();
    const controller = new AbortController();
    let hashSignal: AbortSignal | undefined;
    const state = new CountingTrustState();
    const run = verifyImage(
      input({
        material: { fetcher },
        hash: (signal) => {
          hashSignal = signal;
          return new Promise<HashResult>((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(new IsoVerifyError('aborted', 'hashing'))),
          );
        },
        store: { rollback: state },
        signal: controller.signal,
      }),
    );
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(seen.aborted).toBe(true);
    expect(hashSignal?.aborted).toBe(true);
    expect(state.puts).toEqual([]);
  });

  it('aborted once hashed: nothing is decided or recorded', async () => {
    const controller = new AbortController();
    const state = new CountingTrustState();
    const run = verifyImage(
      input({ store: { rollback: state }, signal: controller.signal, onHashed: () => controller.abort() }),
    );
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(state.puts).toEqual([]);
  });

  it('errors are typed: an untyped failure is internal, a DOM AbortError is aborted', async () => {
    await expect(verifyImage(input({ hash: async () => Promise.reject(new Error('boom')) }))).rejects.toMatchObject({
      name: 'IsoVerifyError',
      code: 'internal',
    });
    const abortError = Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    await expect(verifyImage(input({ hash: async () => Promise.reject(abortError) }))).rejects.toMatchObject({
      name: 'IsoVerifyError',
      code: 'aborted',
    });
    // A hashing function that throws instead of rejecting is a failure like any other.
    const throwing = (() => {
      throw new IsoVerifyError('io-failed', 'sync');
    }) as unknown as VerifyImageInput['hash'];
    await expect(verifyImage(input({ hash: throwing }))).rejects.toMatchObject({ code: 'io-failed' });
  });

  it('bothOrNeither gives both results when both succeed', async () => {
    expect(
      await bothOrNeither(
        undefined,
        async () => 1,
        async () => 'two',
      ),
    ).toEqual([1, 'two']);
  });
});

group('verifyImage: trust updates', () => {
  it("writes a verified decision's updates once, and returns them", async () => {
    const state = new CountingTrustState();
    const result = await verifyImage(input({ store: { rollback: state } }));
    expect(result.verdict.kind).toBe('verified');
    expect(result.trustUpdates.length).toBeGreaterThan(0);
    expect(state.puts).toEqual(result.trustUpdates.map((u) => ({ key: u.key, record: u.record })));
    for (const update of result.trustUpdates) expect(await state.get(update.key)).toEqual(update.record);
  });

  it('writes nothing for a verdict that is not verified', async () => {
    const state = new CountingTrustState();
    const changed = image.slice();
    changed[10] = changed[10]! ^ 1;
    const result = await verifyImage(input({ hash: await hashBytes(changed), store: { rollback: state } }));
    expect(result.verdict.kind).toBe('mismatch');
    expect(result.trustUpdates).toEqual([]);
    expect(state.puts).toEqual([]);
  });

  it('reads the store it writes: a replayed older signature afterwards is a rollback', async () => {
    const state = new MemoryTrustState();
    expect((await verifyImage(input({ store: { rollback: state } }))).verdict.kind).toBe('verified');
    const description = site.files.get(DESCRIPTION_URL)!;
    const older = new MemorySite();
    for (const [url, bytes] of site.files) older.set(url, bytes);
    older.set(`${DESCRIPTION_URL}.sig`, await signer.sign(description, at(60)));
    const replay = await verifyImage(input({ material: { fetcher: older.fetcher }, store: { rollback: state } }));
    expect(replay.verdict).toMatchObject({ kind: 'unverifiable', reason: 'rollback' });
    expect(replay.trustUpdates).toEqual([]);
  });
});

group('verifyImage: reproducers', () => {
  it('are not asked unless asked for', async () => {
    const result = await verifyImage(input());
    expect(result.verdict.kind).toBe('verified');
    expect(result.repro).toBeUndefined();
  });

  it("are asked for a verified file, after the verdict, with the person's settings read then", async () => {
    const r = rebuilders();
    let personRead = 0;
    const result = await verifyImage(
      input({ repro: { fetcher: r.fetcher, person: async () => ((personRead += 1), undefined) } }),
    );
    expect(result.verdict.kind).toBe('verified');
    const status = await result.repro;
    expect(personRead).toBe(1);
    expect(status?.rebuilders.length).toBe(demo.rebuilders.length);
    expect(status?.met).toBe(false);
    expect(r.asked.length).toBeGreaterThan(0);
  });

  it('are never asked about a verdict that does not allow it', async () => {
    const r = rebuilders();
    const changed = image.slice();
    changed[10] = changed[10]! ^ 1;
    const result = await verifyImage(input({ hash: await hashBytes(changed), repro: { fetcher: r.fetcher } }));
    expect(result.verdict.kind).toBe('mismatch');
    expect(await result.repro).toBeUndefined();
    expect(r.asked).toEqual([]);
  });

  it('a failing check leaves the verdict and never rejects', async () => {
    const r = rebuilders();
    const result = await verifyImage(
      input({ repro: { fetcher: r.fetcher, person: async () => Promise.reject(new Error('storage gone')) } }),
    );
    expect(result.verdict.kind).toBe('verified');
    await expect(result.repro).resolves.toBeUndefined();
  });
});
