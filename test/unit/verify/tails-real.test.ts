/**
 * The real Tails 2021 data: an unsigned latest.json and the real image signatures. Without the
 * real 1.1 GB image, a "file" that has the right size and sha256 must NOT be verified: the
 * unsigned checksum alone never makes a file authentic.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryTrustState } from '../../../src/core/freshness.js';
import { loadPinnedKeyring, mergeKeyRefresh, verifyDetached } from '../../../src/core/openpgp/index.js';
import { BUILTIN_PROFILES } from '../../../src/core/profiles/builtin.js';
import type { Verdict } from '../../../src/core/verdict.js';
import { MemorySite, fetchDecideRecord, hashBytes, imageBytes } from './demo-release.js';
import { TAILS_2021_FIXTURES } from '../../helpers/shared-fixtures.js';

const FIXTURES = TAILS_2021_FIXTURES;
const tails = BUILTIN_PROFILES.tails;
const NOW = new Date('2021-07-01T12:00:00Z');
const TAILS_PRIMARY = 'A490D0F4D311A4153E2BB7CADBB802B258ACD84F';
const ED25519_SUBKEY = 'CD4D4351AFA6933F574A9AFB90B2B4BD7AED235F';

const IMG = {
  name: 'tails-amd64-4.19.img',
  size: 1185939456,
  sha256: 'e5bdb3529d9a26d41d7400a3dd3583837b118bdd4207e05251e4454482d86cdb',
};
const ISO = {
  name: 'tails-amd64-4.19.iso',
  size: 1176215552,
  sha256: 'd61fa1d0204c99023c0d0d8a08b60ec51cbb8ab03abf2f4982c45abc50a00fe4',
};

function site(withSignatures = true): MemorySite {
  const s = new MemorySite()
    .set(tails.descriptionUrl, readFileSync(`${FIXTURES}/latest.json`))
    .set(tails.keyUrl!, readFileSync(`${FIXTURES}/tails-signing.key`));
  if (withSignatures) {
    s.set(
      'https://tails.net/torrents/files/tails-amd64-4.19.img.sig',
      readFileSync(`${FIXTURES}/tails-amd64-4.19.img.sig`),
    );
    s.set(
      'https://tails.net/torrents/files/tails-amd64-4.19.iso.sig',
      readFileSync(`${FIXTURES}/tails-amd64-4.19.iso.sig`),
    );
  }
  return s;
}

/** A stand-in for the image: the claimed size and sha256, but hashers fed with other bytes. */
async function fakeFile(facts: { name: string; size: number; sha256: string }, s = site()): Promise<Verdict> {
  const stand = await hashBytes(imageBytes(1 << 20, 5));
  const hash = {
    bytes: facts.size,
    digests: { sha256: facts.sha256, sha512: stand.digests.sha512! },
    continuations: stand.continuations,
  };
  return fetchDecideRecord({
    profile: tails,
    fileName: facts.name,
    hash,
    fetcher: s.fetcher,
    trustState: new MemoryTrustState(),
    now: NOW,
  });
}

describe('real Tails 4.19 release data', () => {
  beforeAll(async () => {
    // Control: the pinned Tails key (shipped copy + the refresh the pipeline fetches from keyUrl)
    // verifies real Tails signatures, so a failure below is about the bytes, not about the key
    // or the signature format. (The shipped copy alone predates the 2021 signing subkeys.)
    const shipped = await loadPinnedKeyring([tails.signingKey], tails.pinnedFingerprints);
    const keyring = await mergeKeyRefresh(shipped, new Uint8Array(readFileSync(`${FIXTURES}/tails-signing.key`)));
    const udf = readFileSync(`${FIXTURES}/upgrade/4.18/stable/upgrades.yml`);
    const sig = readFileSync(`${FIXTURES}/upgrade/4.18/stable/upgrades.yml.pgp`);
    const result = await verifyDetached(keyring, new Uint8Array(udf), new Uint8Array(sig), {
      over: 'upgrade-description',
      now: NOW,
    });
    expect(result.good, JSON.stringify(result.error)).toBe(true);
  });

  for (const facts of [IMG, ISO]) {
    it(`a fake ${facts.name} with the published size and sha256 is not verified (image signature fails)`, async () => {
      const v = await fakeFile(facts);
      expect(v.kind).toBe('unverifiable');
      if (v.kind !== 'unverifiable') return;
      expect(v.reason).toBe('signature-bad');
      expect(v.evidence.expected).toMatchObject({
        version: '4.19',
        size: facts.size,
        sha256: facts.sha256,
        name: facts.name,
      });
      const [image] = v.evidence.signatures;
      expect(image).toMatchObject({
        over: 'image',
        good: false,
        primaryFingerprint: TAILS_PRIMARY,
        signingKeyFingerprint: ED25519_SUBKEY,
        hashAlgorithm: 'sha512',
      });
      expect(image?.signatureTime?.startsWith('2021-')).toBe(true);
      // The 1.3 MB key refresh merged into the pinned key without error.
      expect(v.evidence.inputs.find((i) => i.role === 'signing-key')?.error).toBeUndefined();
    });
  }

  it('without a reachable image signature the match is checksum-only, never verified', async () => {
    const v = await fakeFile(IMG, site(false));
    expect(v.kind).toBe('checksum-only');
    if (v.kind === 'checksum-only') expect(v.error?.code).toBe('fetch-http-status');
  });

  it('without the key refresh the shipped key still knows the 2021 subkey: the fake file fails its signature', async () => {
    const s = site();
    s.files.delete(tails.keyUrl!);
    const v = await fakeFile(IMG, s);
    expect(v.kind).toBe('unverifiable');
    if (v.kind === 'unverifiable') expect(v.reason).toBe('signature-bad');
    const image = v.evidence.signatures.find((sig) => sig.over === 'image');
    expect(image?.signingKeyFingerprint).toBe('CD4D4351AFA6933F574A9AFB90B2B4BD7AED235F');
  });

  it('judges size, hash and name against the real description', async () => {
    const short = await fakeFile({ ...IMG, size: IMG.size - 4096 });
    expect(short.kind).toBe('incomplete');
    if (short.kind === 'incomplete') expect(short.missingBytes).toBe(4096);
    expect((await fakeFile({ ...IMG, sha256: '0'.repeat(64) })).kind).toBe('mismatch');
    const older = await fakeFile({ ...IMG, name: 'tails-amd64-4.18.img' });
    expect(older.kind === 'wrong-release' && older.reason).toBe('older-version');
    const rc = await fakeFile({ ...IMG, name: 'tails-amd64-4.20~rc1.iso' });
    expect(rc.kind === 'wrong-release' && rc.reason).toBe('other-version');
  });
});
