/**
 * The background's verification (src/background/verification.ts) over the real core: downloads
 * and page-hashed files go through the one pipeline, with the cached release data, one trust
 * state and the reproducers asked by the background only.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateOf, MovableClock } from '../../../src/background/clock.js';
import { backgroundVerification, MaterialCache } from '../../../src/background/verification.js';
import { toBase64 } from '../../../src/core/bytes.js';
import { MemoryTrustState } from '../../../src/core/freshness.js';
import type { HashResult } from '../../../src/core/hash/types.js';
import { BUILTIN_PROFILES } from '../../../src/core/profiles/builtin.js';
import {
  DESCRIPTION_URL,
  MemorySite,
  SITE,
  at,
  createDemoSigner,
  describe as describeRelease,
  hashBytes,
  imageBytes,
  type DemoSigner,
} from '../verify/demo-release.js';

const demo = BUILTIN_PROFILES.demo;
const NAME = 'tails-amd64-7.2.img';
const NOW = at(60 * 24 * 30);
const DEMO_PUBLIC_KEY = readFileSync(new URL('../../../profiles/keys/demo-signing.asc', import.meta.url), 'utf8');

let signer: DemoSigner;
let hashed: HashResult;
let site: MemorySite;

beforeAll(async () => {
  signer = await createDemoSigner();
  const image = imageBytes(512 * 1024 + 9, 13);
  hashed = await hashBytes(image);
  const description = await describeRelease([{ version: '7.2', type: 'img', bytes: image }]);
  site = new MemorySite()
    .set(DESCRIPTION_URL, description)
    .set(`${DESCRIPTION_URL}.sig`, await signer.sign(description, at(120)))
    .set(`${SITE}/torrents/files/${NAME}.sig`, await signer.sign(image, at(100)))
    .set(`${SITE}/demo-signing.key`, DEMO_PUBLIC_KEY);
});
afterAll(async () => {
  await signer?.cleanup();
});

function setup(clock = new MovableClock(NOW)) {
  const trustState = new MemoryTrustState();
  const rebuilderRequests: string[] = [];
  const materials = new MaterialCache(demo, site.fetcher, () => clock.nowMs());
  const verification = backgroundVerification({
    profile: demo,
    fetcher: async (url, options) => {
      rebuilderRequests.push(url);
      return site.fetcher(url, options);
    },
    materials,
    trustState,
    person: async () => undefined,
    pool: async () => [],
    now: () => dateOf(clock),
  });
  return { verification, trustState, rebuilderRequests };
}

describe('backgroundVerification', () => {
  it('verifies a download with the cached release data and asks the reproducers once the verdict allows it', async () => {
    const { verification, rebuilderRequests } = setup();
    const { verdict, repro } = await verification.verify(NAME, hashed, new AbortController().signal);
    expect(verdict.kind).toBe('verified');
    const status = await repro;
    expect(status?.rebuilders.length).toBe(demo.rebuilders.length);
    expect(rebuilderRequests.length).toBeGreaterThan(0);
  });

  it("verifies a page's hash state the same way, asking the reproducers only when told to", async () => {
    const { verification, rebuilderRequests } = setup();
    const states = {
      sha256: toBase64(hashed.continuations.sha256!.saveState!()),
      sha512: toBase64(hashed.continuations.sha512!.saveState!()),
    };
    const quiet = await verification.verifyPageHash({ fileName: NAME, bytes: hashed.bytes, states }, { repro: false });
    expect(quiet.verdict.kind).toBe('verified');
    expect(quiet.repro).toBeUndefined();
    expect(rebuilderRequests).toEqual([]);
    const asked = await verification.verifyPageHash({ fileName: NAME, bytes: hashed.bytes, states }, { repro: true });
    expect(asked.verdict.kind).toBe('verified');
    expect((await asked.repro)?.fileName).toBe(NAME);
  });

  it('an aborted download verification throws aborted', async () => {
    const { verification } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(verification.verify(NAME, hashed, controller.signal)).rejects.toMatchObject({ code: 'aborted' });
  });
});

describe("the background's verdict follows its clock (src/background/clock.ts), never the platform's", () => {
  // The demo key can sign until 2036-01-01; the image was signed 100 minutes after it was made.
  const states = () => ({
    sha256: toBase64(hashed.continuations.sha256!.saveState!()),
    sha512: toBase64(hashed.continuations.sha512!.saveState!()),
  });

  it('a clock years behind the signature: could not verify, the clock named with both dates (never red)', async () => {
    const clock = new MovableClock(new Date('2019-01-01T00:00:00Z'));
    const { verification } = setup(clock);
    for (const checked of [
      await verification.verify(NAME, hashed, new AbortController().signal),
      await verification.verifyPageHash({ fileName: NAME, bytes: hashed.bytes, states: states() }, { repro: false }),
    ]) {
      expect(checked.verdict).toMatchObject({
        kind: 'unverifiable',
        reason: 'clock-wrong',
        error: { code: 'signature-in-future' },
      });
      const detail = (checked.verdict as { error: { detail?: string } }).error.detail ?? '';
      expect(detail).toContain('2019-01-01');
      expect(detail).toContain(at(100).toISOString().slice(0, 10));
    }
    // Moved to the right time, the same background verifies the same file.
    clock.set(NOW);
    expect((await verification.verify(NAME, hashed, new AbortController().signal)).verdict.kind).toBe('verified');
  });

  it("a clock past the key's end: verified, with a warning naming the clock and both dates", async () => {
    const clock = new MovableClock(NOW);
    const { verification } = setup(clock);
    const before = await verification.verify(NAME, hashed, new AbortController().signal);
    expect(before.verdict.kind).toBe('verified');
    expect((before.verdict.evidence.warnings ?? []).map((w) => w.code)).not.toContain('clock-past-key-expiry');
    clock.set(new Date('2037-06-01T00:00:00Z'));
    const after = await verification.verify(NAME, hashed, new AbortController().signal);
    expect(after.verdict.kind).toBe('verified');
    const warning = (after.verdict.evidence.warnings ?? []).find((w) => w.code === 'clock-past-key-expiry');
    expect(warning?.detail).toContain('2037-06-01');
    expect(warning?.detail).toContain('2036-01-01');
  });
});
