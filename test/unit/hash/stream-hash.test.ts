import { describe, expect, it } from 'vitest';
import { nativeEngine } from '../../../src/cli/native-engine.js';
import { toHex } from '../../../src/core/bytes.js';
import { IsoVerifyError } from '../../../src/core/errors.js';
import {
  hashStream,
  IncrementalHash,
  wasmEngine,
  type HashCheckpoint,
  type HashProgress,
} from '../../../src/core/hash/index.js';
import { fromChunks, nodeDigest, prng, prngBytes, splitEvery, splitRandomly, streamOf } from './helpers.js';

const MIB = 1024 * 1024;

async function expectCode(promise: Promise<unknown>, code: string): Promise<IsoVerifyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IsoVerifyError);
  expect((error as IsoVerifyError).code).toBe(code);
  return error as IsoVerifyError;
}

function expected(data: Uint8Array) {
  return { sha256: nodeDigest('sha256', data), sha512: nodeDigest('sha512', data) };
}

describe('hashStream digests equal node:crypto', () => {
  const next = prng(0x5eed);
  const randomSizes = [next(20 * MIB), next(20 * MIB), 4 * MIB + next(MIB)];
  const sizes = [0, 1, 63, 64, 65, 127, 128, 129, MIB - 1, MIB, MIB + 1, ...randomSizes];

  it.each(sizes)('size %i: one chunk, random splits, ReadableStream', async (size) => {
    const data = prngBytes(size, size + 7);
    const want = expected(data);
    const splits: Uint8Array[][] = [
      [data],
      splitRandomly(data, size + 1, 300_000),
      splitRandomly(data, size + 2, 3 * MIB),
      splitEvery(data, 65_536),
    ];
    for (const chunks of splits) {
      const viaIterable = await hashStream(fromChunks(chunks), { algorithms: ['sha256', 'sha512'] });
      expect(viaIterable.digests).toEqual(want);
      expect(viaIterable.bytes).toBe(size);
    }
    const viaStream = await hashStream(streamOf(splitRandomly(data, size + 3, MIB)), {
      algorithms: ['sha256', 'sha512'],
      chunkSize: MIB,
    });
    expect(viaStream.digests).toEqual(want);
  });

  it('1-byte chunks for small inputs', async () => {
    for (const size of [0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 300]) {
      const data = prngBytes(size, size + 11);
      const result = await hashStream(fromChunks(splitEvery(data, 1)), { algorithms: ['sha256', 'sha512'] });
      expect(result.digests).toEqual(expected(data));
    }
  });

  it('requesting one algorithm returns only it', async () => {
    const data = prngBytes(1000, 3);
    const result = await hashStream(fromChunks([data]), { algorithms: ['sha512'] });
    expect(result.digests).toEqual({ sha512: nodeDigest('sha512', data) });
    expect(Object.keys(result.continuations)).toEqual(['sha512']);
  });

  it("does not alter the caller's chunks", async () => {
    const data = prngBytes(3 * MIB + 5, 9);
    const copy = data.slice();
    await hashStream(fromChunks(splitRandomly(data, 4, 100_000)), { algorithms: ['sha256'] });
    expect(Buffer.compare(data, copy)).toBe(0);
  });

  it('rejects bad options and bad chunks', async () => {
    await expectCode(hashStream(fromChunks([]), { algorithms: [] }), 'input-invalid-value');
    await expectCode(hashStream(fromChunks([]), { algorithms: ['sha1' as 'sha256'] }), 'input-invalid-value');
    await expectCode(hashStream(fromChunks([]), { algorithms: ['sha256'], chunkSize: 1000 }), 'input-invalid-value');
    await expectCode(hashStream(fromChunks([]), { algorithms: ['sha256'], chunkSize: 5 * MIB }), 'input-invalid-value');
    await expectCode(
      hashStream(fromChunks(['text' as unknown as Uint8Array]), { algorithms: ['sha256'] }),
      'input-wrong-type',
    );
    await expectCode(hashStream({} as AsyncIterable<Uint8Array>, { algorithms: ['sha256'] }), 'input-wrong-type');
  });

  it('a failing source is io-failed', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(10);
      throw new Error('disk gone');
    }
    const e = await expectCode(hashStream(failing(), { algorithms: ['sha256'] }), 'io-failed');
    expect(e.detail).toContain('disk gone');
  });
});

describe('continuations', () => {
  it.each([[0], [1], [63], [64], [1000], [MIB + 3]])(
    'digest(data || suffix) via continuation, size %i',
    async (size) => {
      const data = prngBytes(size, size + 21);
      const suffix = prngBytes(38, 99); // e.g. an OpenPGP v4 trailer
      for (const engine of [wasmEngine, nativeEngine]) {
        const result = await hashStream(fromChunks([data]), { algorithms: ['sha256', 'sha512'], engine });
        expect(result.digests).toEqual(expected(data));
        for (const algorithm of ['sha256', 'sha512'] as const) {
          const continuation = result.continuations[algorithm]!;
          // A clone per signature must not disturb the continuation itself.
          const first = continuation.clone();
          first.update(suffix);
          expect(toHex(first.digest())).toBe(nodeDigest(algorithm, data, suffix));
          const other = continuation.clone();
          other.update(suffix.subarray(0, 5));
          continuation.update(suffix);
          expect(toHex(other.digest())).toBe(nodeDigest(algorithm, data, suffix.subarray(0, 5)));
          expect(toHex(continuation.digest())).toBe(nodeDigest(algorithm, data, suffix));
        }
      }
    },
  );

  it('interleaved wasm hashers of one algorithm stay independent', async () => {
    const a = prngBytes(5000, 1);
    const b = prngBytes(7000, 2);
    const ha = await wasmEngine.create('sha256');
    const hb = await wasmEngine.create('sha256');
    for (let i = 0; i < 10; i++) {
      ha.update(a.subarray(i * 500, (i + 1) * 500));
      hb.update(b.subarray(i * 700, (i + 1) * 700));
    }
    const snapshot = hb.saveState!();
    const restored = await wasmEngine.restore!('sha256', snapshot);
    expect(toHex(ha.digest())).toBe(nodeDigest('sha256', a));
    expect(toHex(hb.digest())).toBe(nodeDigest('sha256', b));
    expect(toHex(restored.digest())).toBe(nodeDigest('sha256', b));
  });
});

describe('checkpoints', () => {
  it('save in the middle, resume with the rest: same digests', async () => {
    const data = prngBytes(11 * MIB + 12345, 77);
    const checkpoints: HashCheckpoint[] = [];
    const full = await hashStream(fromChunks(splitRandomly(data, 5, MIB)), {
      algorithms: ['sha256', 'sha512'],
      onCheckpoint: (c) => checkpoints.push(structuredClone(c)),
      checkpointEvery: 3 * MIB,
    });
    expect(full.digests).toEqual(expected(data));
    expect(checkpoints.length).toBeGreaterThanOrEqual(3);
    for (const c of checkpoints) {
      // JSON round trip: checkpoints are persisted in extension storage.
      const stored = JSON.parse(JSON.stringify(c)) as HashCheckpoint;
      const resumed = await hashStream(fromChunks(splitRandomly(data.subarray(stored.offset), stored.offset, MIB)), {
        algorithms: ['sha512', 'sha256'],
        resumeFrom: stored,
        total: data.length,
      });
      expect(resumed.digests).toEqual(full.digests);
      expect(resumed.bytes).toBe(data.length);
    }
  });

  it('IncrementalHash checkpoint/resume at an odd offset', async () => {
    const data = prngBytes(100_001, 5);
    const first = await IncrementalHash.create(['sha256', 'sha512']);
    first.update(data.subarray(0, 33_333));
    const checkpoint = first.checkpoint();
    expect(checkpoint).toMatchObject({ engine: 'hash-wasm', offset: 33_333 });
    first.update(data.subarray(33_333));
    const resumed = await IncrementalHash.resume(checkpoint);
    expect(resumed.offset).toBe(33_333);
    resumed.update(data.subarray(33_333));
    expect(resumed.finish().digests).toEqual(first.finish().digests);
  });

  it('bad or mismatched checkpoints are hash-state-invalid', async () => {
    const h = await IncrementalHash.create(['sha256']);
    h.update(new Uint8Array(100));
    const good = h.checkpoint();
    const good512 = await IncrementalHash.create(['sha512']).then((x) => x.checkpoint());
    const bad: unknown[] = [
      null,
      { ...good, engine: 'node-crypto' },
      { ...good, offset: -1 },
      { ...good, offset: 1.5 },
      { ...good, offset: '100' },
      { ...good, states: {} },
      { ...good, states: null },
      { ...good, states: { sha1: good.states.sha256 } },
      { ...good, states: { sha256: 'not base64!' } },
      { ...good, states: { sha256: 'AAAA' } }, // wrong length
      { ...good, states: { sha256: good512.states.sha512 } }, // another algorithm's state
      { ...good, states: { sha256: 42 } },
    ];
    for (const checkpoint of bad) {
      await expectCode(IncrementalHash.resume(checkpoint as HashCheckpoint), 'hash-state-invalid');
      await expectCode(
        hashStream(fromChunks([]), { algorithms: ['sha256'], resumeFrom: checkpoint as HashCheckpoint }),
        'hash-state-invalid',
      );
    }
    // Corrupt the hash-wasm build prefix.
    const raw = Buffer.from(good.states.sha256!, 'base64');
    raw[0]! ^= 0xff;
    await expectCode(
      IncrementalHash.resume({ ...good, states: { sha256: raw.toString('base64') } }),
      'hash-state-invalid',
    );
    // Algorithms requested differ from the checkpoint's.
    await expectCode(
      hashStream(fromChunks([]), { algorithms: ['sha256', 'sha512'], resumeFrom: good }),
      'hash-state-invalid',
    );
    // The native engine cannot restore at all.
    await expectCode(IncrementalHash.resume({ ...good, engine: 'node-crypto' }, nativeEngine), 'hash-state-invalid');
  });

  it('asking for checkpoints from an engine without saved states is refused up front', async () => {
    await expectCode(
      hashStream(fromChunks([new Uint8Array(10)]), {
        algorithms: ['sha256'],
        engine: nativeEngine,
        onCheckpoint: () => {},
      }),
      'input-invalid-value',
    );
  });
});

describe('abort', () => {
  it('an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expectCode(
      hashStream(fromChunks([new Uint8Array(1)]), { algorithms: ['sha256'], signal: controller.signal }),
      'aborted',
    );
  });

  it('abort in the middle of an async iterable', async () => {
    const controller = new AbortController();
    let produced = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        produced++;
        if (produced === 5) controller.abort();
        yield new Uint8Array(MIB);
      }
    }
    await expectCode(hashStream(endless(), { algorithms: ['sha256'], signal: controller.signal }), 'aborted');
    expect(produced).toBeLessThan(10);
  });

  it('abort while a ReadableStream read is pending cancels the stream', async () => {
    const controller = new AbortController();
    let cancelled = false;
    const stalled = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(100));
      },
      pull() {
        return new Promise(() => {}); // never delivers more
      },
      cancel() {
        cancelled = true;
      },
    });
    const pending = hashStream(stalled, { algorithms: ['sha256'], signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expectCode(pending, 'aborted');
    expect(cancelled).toBe(true);
  });
});

describe('progress', () => {
  it('is monotone, throttled by the injected clock, and ends at total', async () => {
    const data = prngBytes(9 * MIB + 17, 8);
    let clock = 0;
    const reports: HashProgress[] = [];
    async function* ticking(): AsyncGenerator<Uint8Array> {
      for (const chunk of splitEvery(data, MIB)) {
        clock += 60; // each MiB "takes" 60 ms
        yield chunk;
      }
    }
    await hashStream(ticking(), {
      algorithms: ['sha256'],
      total: data.length,
      onProgress: (p) => reports.push(p),
      now: () => clock,
    });
    expect(reports.length).toBeGreaterThanOrEqual(3);
    // Throttled: far fewer reports than blocks+2 would be without it.
    expect(reports.length).toBeLessThanOrEqual(5 + 2);
    for (let i = 1; i < reports.length; i++) expect(reports[i]!.bytes).toBeGreaterThanOrEqual(reports[i - 1]!.bytes);
    expect(reports[0]!.bytes).toBe(0);
    const last = reports[reports.length - 1]!;
    expect(last.bytes).toBe(data.length);
    expect(last.total).toBe(data.length);
    expect(last.etaSeconds).toBe(0);
    // 9 MiB+17 bytes in 600 ms of fake time (10 chunks × 60 ms).
    expect(last.rate).toBeCloseTo(data.length / 0.6, 0);
    const middle = reports.find((r) => r.bytes > 0 && r.bytes < data.length)!;
    expect(middle.etaSeconds).toBeGreaterThan(0);
  });

  it('counts a resumed prefix in bytes but not in the rate', async () => {
    const data = prngBytes(2 * MIB, 3);
    const h = await IncrementalHash.create(['sha256']);
    h.update(data.subarray(0, MIB));
    let clock = 0;
    const reports: HashProgress[] = [];
    await hashStream(
      (async function* () {
        clock += 1000;
        yield data.subarray(MIB);
      })(),
      { algorithms: ['sha256'], resumeFrom: h.checkpoint(), onProgress: (p) => reports.push(p), now: () => clock },
    );
    expect(reports[0]!.bytes).toBe(MIB);
    expect(reports.at(-1)!.bytes).toBe(2 * MIB);
    expect(reports.at(-1)!.rate).toBe(MIB); // 1 MiB in 1 s
  });
});

describe('native engine', () => {
  it('agrees with wasm over random sizes and splits', async () => {
    const next = prng(42);
    for (let i = 0; i < 6; i++) {
      const data = prngBytes(next(3 * MIB), i);
      const chunks = splitRandomly(data, i, 500_000);
      const [wasm, native] = await Promise.all([
        hashStream(fromChunks(chunks), { algorithms: ['sha256', 'sha512'], engine: wasmEngine }),
        hashStream(fromChunks(chunks), { algorithms: ['sha256', 'sha512'], engine: nativeEngine }),
      ]);
      expect(native.digests).toEqual(wasm.digests);
      expect(native.digests).toEqual(expected(data));
    }
  });

  it('refuses unknown algorithms and use after digest', async () => {
    await expectCode(nativeEngine.create('md5' as 'sha256'), 'input-invalid-value');
    const h = await nativeEngine.create('sha256');
    h.digest();
    expect(() => h.update(new Uint8Array(1))).toThrow(IsoVerifyError);
  });
});
