/**
 * A signing key whose life copies Tails' (issue #19), made with GnuPG at faked times, and a
 * release signed at each stage — shared by the CLI's time-travel suite
 * (test/unit/cli/key-life.test.ts) and the browsers' (test/e2e/key-life.e2e.ts):
 *
 *   P (cert) + S1 (sign) created 2020-01-01, valid until 2021-01-01   → "shipped" = P exported then
 *   r1 signed by S1 on 2020-03-01
 *   2020-11-01: P and S1 extended to 2022-06-01 (gpg --quick-set-expire) → "extended-only" export
 *   r2 signed by S1 on 2021-03-01 (after S1's first expiry)
 *   2021-05-01: second signing subkey S2;  r3 signed by S2 on 2021-06-01
 *   r4 signed by S1 on 2021-09-01;  S1 retired 2021-08-01 (soft revocation)
 *   2022-01-01: new primary Q (+ signing subkey SQ) certified by P;  r5 signed by SQ on 2022-02-01
 *   "final" = the site's key file at the end: P and Q
 *
 * Each release is "tails-amd64-9.N.img" (a few KB) with an unsigned Tails-format latest.json.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createGpgHome, type GpgHome } from './gpg.js';

export const KEY_LIFE_TIMES = {
  created: new Date('2020-01-01T00:00:00Z'),
  r1: new Date('2020-03-01T00:00:00Z'), // by S1
  extended: new Date('2020-11-01T00:00:00Z'), // P and S1: 2021-01-01 → 2022-06-01
  r2: new Date('2021-03-01T00:00:00Z'), // by S1, after its first expiry
  s2: new Date('2021-05-01T00:00:00Z'), // S2 added
  r3: new Date('2021-06-01T00:00:00Z'), // by S2
  r4: new Date('2021-09-01T00:00:00Z'), // by S1, after it was retired
  retired: new Date('2021-08-01T00:00:00Z'), // S1 revoked: "no longer used" (soft)
  transition: new Date('2022-01-01T00:00:00Z'), // Q created, certified by P
  r5: new Date('2022-02-01T00:00:00Z'), // by Q's signing subkey
  behind: new Date('2019-01-01T00:00:00Z'),
  future: new Date('2027-06-01T00:00:00Z'),
};

export const DAY_MS = 86_400_000;
export const plusDay = (d: Date): Date => new Date(d.getTime() + DAY_MS);

export type ReleaseName = 'r1' | 'r2' | 'r3' | 'r4' | 'r5';

export interface KeyLifeRelease {
  /** tails-amd64-9.N.img */
  imageName: string;
  version: string;
  /** Absolute paths under the release's directory. */
  image: string;
  signature: string;
  description: string;
  data: Uint8Array;
  sig: Buffer;
  /** The description's text (latest.json). */
  descriptionText: string;
}

export interface KeyLife {
  gpg: GpgHome;
  fpr: Record<'P' | 'S1' | 'S2' | 'Q' | 'SQ', string>;
  releases: Record<ReleaseName, KeyLifeRelease>;
  /** Stage A: P + S1, until 2021-01-01 (armored). */
  shippedKey: Buffer;
  /** Exported right after --quick-set-expire: only the newest self-signatures (armored). */
  extendedOnlyKey: Buffer;
  /** The site's key file at the end: P (extended, S2, S1 retired) and Q (binary). */
  finalKey: Buffer;
  /** gpg --verify of `release` at `clock` with only `key` in a fresh keyring: GnuPG's keyword (GOODSIG, ERRSIG, …). */
  gpgSays(release: ReleaseName, key: Buffer, clock: Date): Promise<string>;
  cleanup(): Promise<void>;
}

/** Make the key's life and its releases under `dir` (about 10–20 s of GnuPG). */
export async function makeKeyLife(dir: string): Promise<KeyLife> {
  const T = KEY_LIFE_TIMES;
  const gpg = await createGpgHome();
  const fpr = {} as KeyLife['fpr'];
  const releases = {} as KeyLife['releases'];

  async function release(name: ReleaseName, signer: string, at: Date): Promise<void> {
    const releaseDir = path.join(dir, name);
    mkdirSync(releaseDir, { recursive: true });
    const version = `9.${Object.keys(releases).length + 1}`;
    const imageName = `tails-amd64-${version}.img`;
    const data = new TextEncoder().encode(`image of ${name}\n`.repeat(1000));
    const image = path.join(releaseDir, imageName);
    writeFileSync(image, data);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const description = path.join(releaseDir, 'latest.json');
    const descriptionText = JSON.stringify({
      build_target: 'amd64',
      channel: 'stable',
      'product-name': 'Tails',
      installations: [
        {
          version,
          'installation-paths': [
            { type: 'img', 'target-files': [{ url: `https://example.org/${imageName}`, sha256, size: data.length }] },
          ],
        },
      ],
    });
    writeFileSync(description, descriptionText);
    const sig = await gpg.detachSign(data, { keyId: signer, digestAlgo: 'SHA512', fakedTime: at });
    const signature = `${image}.sig`;
    writeFileSync(signature, sig);
    releases[name] = { imageName, version, image, signature, description, data, sig, descriptionText };
  }

  fpr.P = await gpg.genKey({
    uid: 'Release <release@example.org>',
    algo: 'ed25519',
    usage: 'cert',
    expire: '2021-01-01',
    fakedTime: T.created,
  });
  fpr.S1 = await gpg.addSubkey(fpr.P, { algo: 'ed25519', usage: 'sign', expire: '2021-01-01', fakedTime: T.created });
  const shippedKey = await gpg.exportKey(fpr.P);
  await release('r1', fpr.S1, T.r1);
  // The release after the first expiry is signed (at its time) before the extension is
  // imported anywhere: gpg signs with the secret key it holds.
  await gpg.gpg(['--quick-set-expire', fpr.P, '2022-06-01'], { fakedTime: T.extended });
  await gpg.gpg(['--quick-set-expire', fpr.P, '2022-06-01', fpr.S1], { fakedTime: T.extended });
  // GnuPG's own minimal export at the time of the extension (later, gpg would also drop the then expired subkey).
  const extendedOnlyKey = (
    await gpg.gpg(['--armor', '--export-options', 'export-minimal', '--export', fpr.P], { fakedTime: T.extended })
  ).stdout;
  await release('r2', fpr.S1, T.r2);
  fpr.S2 = await gpg.addSubkey(fpr.P, { algo: 'ed25519', usage: 'sign', expire: '2022-06-01', fakedTime: T.s2 });
  await release('r3', fpr.S2, T.r3);
  await release('r4', fpr.S1, T.r4); // signed "after" the retirement below, which is dated earlier
  await gpg.revokeSubkey(fpr.P, fpr.S1, 3, { fakedTime: T.retired });
  fpr.Q = await gpg.genKey({
    uid: 'Release 2022 <release2022@example.org>',
    algo: 'ed25519',
    usage: 'cert',
    fakedTime: T.transition,
  });
  fpr.SQ = await gpg.addSubkey(fpr.Q, { algo: 'ed25519', usage: 'sign', fakedTime: T.transition });
  await gpg.gpg(['--default-key', fpr.P, '--quick-sign-key', fpr.Q], { fakedTime: T.transition });
  await release('r5', fpr.SQ, T.r5);
  const finalKey = Buffer.concat([
    await gpg.exportKey(fpr.P, { armor: false }),
    await gpg.exportKey(fpr.Q, { armor: false }),
  ]);

  return {
    gpg,
    fpr,
    releases,
    shippedKey,
    extendedOnlyKey,
    finalKey,
    async gpgSays(name, key, clock) {
      const home = await createGpgHome();
      try {
        await home.importKey(key);
        return (await home.verifyWithGpg(releases[name].sig, releases[name].data, { fakedTime: clock })).keyword;
      } finally {
        await home.cleanup();
      }
    },
    cleanup: () => gpg.cleanup(),
  };
}
