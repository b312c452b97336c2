/**
 * Time travel through a signing key's life, as Tails' key lived it (issue #19): a GnuPG test key
 * whose expiry is extended, which gains a second signing subkey, retires the first one and
 * finally certifies a new primary key; a release signed at each stage (gpg
 * --faked-system-time); the CLI's clock (CliContext.now) moved across them. Every verdict is
 * compared with `gpg --verify` at the same clock. The README's table "The key's life" is this
 * file's matrix.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_LIFE_TIMES as T, makeKeyLife, plusDay, type KeyLife, type ReleaseName } from '../../helpers/key-life.js';
import { runInProcess, tempDir } from './harness.js';

const KEY_URL = 'https://example.org/signing.key';

const tmp = tempDir('iso-verify-key-life-');
let life: KeyLife;
let fpr: KeyLife['fpr'];
let releases: KeyLife['releases'];
let shippedKey: Buffer; // stage A: P + S1, until 2021-01-01
let extendedOnlyKey: Buffer; // exported right after --quick-set-expire: only the newest self-signatures
let finalKey: Buffer; // the site's key file at the end: P (extended, S2, S1 retired) and Q

beforeAll(async () => {
  life = await makeKeyLife(tmp.dir);
  ({ fpr, releases, shippedKey, extendedOnlyKey, finalKey } = life);
  writeFileSync(path.join(tmp.dir, 'shipped.asc'), shippedKey);
  writeFileSync(path.join(tmp.dir, 'extended-only.asc'), extendedOnlyKey);
}, 120_000);
afterAll(async () => {
  await life?.cleanup();
  tmp.cleanup();
});

/** A profile file in Tails' mode (unsigned description, image signature) pinning P, shipping `keyFile`. */
function profile(keyFile: string, label: string): string {
  const file = path.join(tmp.dir, `profile-${label}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      id: 'keylife',
      product: 'Tails',
      officialSite: 'https://example.org',
      channel: 'stable',
      architecture: 'amd64',
      descriptionUrl: 'https://example.org/latest.json',
      imageSignatureUrl: 'https://example.org/{file}.sig',
      keyUrl: KEY_URL,
      pinnedFingerprints: [fpr.P],
      signingKeyFile: keyFile,
      imagePattern: '^tails-amd64-(?<version>[0-9][0-9a-z.~+-]*)\\.(?<type>img|iso)$',
      maxDescriptionAgeDays: 0,
      rebuilders: [],
      reproThreshold: 1,
    }),
  );
  return file;
}

/** The site's key file when `online`; every other URL (and the key when offline) unreachable. */
function site(online: boolean): typeof globalThis.fetch {
  return async (input) => {
    const url = String(input instanceof Request ? input.url : input);
    if (online && url === KEY_URL) return new Response(new Uint8Array(finalKey), { status: 200 });
    throw new TypeError(`fetch failed: ${url}`);
  };
}

interface Check {
  release: ReleaseName;
  clock: Date;
  online: boolean;
  state: string;
  keyFile?: string;
}

async function verify(c: Check) {
  const r = releases[c.release];
  const result = await runInProcess(
    [
      'verify',
      r.image,
      '--profile',
      profile(c.keyFile ?? 'shipped.asc', c.release),
      '--descriptor',
      r.description,
      '--image-signature',
      r.signature,
      '--state',
      c.state,
      '--json',
    ],
    { now: c.clock, fetch: site(c.online), env: { HOME: tmp.dir } },
  );
  if (!result.stdout.includes('evidence'))
    throw new Error(`no JSON: ${result.status} ${result.stdout} ${result.stderr}`);
  const report = JSON.parse(result.stdout) as {
    kind: string;
    reason?: string;
    error?: { code: string; detail?: string };
    evidence: { warnings?: Array<{ code: string; detail?: string }> };
  };
  return {
    status: result.status,
    report,
    warnings: (report.evidence.warnings ?? []).map((w) => w.code),
    stdout: result.stdout,
  };
}

/** gpg --verify at `clock` with only `key` in a fresh keyring. */
const gpgSays = (name: ReleaseName, key: Buffer, clock: Date): Promise<string> => life.gpgSays(name, key, clock);

let stateCount = 0;
const freshState = () => path.join(tmp.dir, `state-${++stateCount}`, 'state.json');

describe("the key's life, CLI with its clock moved, compared with gpg --verify", () => {
  it('stage A (shipped key): r1 verifies at signing time + 1 day and long after every expiry; GnuPG agrees', async () => {
    for (const clock of [plusDay(T.r1), T.future]) {
      const v = await verify({ release: 'r1', clock, online: false, state: freshState() });
      expect(v.report.kind).toBe('verified');
      expect(v.status).toBe(0);
      expect(['GOODSIG', 'EXPKEYSIG']).toContain(await gpgSays('r1', shippedKey, clock));
    }
  });

  it('a clock past the key\'s end explains itself with both dates, and never says "expires soon"', async () => {
    const v = await verify({ release: 'r1', clock: T.future, online: false, state: freshState() });
    expect(v.warnings).toEqual(['clock-past-key-expiry']);
    const detail = v.report.evidence.warnings![0]!.detail!;
    expect(detail).toContain('2027-06-01');
    expect(detail).toContain('2021-01-01');
  });

  it('a clock years behind: could not verify, the clock named with both dates, never red; GnuPG: ERRSIG', async () => {
    const v = await verify({ release: 'r1', clock: T.behind, online: false, state: freshState() });
    expect(v.report).toMatchObject({
      kind: 'unverifiable',
      reason: 'clock-wrong',
      error: { code: 'signature-in-future' },
    });
    expect(v.report.error?.detail).toContain('2020-03-01');
    expect(v.report.error?.detail).toContain('2019-01-01');
    expect(v.status).toBe(2);
    expect(v.warnings).not.toContain('signing-key-expires-soon');
    expect(await gpgSays('r1', shippedKey, T.behind)).toBe('ERRSIG');
  });

  it('"expires soon" only for a reason that is true: offline says connect, a refresh that extended the key says nothing', async () => {
    const soon = new Date('2020-12-01T00:00:00Z');
    const offline = await verify({ release: 'r1', clock: soon, online: false, state: freshState() });
    expect(offline.report.kind).toBe('verified');
    expect(offline.warnings).toEqual(['signing-key-not-refreshed']);
    const online = await verify({ release: 'r1', clock: soon, online: true, state: freshState() });
    expect(online.report.kind).toBe('verified');
    expect(online.warnings).toEqual([]);
  });

  it('stage B (expiry extended): r2 with the shipped copy and no connection says the key is newer, with what to do; after a refresh it verifies, also offline later', async () => {
    const state = freshState();
    const shipped = await verify({ release: 'r2', clock: plusDay(T.r2), online: false, state });
    expect(shipped.report).toMatchObject({
      kind: 'unverifiable',
      reason: 'signature-newer-key',
      error: { code: 'signature-key-newer' },
    });
    expect(shipped.status).toBe(2);
    expect(shipped.stdout).toMatch(/refresh|update ISO Verify/i);
    // GnuPG with the same shipped copy: a good signature by a key it reports as expired.
    expect(await gpgSays('r2', shippedKey, plusDay(T.r2))).toBe('EXPKEYSIG');
    const refreshed = await verify({ release: 'r2', clock: plusDay(T.r2), online: true, state });
    expect(refreshed.report.kind).toBe('verified');
    const later = await verify({ release: 'r2', clock: T.future, online: false, state });
    expect(later.report.kind).toBe('verified');
    expect(later.warnings).toEqual(['clock-past-key-expiry']);
    expect(readFileSync(path.join(path.dirname(state), 'signing-keys.json'), 'utf8')).toContain('"refreshedAt"');
    // GnuPG with the final key (S1 since retired, a soft revocation dated after r2) reports
    // REVKEYSIG, exit 0; ISO Verify honours a soft revocation only for later signatures (policy.ts).
    expect(await gpgSays('r2', finalKey, plusDay(T.r2))).toBe('REVKEYSIG');
  });

  it('stage C (a second signing subkey): r3 is "signed by a newer key" offline with the shipped copy, verified after a refresh and offline afterwards', async () => {
    const state = freshState();
    const shipped = await verify({ release: 'r3', clock: plusDay(T.r3), online: false, state });
    expect(shipped.report).toMatchObject({
      kind: 'unverifiable',
      reason: 'signature-newer-key',
      error: { code: 'signature-key-newer' },
    });
    expect(await gpgSays('r3', shippedKey, plusDay(T.r3))).toBe('ERRSIG');
    expect((await verify({ release: 'r3', clock: plusDay(T.r3), online: true, state })).report.kind).toBe('verified');
    expect((await verify({ release: 'r3', clock: plusDay(T.r3), online: false, state })).report.kind).toBe('verified');
    expect((await verify({ release: 'r3', clock: T.future, online: false, state })).report.kind).toBe('verified');
    expect(await gpgSays('r3', finalKey, plusDay(T.r3))).toBe('GOODSIG');
  });

  it('stage D (S1 retired): r1 and r2, made before, still verify; r4, made after, does not (never red)', async () => {
    for (const name of ['r1', 'r2'] as const) {
      const v = await verify({ release: name, clock: T.future, online: true, state: freshState() });
      expect(v.report.kind).toBe('verified');
    }
    const r4 = await verify({ release: 'r4', clock: plusDay(T.r4), online: true, state: freshState() });
    expect(r4.report).toMatchObject({
      kind: 'unverifiable',
      reason: 'key-invalid',
      error: { code: 'signature-key-revoked' },
    });
    expect(r4.status).toBe(2);
    expect(await gpgSays('r4', finalKey, plusDay(T.r4))).toBe('REVKEYSIG');
  });

  it('stage E (a new primary key certified by the old one): never trusted automatically, "a new ISO Verify is needed"', async () => {
    for (const online of [true, false]) {
      const v = await verify({ release: 'r5', clock: plusDay(T.r5), online, state: freshState() });
      expect(v.report.kind).toBe('unverifiable');
      expect(v.status).toBe(2);
      if (online) {
        expect(v.report).toMatchObject({ reason: 'signature-newer-key', error: { code: 'signature-key-transition' } });
        expect(v.stdout).toContain('new version of ISO Verify');
      }
    }
    // GnuPG trusts whatever key is in its keyring: with Q imported it says good.
    expect(await gpgSays('r5', finalKey, plusDay(T.r5))).toBe('GOODSIG');
  });

  it('a key exported after --quick-set-expire (newest self-signatures only): r1, made before the extension, verifies, as GnuPG says', async () => {
    const v = await verify({
      release: 'r1',
      clock: plusDay(T.r2),
      online: false,
      state: freshState(),
      keyFile: 'extended-only.asc',
    });
    expect(v.report, v.stdout).toMatchObject({ kind: 'verified' });
    expect(await gpgSays('r1', extendedOnlyKey, plusDay(T.r2))).toBe('GOODSIG');
  });

  it('iso-verify key shows until when the key can sign and when it was last refreshed', async () => {
    const state = freshState();
    await verify({ release: 'r3', clock: plusDay(T.r3), online: true, state });
    const r = await runInProcess(['key', '--profile', profile('shipped.asc', 'key'), '--state', state], {
      now: plusDay(T.r3),
      env: { HOME: tmp.dir },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(fpr.P);
    expect(r.stdout).toMatch(/can sign until 2022-06-01/);
    expect(r.stdout).toMatch(/last refreshed 2021-06-02/);
  });
});
