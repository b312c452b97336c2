import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import type { FetchOptions, Fetcher } from '../../../src/core/net/types.js';
import { LIMITS } from '../../../src/core/net/types.js';
import type { Profile, RebuilderConfig, RebuilderdConfig } from '../../../src/core/profile.js';
import { checkReproducibility, type ReproCheckOptions } from '../../../src/core/repro/status.js';
import type { RebuilderState } from '../../../src/core/repro/types.js';
import {
  makeRebuildRecords,
  startDemoRebuilders,
  startFakeRebuilderd,
  type FakeBehaviour,
  type FakeRebuild,
  type FakeRebuilderd,
  type FakeRebuilderdOptions,
  type RebuildScenario,
} from '../../servers/rebuilderd.js';
import { generateSigner, spkiPem, type LinkSigner } from '../../servers/rebuilderd-signer.js';
import { startDemoReproducer } from '../../servers/static-reproducer.js';
import { nodeFetcher } from './node-fetcher.js';

const FILE = 'tails-amd64-7.1.img';
let dir: string;
let imagePath: string;
let imageSha256: string;
let keys: LinkSigner[]; // three distinct rebuilder keys
let worker: LinkSigner;
let stranger: LinkSigner;
const servers: FakeRebuilderd[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'repro-status-'));
  imagePath = path.join(dir, FILE);
  const image = new Uint8Array(256 * 1024).map((_, i) => (i * 7919) % 251);
  writeFileSync(imagePath, image);
  imageSha256 = createHash('sha256').update(image).digest('hex');
  const [a, b, c, w, s] = await Promise.all(['a', 'b', 'c', 'worker', 'stranger'].map((n) => generateSigner(dir, n)));
  keys = [a!, b!, c!];
  worker = w!;
  stranger = s!;
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function records(
  scenario: RebuildScenario,
  signer: LinkSigner,
  extra: { buildId?: number } = {},
): Promise<FakeRebuild[]> {
  return makeRebuildRecords({
    fileName: FILE,
    filePath: imagePath,
    scenario,
    signer,
    workerSigner: worker,
    otherSigner: stranger,
    ...extra,
  });
}

async function rebuilder(
  name: string,
  signer: LinkSigner,
  scenario: RebuildScenario,
  server: Partial<FakeRebuilderdOptions> = {},
): Promise<RebuilderdConfig> {
  const fake = await startFakeRebuilderd({
    records: await records(scenario, signer),
    publicKeyPem: signer.publicKeyPem,
    ...server,
  });
  servers.push(fake);
  return { name, baseUrl: fake.url, publicKeyPem: signer.publicKeyPem, distribution: 'tails', architecture: 'amd64' };
}

function check(
  rebuilders: RebuilderConfig[],
  extra: Partial<ReproCheckOptions> = {},
): ReturnType<typeof checkReproducibility> {
  return checkReproducibility({
    rebuilders,
    threshold: 2,
    fileName: FILE,
    releaseSha256: imageSha256,
    fetcher: nodeFetcher,
    timeoutMs: 5_000,
    now: () => new Date('2026-01-02T03:04:05Z'),
    ...extra,
  });
}

describe('checkReproducibility: one state per rebuilder', () => {
  const scenarios: [RebuildScenario, RebuilderState, RegExp | null][] = [
    ['good', 'reproduced', null],
    ['other-bytes', 'mismatch', /differs from the signed release/],
    ['bad', 'failed', null],
    ['pending', 'pending', null],
    ['unkwn', 'pending', null],
    ['none', 'unknown', null],
    ['no-attestation', 'bad-attestation', /no attestation/],
    ['bad-signature', 'bad-attestation', /^attestation-bad-signature/],
    ['other-key', 'bad-attestation', /^attestation-unsigned/],
    ['unsigned', 'bad-attestation', /^attestation-unsigned/],
    ['malformed', 'bad-attestation', /^attestation-malformed/],
  ];
  it.each(scenarios)('scenario %s → %s', async (scenario, state, detail) => {
    const config = await rebuilder('r', keys[0]!, scenario);
    const status = await check([config], { threshold: 1 });
    const [result] = status.rebuilders;
    expect(result!.state).toBe(state);
    expect(result!.keyId).toBe(keys[0]!.keyId);
    if (detail) expect(result!.detail).toMatch(detail);
    expect(status.reproducedBy).toBe(state === 'reproduced' ? 1 : 0);
    expect(status.met).toBe(state === 'reproduced');
    expect(status.anyMismatch).toBe(state === 'mismatch');
    // The surfaces translate a code, never the English detail (issue 25: "not rebuilt yet").
    const reason = (
      {
        good: undefined,
        'other-bytes': 'differs-from-release',
        bad: 'rebuild-failed',
        pending: 'not-rebuilt-yet',
        unkwn: 'not-rebuilt-yet',
        none: 'no-record',
        'no-attestation': 'no-attestation',
      } as Record<string, string | undefined>
    )[scenario];
    if (scenario in { good: 1, 'other-bytes': 1, bad: 1, pending: 1, unkwn: 1, none: 1, 'no-attestation': 1 })
      expect(result!.reason).toBe(reason);
    else expect(result).toMatchObject({ reason: 'error', error: { code: String(detail).match(/\^([a-z-]+)/)![1] } });
    expect(status.checkedAt).toBe('2026-01-02T03:04:05.000Z');
  });

  it('a reproduced result carries the attested hash, build date and log link', async () => {
    const config = await rebuilder('r', keys[0]!, 'good');
    const [result] = (await check([config], { threshold: 1 })).rebuilders;
    expect(result).toMatchObject({
      name: 'r',
      baseUrl: config.baseUrl,
      state: 'reproduced',
      attestedSha256: imageSha256,
    });
    expect(result!.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(result!.buildLogUrl).toBe(`${config.baseUrl}/api/v1/builds/1/log`);
    const log = await fetch(result!.buildLogUrl!);
    expect(log.status).toBe(200);
  });

  const behaviours: [FakeBehaviour, 'all' | 'attestation', RegExp][] = [
    ['http-500', 'all', /^fetch-http-status/],
    ['drop', 'all', /^fetch-failed/],
    ['garbage', 'all', /^input-malformed/],
    ['oversized', 'all', /^fetch-too-large/],
    ['slow', 'all', /^fetch-timeout/],
    ['http-500', 'attestation', /^fetch-http-status/],
    ['drop', 'attestation', /^fetch-failed/],
    ['oversized', 'attestation', /^fetch-too-large/],
    ['slow', 'attestation', /^fetch-timeout/],
  ];
  it.each(behaviours)('server behaviour %s on %s → unreachable', async (behaviour, failOn, detail) => {
    const config = await rebuilder('r', keys[0]!, 'good', { behaviour, failOn, slowMs: 5_000 });
    const started = Date.now();
    const [result] = (await check([config], { threshold: 1, timeoutMs: 600 })).rebuilders;
    expect(result!.state).toBe('unreachable');
    expect(result!.detail).toMatch(detail);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('a closed port → unreachable', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const config: RebuilderConfig = {
      name: 'gone',
      baseUrl: `http://127.0.0.1:${port}`,
      publicKeyPem: keys[0]!.publicKeyPem,
      distribution: 'tails',
      architecture: 'amd64',
    };
    const [result] = (await check([config])).rebuilders;
    expect(result!.state).toBe('unreachable');
  });

  it("compares with the user's file hash when given", async () => {
    const config = await rebuilder('r', keys[0]!, 'good');
    const same = await check([config], { threshold: 1, fileSha256: imageSha256.toUpperCase() });
    expect(same.rebuilders[0]!.state).toBe('reproduced');
    const other = await check([config], { threshold: 1, fileSha256: 'ab'.repeat(32) });
    expect(other.rebuilders[0]!.state).toBe('mismatch');
    expect(other.rebuilders[0]!.detail).toMatch(/differs from your file/);
    const wrongRelease = await check([config], {
      threshold: 1,
      releaseSha256: 'cd'.repeat(32),
      fileSha256: imageSha256,
    });
    expect(wrongRelease.rebuilders[0]!.state).toBe('mismatch');
  });

  it('an invalid pinned key → bad-attestation without asking the server', async () => {
    const config = await rebuilder('r', keys[0]!, 'good');
    const fake = servers[servers.length - 1]!;
    const [result] = (await check([{ ...config, publicKeyPem: 'not a key' }], { threshold: 1 })).rebuilders;
    expect(result).toMatchObject({ state: 'bad-attestation', keyId: '' });
    expect(result!.detail).toMatch(/^rebuilder-key-invalid/);
    expect(fake.requests).toEqual([]);
  });

  it('pinning the wrong key (another rebuilder) → bad-attestation', async () => {
    const config = await rebuilder('r', keys[0]!, 'good');
    const [result] = (await check([{ ...config, publicKeyPem: keys[1]!.publicKeyPem }], { threshold: 1 })).rebuilders;
    expect(result!.state).toBe('bad-attestation');
    expect(result!.detail).toMatch(/^attestation-unsigned/);
  });
});

describe('checkReproducibility: record selection', () => {
  it('ignores records for other names and picks the newest build of this file', async () => {
    const older = await makeRebuildRecords({
      fileName: FILE,
      filePath: imagePath,
      scenario: 'bad',
      signer: keys[0]!,
      buildId: 3,
    });
    const newer = await records('good', keys[0]!, { buildId: 7 });
    const decoy = await makeRebuildRecords({
      fileName: `${FILE}.iso`,
      bytes: new Uint8Array(8),
      scenario: 'other-bytes',
      signer: keys[0]!,
      buildId: 9,
    });
    const fake = await startFakeRebuilderd({ records: [...decoy, ...older, ...newer], exactNameFilter: false });
    servers.push(fake);
    const config: RebuilderConfig = {
      name: 'r',
      baseUrl: `${fake.url}/`,
      publicKeyPem: keys[0]!.publicKeyPem,
      distribution: 'tails',
      architecture: 'amd64',
    };
    const [result] = (await check([config], { threshold: 1 })).rebuilders;
    expect(result!.state).toBe('reproduced');
    expect(result!.buildLogUrl).toBe(`${fake.url}/api/v1/builds/7/log`);
    expect(fake.requests[0]).toBe(`/api/v1/packages/binary?distribution=tails&name=${FILE}&architecture=amd64`);
  });

  it('a newer failed build wins over an older good one', async () => {
    const older = await records('good', keys[0]!, { buildId: 2 });
    const newer = await makeRebuildRecords({
      fileName: FILE,
      filePath: imagePath,
      scenario: 'bad',
      signer: keys[0]!,
      buildId: 5,
    });
    const fake = await startFakeRebuilderd({ records: [...newer, ...older] });
    servers.push(fake);
    const config: RebuilderConfig = {
      name: 'r',
      baseUrl: fake.url,
      publicKeyPem: keys[0]!.publicKeyPem,
      distribution: 'tails',
      architecture: 'amd64',
    };
    expect((await check([config], { threshold: 1 })).rebuilders[0]!.state).toBe('failed');
  });

  it('records of another architecture or distribution do not count', async () => {
    const config = await rebuilder('r', keys[0]!, 'good');
    const [arm] = (await check([{ ...config, architecture: 'arm64' }], { threshold: 1 })).rebuilders;
    const [deb] = (await check([{ ...config, distribution: 'debian' }], { threshold: 1 })).rebuilders;
    expect(arm!.state).toBe('unknown');
    expect(deb!.state).toBe('unknown');
  });
});

describe('checkReproducibility: threshold and distinct keys', () => {
  it('counts distinct keys toward the threshold', async () => {
    const configs = await Promise.all(keys.map((k, i) => rebuilder(`r${i}`, k, 'good')));
    const status = await check(configs, { threshold: 3 });
    expect(status).toMatchObject({ reproducedBy: 3, met: true, anyMismatch: false, threshold: 3, fileName: FILE });
    expect(status.rebuilders.map((r) => r.name)).toEqual(['r0', 'r1', 'r2']);
  });

  it('is not met with one reproduction and others pending, failed or unreachable', async () => {
    const configs = [
      await rebuilder('good', keys[0]!, 'good'),
      await rebuilder('pending', keys[1]!, 'pending'),
      await rebuilder('down', keys[2]!, 'good', { behaviour: 'http-500' }),
    ];
    const status = await check(configs, { threshold: 2 });
    expect(status.rebuilders.map((r) => r.state)).toEqual(['reproduced', 'pending', 'unreachable']);
    expect(status).toMatchObject({ reproducedBy: 1, met: false });
  });

  it('the same key configured twice (even in another PEM layout) counts once', async () => {
    const first = await rebuilder('one', keys[0]!, 'good');
    const second = await rebuilder('two', keys[0]!, 'good');
    const status = await check([first, { ...second, publicKeyPem: spkiPem(keys[0]!.publicKeyHex) }], { threshold: 2 });
    expect(status.rebuilders.map((r) => r.state)).toEqual(['reproduced', 'reproduced']);
    expect(status.rebuilders[0]!.keyId).toBe(status.rebuilders[1]!.keyId);
    expect(status).toMatchObject({ reproducedBy: 1, met: false });
  });

  it('a signed mismatch from one pinned rebuilder withholds "met"', async () => {
    const configs = [
      await rebuilder('a', keys[0]!, 'good'),
      await rebuilder('b', keys[1]!, 'good'),
      await rebuilder('c', keys[2]!, 'other-bytes'),
    ];
    const status = await check(configs, { threshold: 2 });
    expect(status).toMatchObject({ reproducedBy: 2, anyMismatch: true, met: false });
  });

  it('no rebuilders: nothing reproduced, not met', async () => {
    expect(await check([], { threshold: 1 })).toMatchObject({ reproducedBy: 0, met: false, rebuilders: [] });
  });
});

describe('checkReproducibility: requests, caps, time and cancellation', () => {
  it('queries rebuilders in parallel', async () => {
    const configs = await Promise.all(
      keys.map((k, i) => rebuilder(`r${i}`, k, 'good', { behaviour: 'slow', slowMs: 300 })),
    );
    let inFlight = 0;
    let maxInFlight = 0;
    const counting: Fetcher = async (url, options) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        return await nodeFetcher(url, options);
      } finally {
        inFlight--;
      }
    };
    const status = await check(configs, { fetcher: counting, threshold: 3 });
    expect(status.met).toBe(true);
    expect(maxInFlight).toBeGreaterThanOrEqual(3);
  });

  it('passes the documented caps to the Fetcher', async () => {
    const config = await rebuilder('r', keys[0]!, 'good');
    const seen: [string, FetchOptions][] = [];
    const recording: Fetcher = (url, options) => {
      seen.push([url, options]);
      return nodeFetcher(url, options);
    };
    await check([config], { fetcher: recording, timeoutMs: 1234 });
    const attestation = seen.find(([u]) => u.endsWith('/attestation'));
    const packages = seen.find(([u]) => u.includes('/packages/binary'));
    expect(packages![1]).toMatchObject({ maxBytes: LIMITS.rebuilderApi, timeoutMs: 1234 });
    expect(attestation![1]).toMatchObject({ maxBytes: LIMITS.attestation, timeoutMs: 1234 });
    expect(packages![1].signal).toBeInstanceOf(AbortSignal);
  });

  it('stays closed when a Fetcher ignores the cap', async () => {
    const config = await rebuilder('r', keys[0]!, 'good');
    const careless: Fetcher = async (url, options) => {
      const fetched = await nodeFetcher(url, { ...options, maxBytes: 64 << 20 });
      return url.endsWith('/attestation') ? { ...fetched, bytes: new Uint8Array(options.maxBytes + 1) } : fetched;
    };
    const [result] = (await check([config], { fetcher: careless })).rebuilders;
    expect(result!.state).toBe('unreachable');
    expect(result!.detail).toMatch(/^fetch-too-large/);
  });

  it('a Fetcher that never answers is cut off by the per-rebuilder budget', async () => {
    const config = await rebuilder('r', keys[0]!, 'good');
    const hanging: Fetcher = () => new Promise(() => undefined);
    const started = Date.now();
    const [result] = (await check([config], { fetcher: hanging, timeoutMs: 300 })).rebuilders;
    expect(result!.state).toBe('unreachable');
    expect(result!.detail).toMatch(/^fetch-timeout/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('aborting rejects with "aborted"', async () => {
    const config = await rebuilder('r', keys[0]!, 'good', { behaviour: 'slow', slowMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(check([config], { signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
    const already = new AbortController();
    already.abort();
    await expect(check([config], { signal: already.signal })).rejects.toMatchObject({ code: 'aborted' });
  });

  it.each([
    ['threshold 0', { threshold: 0 }],
    ['fractional threshold', { threshold: 1.5 }],
    ['bad release hash', { releaseSha256: 'abc' }],
    ['bad file hash', { fileSha256: 'xyz' }],
    ['path as file name', { fileName: '../x.img' }],
    ['empty file name', { fileName: '' }],
    ['zero timeout', { timeoutMs: 0 }],
  ])('rejects %s with input-invalid-value', async (_label, extra) => {
    const error = await check([], extra as Partial<ReproCheckOptions>).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IsoVerifyError);
    expect((error as IsoVerifyError).code).toBe('input-invalid-value');
  });
});

describe('demo profile rebuilders', () => {
  it('sign with the committed keys the demo profile pins: a and b reproduce, c is pending, static d reproduced', async () => {
    const profile = JSON.parse(
      readFileSync(new URL('../../../profiles/demo.json', import.meta.url), 'utf8'),
    ) as Profile;
    expect(profile.rebuilders.map((r) => r.baseUrl)).toEqual([
      'http://127.0.0.1:8481',
      'http://127.0.0.1:8482',
      'http://127.0.0.1:8483',
      'http://127.0.0.1:8484/attestations',
    ]);
    const started = await startDemoRebuilders({ images: [{ fileName: FILE, filePath: imagePath }], ports: [0, 0, 0] });
    servers.push(...started);
    const reproducer = await startDemoReproducer({
      images: [{ fileName: FILE, filePath: imagePath, product: 'Tails', version: '7.1' }],
      port: 0,
    });
    servers.push({ close: () => reproducer.close() } as FakeRebuilderd);
    const urls = [...started.map((s) => s.url), reproducer.url];
    const rebuilders = profile.rebuilders.map((r, i) => ({ ...r, baseUrl: urls[i]! }));
    const status = await check(rebuilders, { threshold: profile.reproThreshold, product: 'Tails', version: '7.1' });
    expect(status.rebuilders.map((r) => r.state)).toEqual(['reproduced', 'reproduced', 'pending', 'reproduced']);
    expect(new Set(status.rebuilders.map((r) => r.keyId)).size).toBe(4);
    expect(status).toMatchObject({ reproducedBy: 3, met: true, distinctKeys: 4 });
    const keys = await fetch(`${started[0]!.url}/api/v1/meta/public-keys`).then(
      (r) => r.json() as Promise<{ current: string[] }>,
    );
    expect(keys.current).toEqual([profile.rebuilders[0]!.publicKeyPem]);
  });
});
