/**
 * The shipped Tails key (profiles/keys/tails-signing.asc) is the key as published in 2026,
 * minimized to self-signatures. With it alone — no refresh — the real 2021 and 2025–2026 release
 * data verify, by the subkeys GnuPG reports; the key's expiry is watched; and the previous
 * releases' signed upgrade descriptions sign the 7.x ISO's version, size and SHA-256.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readKey } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryTrustState } from '../../../src/core/freshness.js';
import { keyExpiryWarning, signingExpiry } from '../../../src/core/openpgp/expiry.js';
import {
  loadPinnedKeyring,
  readDetachedSignature,
  verifyDetached,
  type PinnedKeyring,
} from '../../../src/core/openpgp/index.js';
import { BUILTIN_PROFILES } from '../../../src/core/profiles/builtin.js';
import { exitStatusFor } from '../../../src/core/verdict.js';
import { decide } from '../../../src/core/verify/decide.js';
import { fetchReleaseMaterial } from '../../../src/core/verify/index.js';
import { createGpgHome, type GpgHome } from '../../helpers/gpg.js';
import { TAILS_2021_FIXTURES, TAILS_CURRENT_FIXTURES } from '../../helpers/shared-fixtures.js';
import { MemorySite, hashBytes, imageBytes } from '../verify/demo-release.js';

const tails = BUILTIN_PROFILES.tails;
const PRIMARY = 'A490D0F4D311A4153E2BB7CADBB802B258ACD84F';
const SHIPPED = readFileSync(new URL('../../../profiles/keys/tails-signing.asc', import.meta.url), 'utf8');

function udfsUnder(root: string): Array<{ name: string; data: Uint8Array; signature: Uint8Array }> {
  const out: Array<{ name: string; data: Uint8Array; signature: Uint8Array }> = [];
  const base = path.join(root, 'upgrade');
  for (const version of readdirSync(base)) {
    for (const channel of readdirSync(path.join(base, version))) {
      const file = path.join(base, version, channel, 'upgrades.yml');
      out.push({
        name: `${path.relative(TAILS_CURRENT_FIXTURES, root) || '.'}:${version}/${channel}`,
        data: new Uint8Array(readFileSync(file)),
        signature: new Uint8Array(readFileSync(`${file}.pgp`)),
      });
    }
  }
  return out;
}

const udfs2021 = udfsUnder(TAILS_2021_FIXTURES);
const udfs2026 = [...udfsUnder(TAILS_CURRENT_FIXTURES), ...udfsUnder(path.join(TAILS_CURRENT_FIXTURES, '7.9'))];
let keyring: PinnedKeyring;
let gpg: GpgHome;

beforeAll(async () => {
  keyring = await loadPinnedKeyring([tails.signingKey], tails.pinnedFingerprints);
  gpg = await createGpgHome();
  await gpg.importKey(SHIPPED);
});
afterAll(async () => {
  await gpg?.cleanup();
});

describe('the shipped Tails key', () => {
  it("is the profile's key, the current one (valid until 2027-01-13), with self-signatures only", async () => {
    expect(tails.signingKey).toBe(SHIPPED);
    const key = await readKey({ armoredKey: SHIPPED });
    expect(key.getFingerprint().toUpperCase()).toBe(PRIMARY);
    expect(((await key.getExpirationTime()) as Date).toISOString().slice(0, 10)).toBe('2027-01-13');
    const primaryId = key.getKeyID();
    for (const user of key.users) {
      expect(user.otherCertifications).toHaveLength(0);
      for (const sig of [...user.selfCertifications, ...user.revocationSignatures])
        expect(sig.issuerKeyID.equals(primaryId)).toBe(true);
    }
    expect(key.subkeys.map((s) => s.getFingerprint().toUpperCase())).toEqual(
      expect.arrayContaining([
        'CEB36DE785728E708F593B75C69FF0E4C08F8209',
        '4FDE1D065B10343FBD642A14BC8BD3DAC9CD2979',
        'A013A001BEDF1AFADF0B0B3AE26AE7BE8FA5B8D1',
      ]),
    );
    expect(SHIPPED.length).toBeLessThan(
      readFileSync(path.join(TAILS_CURRENT_FIXTURES, 'tails-signing.key')).length / 10,
    );
  });

  it.each([...udfs2021.map((u) => [u.name, u] as const), ...udfs2026.map((u) => [u.name, u] as const)])(
    '%s verifies with it alone, by the subkey GnuPG reports',
    async (_name, { data, signature }) => {
      const ours = await verifyDetached(keyring, data, signature, {
        over: 'upgrade-description',
        now: new Date('2026-11-29T12:00:00Z'),
      });
      const reference = await gpg.verifyWithGpg(signature, data);
      expect(reference.output).toContain('Good signature');
      expect(ours.error).toBeUndefined();
      expect(ours.good).toBe(true);
      expect(ours.primaryFingerprint).toBe(PRIMARY);
      expect(ours.signingKeyFingerprint).toBe(reference.signingFingerprint);
    },
  );

  it('knows the signers of the 7.6.1 and 7.9 image signatures', async () => {
    const signers = [
      'tails-amd64-7.6.1.img.sig',
      'tails-amd64-7.6.1.iso.sig',
      '7.9/tails-amd64-7.9.iso.sig',
      '7.9/tails-amd64-7.9.img.sig',
    ].map(
      async (f) => (await readDetachedSignature(readFileSync(path.join(TAILS_CURRENT_FIXTURES, f)))).issuerFingerprint,
    );
    const subkeys = keyring.keys[0]!.subkeys.map((s) => s.getFingerprint().toUpperCase());
    for (const fpr of await Promise.all(signers)) expect(subkeys).toContain(fpr);
  });

  it('its signing ends 2027-01-13: warned about within 60 days, not before', async () => {
    const [expiry] = await signingExpiry(keyring, new Date('2026-06-01T00:00:00Z'));
    expect(expiry?.signingUntil?.toISOString().slice(0, 10)).toBe('2027-01-13');
    expect(await keyExpiryWarning(keyring, new Date('2026-06-01T00:00:00Z'))).toBeUndefined();
    expect(await keyExpiryWarning(keyring, new Date('2026-11-29T00:00:00Z'))).toContain('2027-01-13');
  });
});

describe('verifying Tails with the shipped key', () => {
  const ISO = {
    name: 'tails-amd64-7.6.1.iso',
    size: 2023419904,
    sha256: '126895580af9ce9bcc5ba2d9c66133907c7f99917ee4847729e1ad980de0782e',
  };
  function site(): MemorySite {
    return new MemorySite()
      .set(tails.descriptionUrl, readFileSync(path.join(TAILS_CURRENT_FIXTURES, 'latest.json')))
      .set(
        'https://tails.net/torrents/files/tails-amd64-7.6.1.iso.sig',
        readFileSync(path.join(TAILS_CURRENT_FIXTURES, 'tails-amd64-7.6.1.iso.sig')),
      )
      .set(
        'https://tails.net/torrents/files/tails-amd64-7.6.1.img.sig',
        readFileSync(path.join(TAILS_CURRENT_FIXTURES, 'tails-amd64-7.6.1.img.sig')),
      )
      .set(
        'https://tails.net/upgrade/v2/Tails/7.6/amd64/stable/upgrades.yml',
        readFileSync(path.join(TAILS_CURRENT_FIXTURES, 'upgrade/7.6/stable/upgrades.yml')),
      )
      .set(
        'https://tails.net/upgrade/v2/Tails/7.6/amd64/stable/upgrades.yml.pgp',
        readFileSync(path.join(TAILS_CURRENT_FIXTURES, 'upgrade/7.6/stable/upgrades.yml.pgp')),
      );
  }
  /** Without the 2 GB image: the published size and SHA-256, hashers fed with other bytes. */
  async function judge(
    facts: { name: string; size: number; sha256: string },
    s = site(),
    now = new Date('2026-11-29T12:00:00Z'),
  ) {
    const stand = await hashBytes(imageBytes(1 << 16, 9));
    const hash = {
      bytes: facts.size,
      digests: { sha256: facts.sha256, sha512: stand.digests.sha512! },
      continuations: stand.continuations,
    };
    const material = await fetchReleaseMaterial(tails, facts.name, s.fetcher);
    return (
      await decide({ profile: tails, material, fileName: facts.name, hash, trustState: new MemoryTrustState(), now })
    ).verdict;
  }

  it("the 7.6 upgrade description signs the 7.6.1 ISO's version, size and SHA-256", async () => {
    const v = await judge(ISO);
    // The stand-in bytes do not match the real image signature: never verified.
    expect(v.kind).toBe('unverifiable');
    expect(v.evidence.facts).toMatchObject({ release: 'upgrade-description', reference: 'upgrade-description' });
    expect(v.evidence.expected).toMatchObject({ version: '7.6.1', type: 'iso', size: ISO.size, sha256: ISO.sha256 });
    const udf = v.evidence.signatures.find((s) => s.over === 'upgrade-description');
    expect(udf).toMatchObject({ good: true, signingKeyFingerprint: 'A013A001BEDF1AFADF0B0B3AE26AE7BE8FA5B8D1' });
    expect(v.evidence.inputs.map((i) => i.source)).toContain(
      'https://tails.net/upgrade/v2/Tails/7.6/amd64/stable/upgrades.yml',
    );
  });

  it('a short ISO is proven incomplete by the signed upgrade description, even without the image signature', async () => {
    const s = site();
    s.files.delete('https://tails.net/torrents/files/tails-amd64-7.6.1.iso.sig');
    const v = await judge({ ...ISO, size: ISO.size - 4096 }, s);
    expect(v.kind).toBe('incomplete');
    expect(v.evidence.facts?.reference).toBe('upgrade-description');
    expect(exitStatusFor(v)).toBe(1);
  });

  it('the IMG has no upgrade description: its reference stays unsigned, and a short IMG is not "proven"', async () => {
    const s = site();
    s.files.delete('https://tails.net/torrents/files/tails-amd64-7.6.1.img.sig');
    const v = await judge(
      {
        name: 'tails-amd64-7.6.1.img',
        size: 2033188864 - 4096,
        sha256: '9ac07e7fbd5f43ea274a0fd1bb1b73d3885c918e2754bd75d7b778cf2662b907',
      },
      s,
    );
    expect(v.kind).toBe('incomplete');
    expect(v.evidence.facts?.reference).toBe('unsigned');
    expect(exitStatusFor(v)).toBe(2);
  });

  it('warns that the shipped key expires soon when the refresh could not be fetched: connect, not "update"', async () => {
    const v = await judge(ISO);
    expect(v.evidence.warnings?.map((w) => w.code)).toEqual(['signing-key-not-refreshed']);
    expect(v.evidence.warnings?.[0]?.detail).toContain('2027-01-13');
    const s = site().set(tails.keyUrl!, readFileSync(path.join(TAILS_CURRENT_FIXTURES, 'tails-signing.key')));
    const refreshed = await judge(ISO, s);
    expect(refreshed.evidence.warnings?.map((w) => w.code) ?? []).not.toContain('signing-key-expires-soon');
  });
});
