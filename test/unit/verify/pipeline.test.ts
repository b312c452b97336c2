import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import { KeyValueTrustState, MemoryTrustState, freshnessKey, type TrustState } from '../../../src/core/freshness.js';
import type { Profile } from '../../../src/core/profile.js';
import { BUILTIN_PROFILES } from '../../../src/core/profiles/builtin.js';
import type { Verdict } from '../../../src/core/verdict.js';
import { decide } from '../../../src/core/verify/decide.js';
import { fetchReleaseMaterial } from '../../../src/core/verify/index.js';
import {
  DEMO_FINGERPRINT,
  DEMO_SIGNING_SUBKEY,
  DESCRIPTION_URL,
  MemorySite,
  SITE,
  at,
  createDemoSigner,
  describe,
  fetchDecideRecord,
  hashBytes,
  imageBytes,
  type DemoSigner,
} from './demo-release.js';

const demo = BUILTIN_PROFILES.demo;
/** Tails-style: the description is not signed; only the image signature can vouch. */
const unsignedDemo: Profile = (() => {
  const p = { ...demo };
  delete p.descriptionSignatureUrl;
  return p;
})();
const noSignatures: Profile = (() => {
  const p = { ...unsignedDemo };
  delete p.imageSignatureUrl;
  return p;
})();

const NAME = 'tails-amd64-7.2.img';
const IMAGE_SIG_URL = `${SITE}/torrents/files/${NAME}.sig`;
const NOW = at(60 * 24 * 30); // a month after the key was made
const DEMO_PUBLIC_KEY = readFileSync(new URL('../../../profiles/keys/demo-signing.asc', import.meta.url), 'utf8');

let signer: DemoSigner;
let image: Uint8Array;
let description: Uint8Array;
let descriptionSig: Uint8Array;
let imageSig: Uint8Array;

beforeAll(async () => {
  signer = await createDemoSigner();
  image = imageBytes(3 * 1024 * 1024 + 17, 7);
  description = await describe([{ version: '7.2', type: 'img', bytes: image }]);
  descriptionSig = await signer.sign(description, at(120));
  imageSig = await signer.sign(image, at(100));
});

afterAll(async () => {
  await signer?.cleanup();
});

/** A site serving the good demo release. */
function goodSite(): MemorySite {
  return new MemorySite()
    .set(DESCRIPTION_URL, description)
    .set(`${DESCRIPTION_URL}.sig`, descriptionSig)
    .set(IMAGE_SIG_URL, imageSig)
    .set(`${SITE}/demo-signing.key`, DEMO_PUBLIC_KEY);
}

async function check(
  bytes: Uint8Array,
  { site = goodSite(), profile = demo, name = NAME, state = new MemoryTrustState() as TrustState, now = NOW } = {},
): Promise<Verdict> {
  const hashed = await hashBytes(bytes);
  return fetchDecideRecord({ profile, fileName: name, hash: hashed, fetcher: site.fetcher, trustState: state, now });
}

function expectKind<K extends Verdict['kind']>(v: Verdict, kind: K): Extract<Verdict, { kind: K }> {
  expect(v.kind, JSON.stringify({ ...v, evidence: { ...v.evidence, inputs: undefined } }, null, 1)).toBe(kind);
  return v as Extract<Verdict, { kind: K }>;
}

group('verification of a signed demo release', () => {
  it('verifies the good image, naming the signer, time and release', async () => {
    const state = new MemoryTrustState();
    const v = expectKind(await check(image, { state }), 'verified');
    expect(v.signer).toEqual({
      primaryFingerprint: DEMO_FINGERPRINT,
      signingKeyFingerprint: DEMO_SIGNING_SUBKEY,
      signatureTime: at(120).toISOString(),
      over: 'description',
    });
    expect(v.expected).toMatchObject({ product: 'Tails', version: '7.2', type: 'img', name: NAME, size: image.length });
    expect(v.evidence.profile).toBe('demo');
    expect(v.evidence.checkedAt).toBe(NOW.toISOString());
    expect(v.evidence.file.name).toBe(NAME);
    // Both signatures were checked and both are good.
    expect(v.evidence.signatures.map((s) => [s.over, s.good])).toEqual([
      ['description', true],
      ['image', true],
    ]);
    expect(v.evidence.inputs.map((i) => i.role).sort()).toEqual([
      'description',
      'description-signature',
      'image-signature',
      'signing-key',
    ]);
    expect(v.evidence.inputs.every((i) => i.error === undefined)).toBe(true);
    // Freshness recorded.
    expect(await state.get(freshnessKey('demo', 'Tails', 'stable'))).toEqual({
      version: '7.2',
      signatureTime: at(120).toISOString(),
    });
  });

  it('a truncated file is incomplete', async () => {
    const v = expectKind(await check(image.subarray(0, image.length - 1000)), 'incomplete');
    expect(v.missingBytes).toBe(1000);
  });

  it('one changed byte is a mismatch', async () => {
    const changed = image.slice();
    changed[12345] = changed[12345]! ^ 0x01;
    expectKind(await check(changed), 'mismatch');
  });

  it('a larger file is oversized', async () => {
    const larger = new Uint8Array(image.length + 10);
    larger.set(image);
    const v = expectKind(await check(larger), 'oversized');
    expect(v.extraBytes).toBe(10);
  });

  it('an older version, another type or an unknown name is the wrong release', async () => {
    const older = expectKind(await check(image, { name: 'tails-amd64-7.1.img' }), 'wrong-release');
    expect(older.reason).toBe('older-version');
    expect(older.expected?.version).toBe('7.2');
    expect(expectKind(await check(image, { name: 'tails-amd64-7.10.img' }), 'wrong-release').reason).toBe(
      'other-version',
    );
    expect(expectKind(await check(imageBytes(1000, 5), { name: 'tails-amd64-7.2.iso' }), 'wrong-release').reason).toBe(
      'other-type',
    );
    expect(expectKind(await check(image, { name: 'tails-amd64-7.2.img.exe' }), 'wrong-release').reason).toBe(
      'unknown-file',
    );
    expect(expectKind(await check(image, { name: 'setup.img' }), 'wrong-release').reason).toBe('unknown-file');
  });

  it('a description signed by a key that is not pinned is never verified', async () => {
    const site = goodSite().set(`${DESCRIPTION_URL}.sig`, await signer.signWithStranger(description, at(120)));
    const v = expectKind(await check(image, { site }), 'unverifiable');
    expect(v.reason).toBe('signature-unknown-key');
    // Even when the stranger's key is offered as extra material, it is not pinned.
    const hashed = await hashBytes(image);
    const material = await fetchReleaseMaterial(demo, NAME, site.fetcher, {
      overrides: { keys: [await signer.strangerPublicKey()] },
    });
    const again = (
      await decide({
        profile: demo,
        material,
        fileName: NAME,
        hash: hashed,
        trustState: new MemoryTrustState(),
        now: NOW,
      })
    ).verdict;
    expect(again.kind).toBe('unverifiable');
  });

  it('a tampered description is unverifiable (signature-bad), even when its hash matches a tampered file', async () => {
    const changed = image.slice();
    changed[0] = changed[0]! ^ 0xff;
    const tampered = await describe([{ version: '7.2', type: 'img', bytes: changed }]);
    const site = goodSite().set(DESCRIPTION_URL, tampered);
    const v = expectKind(await check(changed, { site }), 'unverifiable');
    expect(v.reason).toBe('signature-bad');
    expect(v.error.code).toBe('signature-bad');
  });

  it('a replayed older signed description after a newer one is a rollback', async () => {
    const oldImage = imageBytes(2 * 1024 * 1024, 3);
    const oldDescription = await describe([{ version: '7.1', type: 'img', bytes: oldImage }]);
    const oldSig = await signer.sign(oldDescription, at(30));
    const state = new MemoryTrustState();
    expectKind(await check(image, { state }), 'verified');

    const replay = goodSite().set(DESCRIPTION_URL, oldDescription).set(`${DESCRIPTION_URL}.sig`, oldSig);
    const v = expectKind(await check(oldImage, { site: replay, state, name: 'tails-amd64-7.1.img' }), 'unverifiable');
    expect(v.reason).toBe('rollback');
    expect(v.error.code).toBe('rollback');

    // The same release re-signed EARLIER than the signature already seen is a replay too.
    const resignedEarlier = goodSite().set(`${DESCRIPTION_URL}.sig`, await signer.sign(description, at(110)));
    expect(expectKind(await check(image, { site: resignedEarlier, state }), 'unverifiable').reason).toBe('rollback');
    // Re-signed later is fine, and moves the record forward.
    const resignedLater = goodSite().set(`${DESCRIPTION_URL}.sig`, await signer.sign(description, at(200)));
    expectKind(await check(image, { site: resignedLater, state }), 'verified');
    expect((await state.get(freshnessKey('demo', 'Tails', 'stable')))?.signatureTime).toBe(at(200).toISOString());
    // In a fresh state, the old release verifies (nothing newer was seen).
    expectKind(await check(oldImage, { site: replay, name: 'tails-amd64-7.1.img' }), 'verified');
  });

  it('a description older than maxDescriptionAgeDays is expired', async () => {
    const strict: Profile = { ...demo, maxDescriptionAgeDays: 7 };
    expectKind(await check(image, { profile: strict, now: at(60 * 24 * 3) }), 'verified');
    const v = expectKind(await check(image, { profile: strict, now: at(60 * 24 * 10) }), 'unverifiable');
    expect(v.reason).toBe('descriptor-expired');
  });

  it('a missing description signature is unverifiable no-signature', async () => {
    const site = goodSite();
    site.files.delete(`${DESCRIPTION_URL}.sig`);
    const v = expectKind(await check(image, { site }), 'unverifiable');
    expect(v.reason).toBe('no-signature');
    expect(v.error.code).toBe('fetch-http-status');
  });

  it('offline is unverifiable offline', async () => {
    const site = goodSite();
    site.offline = true;
    const v = expectKind(await check(image, { site }), 'unverifiable');
    expect(v.reason).toBe('offline');
    expect(v.error.code).toBe('fetch-failed');
    expect(v.evidence.inputs.every((i) => i.error?.code === 'fetch-failed')).toBe(true);
  });

  it('a garbage description is unverifiable descriptor-invalid (signed or not)', async () => {
    const garbage = new TextEncoder().encode('<html><body>Maintenance</body></html>');
    const signed = goodSite()
      .set(DESCRIPTION_URL, garbage)
      .set(`${DESCRIPTION_URL}.sig`, await signer.sign(garbage, at(130)));
    const v = expectKind(await check(image, { site: signed }), 'unverifiable');
    expect(v.reason).toBe('descriptor-invalid');
    expect(v.error.code).toBe('descriptor-malformed');
    const unsigned = goodSite().set(DESCRIPTION_URL, garbage);
    expect(expectKind(await check(image, { site: unsigned, profile: unsignedDemo }), 'unverifiable').reason).toBe(
      'descriptor-invalid',
    );
  });

  it('a signed description for another product or channel is descriptor-invalid', async () => {
    for (const extra of [{ 'product-name': 'Other' }, { channel: 'alpha' }, { build_target: 'arm64' }]) {
      const other = await describe([{ version: '7.2', type: 'img', bytes: image }], extra);
      const site = goodSite()
        .set(DESCRIPTION_URL, other)
        .set(`${DESCRIPTION_URL}.sig`, await signer.sign(other, at(130)));
      const v = expectKind(await check(image, { site }), 'unverifiable');
      expect(v.reason).toBe('descriptor-invalid');
      expect(v.error.code).toBe('descriptor-wrong-product');
    }
  });

  it('a key refresh that is not the pinned key is recorded, not fatal', async () => {
    const site = goodSite().set(`${SITE}/demo-signing.key`, await signer.strangerPublicKey());
    const v = expectKind(await check(image, { site }), 'verified');
    const refresh = v.evidence.inputs.find((i) => i.role === 'signing-key');
    expect(refresh?.error?.code).toBe('key-wrong-primary');
  });

  it('a corrupt trust state fails closed: no verdict, nothing overwritten', async () => {
    let writes = 0;
    const state = new KeyValueTrustState({
      read: async () => ({ records: 'garbage' }),
      write: async () => void writes++,
    });
    await expect(check(image, { state })).rejects.toMatchObject({ code: 'input-malformed' });
    await expect(check(image, { state, profile: unsignedDemo })).rejects.toMatchObject({
      code: 'input-malformed',
    });
    expect(writes).toBe(0);
  });

  it('a bad image signature by the pinned key makes even a signed description unverifiable', async () => {
    const site = goodSite().set(IMAGE_SIG_URL, await signer.sign(imageBytes(1000, 99), at(100)));
    const v = expectKind(await check(image, { site }), 'unverifiable');
    expect(v.reason).toBe('signature-bad');
  });
});

group('verification of an unsigned (Tails-style) description', () => {
  it('is verified by a good image signature, with freshness from the image signature', async () => {
    const state = new MemoryTrustState();
    const v = expectKind(await check(image, { profile: unsignedDemo, state }), 'verified');
    expect(v.signer).toEqual({
      primaryFingerprint: DEMO_FINGERPRINT,
      signingKeyFingerprint: DEMO_SIGNING_SUBKEY,
      signatureTime: at(100).toISOString(),
      over: 'image',
    });
    expect(v.evidence.signatures.map((s) => s.over)).toEqual(['image']);
    // Only signed facts are remembered: the image signature's time, per image type, no
    // version (the unsigned description's number never enters the record).
    expect(await state.get(freshnessKey('demo', 'Tails', 'stable'))).toBeUndefined();
    expect(await state.get(freshnessKey('demo', 'Tails', 'stable', 'image-signature/img'))).toEqual({
      signatureTime: at(100).toISOString(),
    });
    expect(v.evidence.facts).toEqual({ release: 'unsigned', reference: 'unsigned', bytes: 'image' });
  });

  it('is checksum-only without any image signature, never verified', async () => {
    const none = expectKind(await check(image, { profile: noSignatures }), 'checksum-only');
    expect(none.error?.code).toBe('signature-missing');
    expect(none.expected.sha256).toBe((await hashBytes(image)).digests.sha256);
    const site = goodSite();
    site.files.delete(IMAGE_SIG_URL);
    const missing = expectKind(await check(image, { profile: unsignedDemo, site }), 'checksum-only');
    expect(missing.error?.code).toBe('fetch-http-status');
  });

  it('is checksum-only when the image signature is by an unknown key', async () => {
    const site = goodSite().set(IMAGE_SIG_URL, await signer.signWithStranger(image, at(100)));
    const v = expectKind(await check(image, { profile: unsignedDemo, site }), 'checksum-only');
    expect(v.error?.code).toBe('signature-unknown-key');
  });

  it('is unverifiable when the image signature is bad (never checksum-only)', async () => {
    const site = goodSite().set(IMAGE_SIG_URL, await signer.sign(imageBytes(1000, 99), at(100)));
    const v = expectKind(await check(image, { profile: unsignedDemo, site }), 'unverifiable');
    expect(v.reason).toBe('signature-bad');
    // An unreadable signature proves nothing either way: could not verify (exit 2), not forgery.
    const garbage = goodSite().set(IMAGE_SIG_URL, 'this is not a signature');
    expect(expectKind(await check(image, { profile: unsignedDemo, site: garbage }), 'unverifiable').reason).toBe(
      'signature-unreadable',
    );
  });

  it('catches a replayed older image signature', async () => {
    const state = new MemoryTrustState();
    expectKind(await check(image, { profile: unsignedDemo, state }), 'verified');
    const site = goodSite().set(IMAGE_SIG_URL, await signer.sign(image, at(50)));
    expect(expectKind(await check(image, { profile: unsignedDemo, site, state }), 'unverifiable').reason).toBe(
      'rollback',
    );
  });

  it('never verifies a file whose sha256 matches the unsigned description but whose bytes do not match the signature', async () => {
    const other = imageBytes(image.length, 1234);
    const lying = await describe([{ version: '7.2', type: 'img', bytes: other }]);
    const site = goodSite().set(DESCRIPTION_URL, lying);
    const v = expectKind(await check(other, { profile: unsignedDemo, site }), 'unverifiable');
    expect(v.reason).toBe('signature-bad');
  });
});

group('fetchReleaseMaterial', () => {
  it('fetches every declared input in parallel and records each', async () => {
    const site = goodSite();
    const material = await fetchReleaseMaterial(demo, NAME, site.fetcher);
    // …including the other image type's signature, in case the file was saved under the wrong type.
    expect(site.requests.sort()).toEqual(
      [
        DESCRIPTION_URL,
        `${DESCRIPTION_URL}.sig`,
        `${SITE}/demo-signing.key`,
        IMAGE_SIG_URL,
        `${SITE}/torrents/files/tails-amd64-7.2.iso.sig`,
      ].sort(),
    );
    expect(material.description.bytes).toEqual(description);
    expect(material.imageSignature?.record).toMatchObject({
      role: 'image-signature',
      source: IMAGE_SIG_URL,
      bytes: imageSig.length,
    });
    expect(material.extraKeys).toEqual([]);
  });

  it('records failures instead of throwing, but throws on abort', async () => {
    const site = new MemorySite();
    const material = await fetchReleaseMaterial(demo, NAME, site.fetcher);
    expect(material.description.bytes).toBeUndefined();
    expect(material.description.record.error?.code).toBe('fetch-http-status');
    const controller = new AbortController();
    controller.abort();
    await expect(
      fetchReleaseMaterial(demo, NAME, goodSite().fetcher, { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'aborted' });
  });

  it('skips the image signature for names that are not images of the profile', async () => {
    const site = goodSite();
    const material = await fetchReleaseMaterial(demo, '../../etc/passwd', site.fetcher);
    expect(material.imageSignature).toBeUndefined();
    expect(site.requests.some((u) => u.includes('passwd'))).toBe(false);
  });

  it('uses overrides: local sources, inline keys and replacement pins', async () => {
    const site = goodSite()
      .set('/local/latest.json', description)
      .set('/local/latest.json.sig', descriptionSig)
      .set('/local/img.sig', imageSig);
    const material = await fetchReleaseMaterial(demo, NAME, site.fetcher, {
      overrides: {
        description: '/local/latest.json',
        descriptionSignature: '/local/latest.json.sig',
        imageSignature: '/local/img.sig',
        keys: [DEMO_PUBLIC_KEY, '/local/missing.asc'],
        fingerprints: [DEMO_FINGERPRINT],
      },
    });
    expect(material.description.record.source).toBe('/local/latest.json');
    expect(material.extraKeys.map((k) => k.record.source)).toEqual(['inline', '/local/missing.asc']);
    expect(material.extraKeys[1]?.record.error?.code).toBe('fetch-http-status');
    const hashed = await hashBytes(image);
    const v = (
      await decide({
        profile: demo,
        material,
        fileName: NAME,
        hash: hashed,
        trustState: new MemoryTrustState(),
        now: NOW,
      })
    ).verdict;
    expectKind(v, 'verified');
  });

  it('replacement pins exclude the profile key', async () => {
    const material = await fetchReleaseMaterial(demo, NAME, goodSite().fetcher, {
      overrides: { fingerprints: ['A490D0F4D311A4153E2BB7CADBB802B258ACD84F'] },
    });
    const hashed = await hashBytes(image);
    const v = (
      await decide({
        profile: demo,
        material,
        fileName: NAME,
        hash: hashed,
        trustState: new MemoryTrustState(),
        now: NOW,
      })
    ).verdict;
    expect(expectKind(v, 'unverifiable').reason).toBe('key-invalid');
  });
});
