/**
 * The widget's decision with the key it fetched from the site: only keys with a pinned primary
 * fingerprint count, a missing key is never "verified", and rollback protection lives in the
 * page's storage.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import { MemoryTrustState, type TrustState } from '../../../src/core/freshness.js';
import type { Verdict } from '../../../src/core/verdict.js';
import { readWidgetConfig, type WidgetAttribute } from '../../../src/embed/config.js';
import { createWidgetDeps, pageTrustState, TRUST_STATE_KEY } from '../../../src/embed/engine.js';
import {
  DEMO_FINGERPRINT,
  DESCRIPTION_URL,
  MemorySite,
  SITE,
  at,
  createDemoSigner,
  describe,
  hashBytes,
  imageBytes,
  type DemoSigner,
} from '../verify/demo-release.js';

const NAME = 'tails-amd64-7.2.img';
const KEY_URL = `${SITE}/demo-signing.key`;
const NOW = at(60 * 24 * 30);
const DEMO_PUBLIC_KEY = readFileSync(new URL('../../../profiles/keys/demo-signing.asc', import.meta.url), 'utf8');

const attributes: Partial<Record<WidgetAttribute, string>> = {
  product: 'Tails',
  'description-url': '/install/v2/Tails/amd64/stable/latest.json',
  'signature-url': '/install/v2/Tails/amd64/stable/latest.json.sig',
  'image-signature-url': '/torrents/files/{file}.sig',
  'key-url': '/demo-signing.key',
  fingerprints: DEMO_FINGERPRINT,
  'image-pattern': '^tails-amd64-(?<version>[0-9][0-9a-z.~+-]*)\\.(?<type>img|iso)$',
};
const { profile } = readWidgetConfig((name) => attributes[name] ?? null, `${SITE}/install/`);

let signer: DemoSigner;
let image: Uint8Array;
let description: Uint8Array;
let descriptionSig: Uint8Array;
let strangerSig: Uint8Array;
let strangerKey: string;

beforeAll(async () => {
  signer = await createDemoSigner();
  image = imageBytes(2 * 1024 * 1024 + 5, 3);
  description = await describe([{ version: '7.2', type: 'img', bytes: image }]);
  descriptionSig = await signer.sign(description, at(120));
  strangerSig = await signer.signWithStranger(description, at(120));
  strangerKey = await signer.strangerPublicKey();
});
afterAll(async () => {
  await signer?.cleanup();
});

function site(overrides: { key?: string; sig?: Uint8Array } = {}): MemorySite {
  const s = new MemorySite()
    .set(DESCRIPTION_URL, description)
    .set(`${DESCRIPTION_URL}.sig`, overrides.sig ?? descriptionSig);
  if (overrides.key !== '') s.set(KEY_URL, overrides.key ?? DEMO_PUBLIC_KEY);
  return s;
}

/** A fetch() over the in-memory site, as the page's fetch. */
function siteFetch(s: MemorySite): typeof globalThis.fetch {
  return (async (input: RequestInfo | URL) => {
    const bytes = s.files.get(String(input instanceof Request ? input.url : input));
    return bytes
      ? new Response(bytes.slice().buffer as ArrayBuffer, { status: 200 })
      : new Response('', { status: 404 });
  }) as typeof globalThis.fetch;
}

/** The widget's verification of a picked file, as the page runs it (hashed in place instead of in the worker). */
async function check(
  memorySite: MemorySite,
  bytes = image,
  trustState: TrustState = new MemoryTrustState(),
): Promise<Verdict> {
  const deps = createWidgetDeps(profile, {
    trustState,
    pageUrl: `${SITE}/install/`,
    fetch: siteFetch(memorySite),
    now: () => NOW,
    hash: async (file) => hashBytes(new Uint8Array(await file.arrayBuffer())),
  });
  const { verdict } = await deps.verify(new File([bytes.slice()], NAME), {
    onProgress: () => undefined,
    onHashed: () => undefined,
    signal: new AbortController().signal,
  });
  return verdict;
}

group('the widget’s decision', () => {
  it('verifies with the key from key-url and lists the key in the evidence', async () => {
    const verdict = await check(site());
    expect(verdict.kind).toBe('verified');
    if (verdict.kind !== 'verified') return;
    expect(verdict.signer.primaryFingerprint).toBe(DEMO_FINGERPRINT);
    expect(verdict.evidence.inputs.map((i) => i.role)).toContain('signing-key');
    expect(verdict.evidence.inputs.find((i) => i.role === 'signing-key')?.source).toBe(KEY_URL);
  });

  it('a changed byte is a mismatch', async () => {
    const changed = image.slice();
    changed[1000] = changed[1000]! ^ 1;
    expect((await check(site(), changed)).kind).toBe('mismatch');
  });

  it('a key that is not pinned never counts, even served by the site with a signature it made', async () => {
    const onlyStranger = await check(site({ key: strangerKey, sig: strangerSig }));
    expect(onlyStranger).toMatchObject({
      kind: 'unverifiable',
      reason: 'key-invalid',
      error: { code: 'key-no-pinned' },
    });
    const both = await check(site({ key: `${DEMO_PUBLIC_KEY}\n${strangerKey}`, sig: strangerSig }));
    expect(both.kind).toBe('unverifiable');
    expect(both).toMatchObject({ reason: 'signature-unknown-key' });
  });

  it('without the key there is no verdict but unverifiable, naming the failed fetch', async () => {
    const verdict = await check(site({ key: '' }));
    expect(verdict).toMatchObject({ kind: 'unverifiable', reason: 'offline', error: { code: 'fetch-http-status' } });
    expect(verdict.evidence.inputs.find((i) => i.role === 'signing-key')?.error?.code).toBe('fetch-http-status');
    const garbage = await check(site({ key: 'not a key' }));
    expect(garbage).toMatchObject({ kind: 'unverifiable', reason: 'key-invalid' });
  });
});

group('rollback protection in page storage', () => {
  function fakeStorage(initial?: string) {
    const map = new Map<string, string>(initial === undefined ? [] : [[TRUST_STATE_KEY, initial]]);
    return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), map };
  }

  it('remembers what was verified and refuses an older signed description afterwards', async () => {
    const storage = fakeStorage();
    const state = pageTrustState(storage);
    expect((await check(site(), image, state)).kind).toBe('verified');
    expect(JSON.parse(storage.map.get(TRUST_STATE_KEY)!).records).toBeDefined();
    const older = await signer.sign(description, at(60));
    expect(await check(site({ sig: older }), image, pageTrustState(storage))).toMatchObject({
      kind: 'unverifiable',
      reason: 'rollback',
    });
  });

  it('fails closed on corrupt stored state instead of resetting it', async () => {
    await expect(check(site(), image, pageTrustState(fakeStorage('{not json')))).rejects.toThrow(/input-malformed/);
  });
});
