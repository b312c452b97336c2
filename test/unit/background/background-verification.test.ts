/**
 * The background's verification (src/background/verification.ts) over the real core: downloads
 * and page-hashed files go through the one pipeline, with the cached release data, one trust
 * state and the reproducers asked by the background only.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

function setup() {
  const trustState = new MemoryTrustState();
  const rebuilderRequests: string[] = [];
  const materials = new MaterialCache(demo, site.fetcher);
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
    now: () => NOW,
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
