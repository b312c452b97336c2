/**
 * The decision in image-signature mode (the description is not signed, like Tails) with the
 * second signed source — an earlier release's signed upgrade description naming the ISO — and
 * the file-name rule that recognises a browser's duplicate-name copy and an image saved under
 * the other type's name. Release data signed by GnuPG with the demo key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshnessKey, MemoryTrustState } from '../../../src/core/freshness.js';
import type { Profile } from '../../../src/core/profile.js';
import { BUILTIN_PROFILES } from '../../../src/core/profiles/builtin.js';
import { exitStatusFor, type Verdict } from '../../../src/core/verdict.js';
import { parseImageFileName, previousVersions } from '../../../src/core/verify/index.js';
import {
  DESCRIPTION_URL,
  MemorySite,
  SITE,
  at,
  createDemoSigner,
  describe as describeRelease,
  fetchDecideRecord,
  hashBytes,
  imageBytes,
  sha256Hex,
  type DemoSigner,
} from './demo-release.js';

const profile: Profile = (() => {
  const p: Profile = {
    ...BUILTIN_PROFILES.demo,
    upgradeDescriptionUrl: `${SITE}/upgrade/v2/Tails/{version}/amd64/stable/upgrades.yml`,
  };
  delete p.descriptionSignatureUrl;
  delete p.keyUrl;
  return p;
})();
const NOW = at(60 * 24 * 7);
const UDF_URL = `${SITE}/upgrade/v2/Tails/9.1/amd64/stable/upgrades.yml`;
const ISO = 'tails-amd64-9.2.iso';
const IMG = 'tails-amd64-9.2.img';

let signer: DemoSigner;
let iso: Uint8Array;
let img: Uint8Array;
let description: Uint8Array;
let udf: Uint8Array;

function upgrades(version: string, file: { name: string; bytes: Uint8Array }, sha256: string): Uint8Array {
  const text = `build-target: amd64
channel: stable
initial-install-version: '9.1'
product-name: Tails
upgrades:
- details-url: https://example.org/news/version_${version}/
  type: major
  upgrade-paths:
  - target-files:
    - sha256: ${sha256}
      size: ${file.bytes.length}
      url: https://download.example/tails/stable/tails-amd64-${version}/${file.name}
    type: full
  version: '${version}'
`;
  return new TextEncoder().encode(text);
}

beforeAll(async () => {
  signer = await createDemoSigner();
  iso = imageBytes(700_001, 21);
  img = imageBytes(900_003, 22);
  description = await describeRelease([
    { version: '9.2', type: 'img', bytes: img },
    { version: '9.2', type: 'iso', bytes: iso },
  ]);
  udf = upgrades('9.2', { name: ISO, bytes: iso }, sha256Hex(await hashBytes(iso)));
});
afterAll(async () => {
  await signer?.cleanup();
});

async function site(options: { isoSig?: boolean; udf?: boolean; description?: Uint8Array } = {}): Promise<MemorySite> {
  const s = new MemorySite()
    .set(DESCRIPTION_URL, options.description ?? description)
    .set(`${SITE}/torrents/files/${IMG}.sig`, await signer.sign(img, at(100)));
  if (options.isoSig !== false) s.set(`${SITE}/torrents/files/${ISO}.sig`, await signer.sign(iso, at(101)));
  if (options.udf !== false) s.set(UDF_URL, udf).set(`${UDF_URL}.pgp`, await signer.sign(udf, at(110)));
  return s;
}

async function check(bytes: Uint8Array, name: string, s: MemorySite, state = new MemoryTrustState()): Promise<Verdict> {
  return fetchDecideRecord({
    profile,
    fileName: name,
    hash: await hashBytes(bytes),
    fetcher: s.fetcher,
    trustState: state,
    now: NOW,
  });
}

describe("the previous release's signed upgrade description", () => {
  it("signs the ISO's version, size and SHA-256; the image signature the bytes; the record keeps the signed version", async () => {
    const state = new MemoryTrustState();
    const v = await check(iso, ISO, await site(), state);
    expect(v.kind).toBe('verified');
    expect(v.evidence.facts).toEqual({
      release: 'upgrade-description',
      reference: 'upgrade-description',
      bytes: 'image',
    });
    expect(v.evidence.signatures.map((s) => [s.over, s.good])).toEqual([
      ['upgrade-description', true],
      ['image', true],
    ]);
    expect(await state.get(freshnessKey('demo', 'Tails', 'stable', 'image-signature/iso'))).toEqual({
      version: '9.2',
      signatureTime: at(101).toISOString(),
    });
  });

  it('without the image signature, the signed upgrade description alone verifies the ISO', async () => {
    const v = await check(iso, ISO, await site({ isoSig: false }));
    expect(v.kind).toBe('verified');
    if (v.kind === 'verified') expect(v.signer.over).toBe('upgrade-description');
    expect(v.evidence.facts?.bytes).toBe('upgrade-description');
  });

  it('an unsigned description that lies about the ISO is overruled by the signed one, with a warning', async () => {
    const lying = await describeRelease([{ version: '9.2', type: 'iso', size: iso.length, sha256: 'cd'.repeat(32) }]);
    const v = await check(iso, ISO, await site({ description: lying }));
    expect(v.kind).toBe('verified');
    expect(v.evidence.expected?.sha256).toBe(sha256Hex(await hashBytes(iso)));
    expect(v.evidence.warnings?.map((w) => w.code)).toContain('unsigned-description-differs');
  });

  it('a changed ISO is a mismatch proven by the signed upgrade description (exit 1)', async () => {
    const changed = iso.slice();
    changed[10] = changed[10]! ^ 1;
    const v = await check(changed, ISO, await site({ isoSig: false }));
    expect(v.kind).toBe('mismatch');
    expect(exitStatusFor(v)).toBe(1);
  });

  it('an upgrade description signed by a stranger is ignored: the version stays unsigned', async () => {
    const s = (await site()).set(`${UDF_URL}.pgp`, await signer.signWithStranger(udf, at(110)));
    const v = await check(iso, ISO, s);
    expect(v.kind).toBe('verified');
    expect(v.evidence.facts).toEqual({ release: 'unsigned', reference: 'unsigned', bytes: 'image' });
  });

  it('candidate previous versions', () => {
    expect(previousVersions('7.6.1')).toEqual(['7.6', '7.5']);
    expect(previousVersions('7.6.2')).toEqual(['7.6.1', '7.5']);
    expect(previousVersions('7.9')).toEqual(['7.8']);
    expect(previousVersions('8.0')).toEqual([]);
    expect(previousVersions('7.0~rc1')).toEqual([]);
  });
});

describe('which published file it is (issue #14)', () => {
  it.each([
    'tails-amd64-9.2(1).img',
    'tails-amd64-9.2 (1).img',
    'tails-amd64-9.2 (12).img',
    'tails-amd64-9.2.img.1',
    'tails-amd64-9.2.img.12',
  ])('%s is the IMG, renamed by the browser or wget', async (name) => {
    expect(parseImageFileName(profile, name)).toMatchObject({
      name: IMG,
      version: '9.2',
      type: 'img',
      renamedCopy: true,
    });
    const v = await check(img, name, await site());
    expect(v.kind).toBe('verified');
    expect(v.evidence.expected?.name).toBe(IMG);
    expect(v.evidence.warnings?.map((w) => w.code)).toContain('renamed-copy');
  });

  it.each([
    'tails-amd64-9.2(1)(1).img',
    'tails-amd64-9.2 (0).img',
    'tails-amd64-9.2.img (1)',
    'x (1).img',
    'tails-amd64-9.2.img.0',
    'tails-amd64-9.2.img.1.1',
    'x.img.1',
  ])('%s is not recognised', (name) => {
    expect(parseImageFileName(profile, name)).toBeUndefined();
  });

  it('the ISO saved under the .img name is recognised by size and SHA-256 and verified as the ISO, saying so', async () => {
    const v = await check(iso, IMG, await site());
    expect(v.kind).toBe('verified');
    expect(v.evidence.expected).toMatchObject({ name: ISO, type: 'iso' });
    expect(v.evidence.warnings?.find((w) => w.code === 'saved-under-other-name')?.detail).toContain(ISO);
    // Its own (ISO) signature was checked, not the IMG's.
    expect(v.evidence.inputs.map((i) => i.source)).toContain(`${SITE}/torrents/files/${ISO}.sig`);
  });

  it('and the IMG under the .iso name', async () => {
    const v = await check(img, ISO, await site());
    expect(v.kind).toBe('verified');
    expect(v.evidence.expected).toMatchObject({ name: IMG, type: 'img' });
  });

  it('an image of another version under this name is still not this release', async () => {
    const other = imageBytes(1000, 77);
    const v = await check(other, IMG, await site());
    expect(v.kind).not.toBe('verified');
  });
});

describe('a signed description stays the reference', () => {
  it('when upgrade descriptions are available too, the description signature vouches and its record is kept', async () => {
    const signedProfile: Profile = {
      ...BUILTIN_PROFILES.demo,
      upgradeDescriptionUrl: `${SITE}/upgrade/v2/Tails/{version}/amd64/stable/upgrades.yml`,
    };
    delete signedProfile.keyUrl;
    const s = (await site()).set(`${DESCRIPTION_URL}.sig`, await signer.sign(description, at(120)));
    const state = new MemoryTrustState();
    const v = await fetchDecideRecord({
      profile: signedProfile,
      fileName: ISO,
      hash: await hashBytes(iso),
      fetcher: s.fetcher,
      trustState: state,
      now: NOW,
    });
    expect(v.kind).toBe('verified');
    expect(v.evidence.facts?.release).toBe('description');
    if (v.kind === 'verified') expect(v.signer.over).toBe('description');
    expect(await state.get(freshnessKey('demo', 'Tails', 'stable'))).toEqual({
      version: '9.2',
      signatureTime: at(120).toISOString(),
    });
  });
});

describe('an unsigned description cannot unname a file its own signature proves (#20)', () => {
  const renamedImg = async () =>
    new TextDecoder().decode(description).replace(`/${IMG}"`, '/tails-amd64-9.2-other.img"');

  it("the IMG entry names another file: the IMG's own good signature still verifies it", async () => {
    const v = await check(img, IMG, await site({ description: new TextEncoder().encode(await renamedImg()) }));
    expect(v.kind).toBe('verified');
    expect(v.evidence.expected).toMatchObject({ name: IMG, type: 'img', version: '9.2', size: img.length });
    expect(v.evidence.facts).toEqual({ release: 'unsigned', reference: 'unsigned', bytes: 'image' });
  });

  it("the description lists no IMG at all: the IMG's own good signature still verifies it", async () => {
    const isoOnly = await describeRelease([{ version: '9.2', type: 'iso', bytes: iso }]);
    const v = await check(img, IMG, await site({ description: isoOnly }));
    expect(v.kind).toBe('verified');
    expect(exitStatusFor(v)).toBe(0);
  });

  it('without an image signature, "not a file of this release" from the unsigned description is not proof (exit 2)', async () => {
    const s = await site({ description: new TextEncoder().encode(await renamedImg()) });
    s.files.delete(`${SITE}/torrents/files/${IMG}.sig`);
    const v = await check(img, IMG, s);
    expect(v.kind).toBe('wrong-release');
    expect(exitStatusFor(v)).toBe(2);
  });

  it('the ISO under the .img name, its own signature withheld: the signed upgrade description still names it', async () => {
    const v = await check(iso, IMG, await site({ isoSig: false }));
    expect(v.kind).toBe('verified');
    expect(v.evidence.expected).toMatchObject({ name: ISO, type: 'iso' });
    expect(v.evidence.facts?.reference).toBe('upgrade-description');
  });
});
