/**
 * `iso-verify repro` and the reproducibility section of `iso-verify verify`, end to end in
 * process: a demo release signed with gpg, fake rebuilderd servers on loopback (port 0) whose
 * attestations are made by Debian's in-toto-run, and a generated profile pinning them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../../src/cli/context.js';
import { runCli } from '../../../src/cli/run.js';
import { generateSigner, type LinkSigner } from '../../servers/rebuilderd-signer.js';
import {
  loadDemoSigner,
  makeRebuildRecords,
  startFakeRebuilderd,
  type FakeRebuilderd,
  type RebuildScenario,
} from '../../servers/rebuilderd.js';
import {
  DEMO_PUBLIC_KEY,
  DEMO_SECRET_KEY,
  Gpg,
  makeDemoRelease,
  randomBytes,
  type DemoRelease,
} from './gpg-release.js';
import { oneErrorLine, REPO, tempDir } from './harness.js';
import { createSigningKey, publicKeyPem } from '../../../src/cli/attest/signing-key.js';
import { publishReproductions, startStaticHost } from '../../servers/static-reproducer.js';

const RED = '\u001b[31;1m';
const tmp = tempDir('iso-verify-repro-');
let release: DemoRelease;
let signers: LinkSigner[]; // the demo rebuilders' keys a, b, c
let stranger: LinkSigner; // a key no profile pins
const running: FakeRebuilderd[] = [];

beforeAll(async () => {
  const gpg = new Gpg(tmp.dir);
  gpg.importKey(DEMO_SECRET_KEY);
  release = makeDemoRelease(gpg, path.join(tmp.dir, 'release'), '9.1', randomBytes(300_001));
  signers = await Promise.all(['rebuilder-a', 'rebuilder-b', 'rebuilder-c'].map((n) => loadDemoSigner(n)));
  stranger = await generateSigner(path.join(tmp.dir, 'keys'), 'stranger');
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});
afterAll(() => tmp.cleanup());

interface RebuilderSpec {
  scenario: RebuildScenario | 'closed';
  /** Which demo key signs (and is pinned); default: the rebuilder's own (index). */
  key?: number;
}

/** Start one fake rebuilderd per spec; a 'closed' one is a port nobody listens on. */
async function startRebuilders(
  specs: RebuilderSpec[],
): Promise<{ url: string; server?: FakeRebuilderd; signer: LinkSigner }[]> {
  return Promise.all(
    specs.map(async (spec, i) => {
      const signer = signers[spec.key ?? i]!;
      if (spec.scenario === 'closed') {
        const probe = await startFakeRebuilderd({ records: [] });
        await probe.close(); // its port is now free: connection refused
        return { url: probe.url, signer };
      }
      const records = await makeRebuildRecords({
        fileName: release.imageName,
        filePath: release.image,
        scenario: spec.scenario,
        signer,
        otherSigner: stranger,
        buildId: 10 + i,
      });
      const server = await startFakeRebuilderd({ records, publicKeyPem: signer.publicKeyPem });
      running.push(server);
      return { url: server.url, server, signer };
    }),
  );
}

/** A profile like demo.json, pinning the given rebuilders; `signsDescription: false` drops the description signature. */
function writeProfile(
  rebuilders: { url: string; signer: LinkSigner }[],
  opts: { signsDescription?: boolean; threshold?: number } = {},
): string {
  const demo = JSON.parse(readFileSync(path.join(REPO, 'profiles/demo.json'), 'utf8')) as Record<string, unknown>;
  delete demo.keyUrl; // nothing may reach for 127.0.0.1:8470 during the tests
  delete demo.signingKeyFile;
  if (opts.signsDescription === false) delete demo.descriptionSignatureUrl;
  const profile = {
    ...demo,
    id: 'repro-test',
    signingKey: readFileSync(DEMO_PUBLIC_KEY, 'utf8'),
    rebuilders: rebuilders.map((r, i) => ({
      name: `rebuilder-${'abcdefgh'[i]}`,
      baseUrl: r.url,
      publicKeyPem: r.signer.publicKeyPem,
      distribution: 'tails',
      architecture: 'amd64',
    })),
    reproThreshold: opts.threshold ?? 2,
  };
  const file = path.join(tmp.dir, `profile-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(profile));
  return file;
}

/** A static reproducer that reproduced the release image, and a profile pinning it beside `rebuilders`. */
async function withStaticReproducer(
  rebuilders: { url: string; signer: LinkSigner }[],
  opts: { threshold?: number } = {},
) {
  const key = await createSigningKey(path.join(tmp.dir, `static-${Math.random().toString(36).slice(2)}.key`));
  const www = path.join(tmp.dir, `www-${Math.random().toString(36).slice(2)}`);
  await publishReproductions(www, key, [
    { fileName: release.imageName, filePath: release.image, product: 'Tails', version: '9.1' },
  ]);
  const host = await startStaticHost(www);
  running.push({ close: () => host.close() } as FakeRebuilderd);
  const file = writeProfile(rebuilders, opts);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { rebuilders: unknown[] };
  profile.rebuilders.push({
    kind: 'static',
    name: 'static-z',
    baseUrl: host.url,
    publicKeyPem: publicKeyPem(key.publicKeyHex),
  });
  writeFileSync(file, JSON.stringify(profile));
  return { profile: file, host };
}

function freshState(): string {
  return path.join(tmp.dir, `state-${Math.random().toString(36).slice(2)}.json`);
}

/** Release inputs from the demo release on disk; only rebuilders are reached over loopback. */
function releaseArgs(opts: { descriptionSignature?: boolean; imageSignature?: boolean } = {}): string[] {
  return [
    '--descriptor',
    release.description,
    ...(opts.descriptionSignature === false ? [] : ['--signature', release.descriptionSignature]),
    ...(opts.imageSignature === false ? [] : ['--image-signature', release.imageSignature]),
    '--state',
    freshState(),
  ];
}

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], opts: { tty?: boolean } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const context: CliContext = {
    stdout: { write: (t: string) => (stdout += t), isTTY: opts.tty ?? false },
    stderr: { write: (t: string) => (stderr += t), isTTY: false },
    env: { HOME: '/nonexistent-home' },
    cwd: tmp.dir,
    now: () => new Date(),
    fetch: globalThis.fetch.bind(globalThis),
  };
  const status = await runCli(argv, context);
  return { status, stdout, stderr };
}

async function repro(specs: RebuilderSpec[], extra: string[] = [], opts: { tty?: boolean; threshold?: number } = {}) {
  const rebuilders = await startRebuilders(specs);
  const profile = writeProfile(rebuilders, opts.threshold === undefined ? {} : { threshold: opts.threshold });
  const result = await run(['repro', release.image, '--profile', profile, ...releaseArgs(), ...extra], opts);
  return { ...result, rebuilders };
}

function rowOf(stdout: string, name: string): string {
  const row = stdout.split('\n').find((l) => l.trimStart().startsWith(`${name} `));
  if (!row) throw new Error(`no table row for ${name} in:\n${stdout}`);
  return row;
}

describe('iso-verify repro <image file>', () => {
  it('2 of 3 reproduced, one pending → 0; summary first, then the table', async () => {
    const r = await repro([{ scenario: 'good' }, { scenario: 'good' }, { scenario: 'pending' }]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Independently reproduced by 2 of 3 rebuilders (threshold 2): met');
    expect(r.stdout).toMatch(/REBUILDER\s+STATE\s+DATE\s+ATTESTED SHA256\s+BUILD LOG/);
    const a = rowOf(r.stdout, 'rebuilder-a');
    expect(a).toMatch(/reproduced\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    expect(a).toContain(`${release.sha256.slice(0, 16)}…`);
    expect(a).toContain(`${r.rebuilders[0]!.url}/api/v1/builds/10/log`);
    expect(rowOf(r.stdout, 'rebuilder-c')).toMatch(/pending\s+-\s+-\s+-$/);
    expect(r.stdout).toContain(`${release.sha256}  signed (description signature by pinned key`);
    expect(r.stdout).toContain(`${release.image}: verified, same sha256`);
    expect(r.stdout).toContain('rebuilder-c: not rebuilt yet');
  });

  it('--json prints {exitStatus, release, repro: ReproStatus}', async () => {
    const r = await repro([{ scenario: 'good' }, { scenario: 'good' }, { scenario: 'pending' }], ['--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.exitStatus).toBe(0);
    expect(report.release).toMatchObject({
      source: 'file',
      fileName: release.imageName,
      path: release.image,
      verdict: 'verified',
      signed: true,
      version: '9.1',
      type: 'img',
      sha256: release.sha256,
      fileSha256: release.sha256,
    });
    expect(report.repro).toMatchObject({
      fileName: release.imageName,
      threshold: 2,
      reproducedBy: 2,
      anyMismatch: false,
      met: true,
    });
    expect(report.repro.rebuilders.map((x: { state: string }) => x.state)).toEqual([
      'reproduced',
      'reproduced',
      'pending',
    ]);
    expect(report.repro.rebuilders[0].attestedSha256).toBe(release.sha256);
  });

  it('not reproduced yet (pending, UNKWN, unknown) → 2', async () => {
    const r = await repro([{ scenario: 'pending' }, { scenario: 'unkwn' }, { scenario: 'none' }]);
    expect(r.status).toBe(2);
    expect(r.stdout.split('\n')[0]).toBe('Not reproduced yet: 0 of 3 rebuilders (threshold 2)');
    expect(rowOf(r.stdout, 'rebuilder-b')).toContain('pending');
    expect(rowOf(r.stdout, 'rebuilder-c')).toContain('unknown');
    expect(oneErrorLine(r.stderr)).toBe(
      'iso-verify: not reproduced: Not reproduced yet: 0 of 3 rebuilders (threshold 2)',
    );
  });

  it('one reproduction is below the threshold → 2 "not met"', async () => {
    const r = await repro([{ scenario: 'good' }, { scenario: 'bad' }, { scenario: 'pending' }]);
    expect(r.status).toBe(2);
    expect(r.stdout.split('\n')[0]).toBe('Independently reproduced by 1 of 3 rebuilders (threshold 2): not met');
    expect(rowOf(r.stdout, 'rebuilder-b')).toContain('failed');
  });

  it('one signed mismatch → 1, with the red line first (even though two reproduced)', async () => {
    const r = await repro([{ scenario: 'good' }, { scenario: 'good' }, { scenario: 'other-bytes' }], [], { tty: true });
    expect(r.status).toBe(1);
    const first = r.stdout.split('\n')[0]!;
    expect(first.startsWith(`${RED}A rebuilder got DIFFERENT bytes: rebuilder-c built sha256 `)).toBe(true);
    expect(first.endsWith('\u001b[0m')).toBe(true);
    expect(rowOf(r.stdout, 'rebuilder-c')).toContain('MISMATCH');
    expect(r.stdout).toContain('rebuilder-c: the rebuilt file differs from the signed release');
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: mismatch: A rebuilder got DIFFERENT bytes: rebuilder-c/);
    // Without a terminal (or with NO_COLOR) the same line is plain.
    const plain = await repro([{ scenario: 'good' }, { scenario: 'other-bytes' }, { scenario: 'pending' }]);
    expect(plain.status).toBe(1);
    expect(plain.stdout).not.toContain('\u001b[');
    expect(plain.stdout.split('\n')[0]).toMatch(
      /^A rebuilder got DIFFERENT bytes: rebuilder-b built sha256 [0-9a-f]{16}…, not the release's sha256$/,
    );
  });

  it('unreachable rebuilders: two down → 2; one down while two reproduce → 0', async () => {
    const down = await repro([{ scenario: 'good' }, { scenario: 'closed' }, { scenario: 'closed' }]);
    expect(down.status).toBe(2);
    expect(rowOf(down.stdout, 'rebuilder-b')).toContain('unreachable');
    expect(down.stdout).toMatch(/rebuilder-c: fetch-failed: /);
    const up = await repro([{ scenario: 'good' }, { scenario: 'closed' }, { scenario: 'good' }]);
    expect(up.status).toBe(0);
    expect(up.stdout.split('\n')[0]).toBe('Independently reproduced by 2 of 3 rebuilders (threshold 2): met');
  });

  it('bad attestations (bad signature, another key, unsigned) never count → 2', async () => {
    const r = await repro([{ scenario: 'good' }, { scenario: 'bad-signature' }, { scenario: 'other-key' }], ['--json']);
    expect(r.status).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.repro.rebuilders.map((x: { state: string }) => x.state)).toEqual([
      'reproduced',
      'bad-attestation',
      'bad-attestation',
    ]);
    expect(report.repro.reproducedBy).toBe(1);
    const unsigned = await repro([{ scenario: 'unsigned' }, { scenario: 'malformed' }, { scenario: 'good' }]);
    expect(unsigned.status).toBe(2);
    expect(rowOf(unsigned.stdout, 'rebuilder-a')).toContain('bad-attestation');
    expect(rowOf(unsigned.stdout, 'rebuilder-b')).toContain('bad-attestation');
  });

  it('two rebuilders sharing one pinned key count once', async () => {
    const r = await repro([{ scenario: 'good', key: 0 }, { scenario: 'good', key: 0 }, { scenario: 'pending' }]);
    expect(r.status).toBe(2);
    expect(r.stdout.split('\n')[0]).toBe('Independently reproduced by 1 of 3 rebuilders (threshold 2): not met');
    expect(r.stdout).toMatch(/rebuilder-a, rebuilder-b share one pinned key \([0-9a-f]{16}…\) and count once/);
    const distinct = await repro([{ scenario: 'good', key: 0 }, { scenario: 'good', key: 1 }, { scenario: 'pending' }]);
    expect(distinct.status).toBe(0);
  });

  it('a file that is not the signed release → 2, and no rebuilder is asked', async () => {
    const bytes = release.imageBytes.slice();
    bytes[1000]! ^= 1;
    const other = path.join(tmp.dir, 'changed', release.imageName);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.dirname(other), { recursive: true });
    writeFileSync(other, bytes);
    const rebuilders = await startRebuilders([{ scenario: 'good' }, { scenario: 'good' }, { scenario: 'good' }]);
    const r = await run(['repro', other, '--profile', writeProfile(rebuilders), ...releaseArgs()]);
    expect(r.status).toBe(2);
    expect(r.stdout.split('\n')[0]).toMatch(/^REBUILDERS NOT ASKED: NOT AUTHENTIC: /);
    expect(oneErrorLine(r.stderr)).toMatch(
      /^iso-verify: unverifiable: no release hash to compare with: the file's SHA-256 differs/,
    );
    for (const rb of rebuilders) expect(rb.server!.requests).toEqual([]);
  });

  it('a static reproducer counts beside a rebuilderd instance; its link URL is in the table', async () => {
    const rebuilders = await startRebuilders([{ scenario: 'good' }]);
    const { profile, host } = await withStaticReproducer(rebuilders);
    const r = await run(['repro', release.image, '--profile', profile, ...releaseArgs()]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Independently reproduced by 2 of 2 rebuilders (threshold 2): met');
    expect(rowOf(r.stdout, 'static-z')).toContain(`reproduced`);
    expect(rowOf(r.stdout, 'static-z')).toContain(`${host.url}/Tails/9.1/${release.imageName}.link`);
    expect(host.requests).toEqual([`/Tails/9.1/${release.imageName}.link`]);
  });

  it('a threshold above the number of distinct keys → "Not enough reproducers", exit 2, not a failure', async () => {
    const rebuilders = await startRebuilders([{ scenario: 'good' }]);
    const { profile } = await withStaticReproducer(rebuilders, { threshold: 3 });
    const r = await run(['repro', release.image, '--profile', profile, ...releaseArgs()]);
    expect(r.status).toBe(2);
    expect(r.stdout.split('\n')[0]).toBe(
      'Not enough reproducers: 2 of 2 rebuilders (threshold 3) — fewer distinct keys (2) than required',
    );
  });

  it('a profile without rebuilders → 2 before anything is hashed or fetched', async () => {
    const r = await run(['repro', path.join(tmp.dir, 'nowhere', 'x.img'), '--profile', 'tails']);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(
      /profile tails pins no rebuilders or reproducers, .* see docs\/reproduce\.md/,
    );
  });

  it('a missing path (not a bare name) → 2 "no such file"', async () => {
    const rebuilders = await startRebuilders([{ scenario: 'good' }]);
    const missing = path.join(tmp.dir, 'nowhere', release.imageName);
    const r = await run(['repro', missing, '--profile', writeProfile(rebuilders, { threshold: 1 })]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toContain(`${missing}: no such file`);
    expect(rebuilders[0]!.server!.requests).toEqual([]);
  });
});

describe('iso-verify repro <file name> (no image on disk)', () => {
  it('a signed description → the signed release hash is checked → 0', async () => {
    const rebuilders = await startRebuilders([{ scenario: 'good' }, { scenario: 'good' }, { scenario: 'none' }]);
    const r = await run([
      'repro',
      release.imageName,
      '--profile',
      writeProfile(rebuilders),
      ...releaseArgs({ imageSignature: false }),
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.release).toMatchObject({
      source: 'name',
      fileName: release.imageName,
      signed: true,
      verdict: 'verified',
      sha256: release.sha256,
    });
    expect(report.release.path).toBeUndefined();
    expect(report.repro.met).toBe(true);
    const human = await run([
      'repro',
      release.imageName,
      '--profile',
      writeProfile(rebuilders),
      ...releaseArgs({ imageSignature: false }),
    ]);
    expect(human.stdout).toContain('none given: rebuilders are compared with the release hash only');
  });

  it('an unsigned description → checked against the UNSIGNED hash, marked, never 0', async () => {
    const rebuilders = await startRebuilders([{ scenario: 'good' }, { scenario: 'good' }, { scenario: 'good' }]);
    const profile = writeProfile(rebuilders, { signsDescription: false });
    const r = await run([
      'repro',
      release.imageName,
      '--profile',
      profile,
      ...releaseArgs({ descriptionSignature: false, imageSignature: false }),
    ]);
    expect(r.status).toBe(2);
    expect(r.stdout.split('\n')[0]).toBe(
      'Independently reproduced by 3 of 3 rebuilders (threshold 2): met — against an UNSIGNED release hash',
    );
    expect(r.stdout).toContain(`${release.sha256}  UNSIGNED checksum only`);
    expect(oneErrorLine(r.stderr)).toMatch(
      /^iso-verify: not reproduced: only an unsigned release hash: profile repro-test does not sign/,
    );
  });

  it('an unsigned description: a rebuilder naming other bytes is not an alarm and never exit 1 (#20)', async () => {
    const rebuilders = await startRebuilders([{ scenario: 'other-bytes' }, { scenario: 'good' }]);
    const profile = writeProfile(rebuilders, { signsDescription: false, threshold: 1 });
    const args = [
      'repro',
      release.imageName,
      '--profile',
      profile,
      ...releaseArgs({ descriptionSignature: false, imageSignature: false }),
    ];
    const r = await run(args, { tty: true });
    expect(r.status).toBe(2);
    expect(r.stdout).not.toContain(RED);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^Not confirmed: rebuilder-a built sha256 [0-9a-f]{16}…, not the UNSIGNED release sha256 — no signature says which is right — against an UNSIGNED release hash$|^Not confirmed: rebuilder-a built sha256 [0-9a-f]{16}…, not the UNSIGNED release sha256 — no signature says which is right$/,
    );
    expect(oneErrorLine(r.stderr)).toMatch(/^iso-verify: not reproduced: only an unsigned release hash/);
    const json = JSON.parse((await run([...args, '--json'])).stdout);
    expect(json.exitStatus).toBe(2);
    expect(json.repro.anyMismatch).toBe(false);
    expect(json.repro.rebuilders.map((x: { state: string }) => x.state)).toEqual(['unconfirmed', 'reproduced']);
  });

  it('a description whose signature does not verify → 2, rebuilders not asked', async () => {
    const forged = path.join(tmp.dir, 'forged.json');
    writeFileSync(forged, readFileSync(release.description, 'utf8').replace(release.sha256, 'f'.repeat(64)));
    const rebuilders = await startRebuilders([{ scenario: 'good' }, { scenario: 'good' }]);
    const r = await run([
      'repro',
      release.imageName,
      '--profile',
      writeProfile(rebuilders),
      ...releaseArgs(),
      '--descriptor',
      forged,
      '--json',
    ]);
    expect(r.status).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.repro).toBeNull();
    expect(report.release).toMatchObject({ verdict: 'unverifiable', reason: 'signature-bad', signed: false });
    expect(report.release.sha256).toBeUndefined();
    for (const rb of rebuilders) expect(rb.server!.requests).toEqual([]);
  });

  it('a name the release does not list → 2 (wrong release)', async () => {
    const rebuilders = await startRebuilders([{ scenario: 'good' }]);
    const r = await run([
      'repro',
      'tails-amd64-8.0.img',
      '--profile',
      writeProfile(rebuilders, { threshold: 1 }),
      ...releaseArgs(),
    ]);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^REBUILDERS NOT ASKED: NOT THIS RELEASE: /);
  });
});

describe('iso-verify verify: reproducibility is shown, never decisive', () => {
  it('every rebuilder signs different bytes → still "verified", exit 0, with the red line', async () => {
    const rebuilders = await startRebuilders([
      { scenario: 'other-bytes' },
      { scenario: 'other-bytes' },
      { scenario: 'other-bytes' },
    ]);
    const profile = writeProfile(rebuilders);
    const r = await run(['verify', release.image, '--profile', profile, ...releaseArgs()], { tty: true });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^VERIFIED: tails-amd64-9\.1\.img is Tails 9\.1/);
    expect(lines[1]!.startsWith(`${RED}A rebuilder got DIFFERENT bytes: rebuilder-a built sha256 `)).toBe(true);
    expect(r.stdout).toMatch(/rebuilds +\u001b\[31;1mA rebuilder got DIFFERENT bytes/);
    expect(r.stdout).toMatch(
      /rebuilder-c: mismatch \(built .*sha256 [0-9a-f]{16}…, the rebuilt file differs from the signed release, log http:/,
    );

    const json = await run(['verify', release.image, '--profile', profile, ...releaseArgs(), '--json']);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.verdict).toBe('verified');
    expect(report.repro).toMatchObject({ reproducedBy: 0, anyMismatch: true, met: false });
  });

  it('shows the met summary in the evidence when rebuilders agree', async () => {
    const rebuilders = await startRebuilders([{ scenario: 'good' }, { scenario: 'good' }, { scenario: 'pending' }]);
    const r = await run(['verify', release.image, '--profile', writeProfile(rebuilders), ...releaseArgs()]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/rebuilds +Independently reproduced by 2 of 3 rebuilders \(threshold 2\): met/);
    expect(r.stdout).toMatch(/rebuilder-c: pending \(not rebuilt yet\)/);
  });

  it('with nobody configured, verify says so in one line pointing at docs/reproduce.md; the verdict is unchanged', async () => {
    const r = await run(['verify', release.image, '--profile', writeProfile([]), ...releaseArgs()]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^VERIFIED: /);
    const lines = r.stdout.split('\n').filter((l) => /reproduc/i.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/rebuilds +No independent reproducer is configured: see docs\/reproduce\.md/);
  });

  it('--offline skips the rebuilders', async () => {
    const rebuilders = await startRebuilders([{ scenario: 'good' }, { scenario: 'good' }]);
    const r = await run([
      'verify',
      release.image,
      '--profile',
      writeProfile(rebuilders),
      ...releaseArgs(),
      '--offline',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('rebuilds');
    for (const rb of rebuilders) expect(rb.server!.requests).toEqual([]);
  });
});
