/**
 * `iso-verify mirror` in image-signature mode (latest.json unsigned, like Tails), #20 and #25:
 * "signed size" only where a signature covers it, and --upgrade-description so that the ISO's
 * size can be signed offline. Release data signed by GnuPG with the demo key.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, tempDir, REPO } from '../cli/harness.js';
import {
  at,
  createDemoSigner,
  describe as describeRelease,
  hashBytes,
  imageBytes,
  type DemoSigner,
} from '../verify/demo-release.js';

const V = '9.8';
const IMG = `tails-amd64-${V}.img`;
const ISO = `tails-amd64-${V}.iso`;
const NOW = at(60 * 24 * 7);
const tmp = tempDir('iso-verify-mirror-unsigned-');
let signer: DemoSigner;
let profileFile: string;
let inputs: string[];
let udfArgs: string[];
let img: Uint8Array;
let iso: Uint8Array;

function tree(name: string, files: Record<string, Uint8Array>): string {
  const dir = path.join(tmp.dir, name);
  const release = path.join(dir, 'stable', `tails-amd64-${V}`);
  mkdirSync(release, { recursive: true });
  for (const [file, bytes] of Object.entries(files)) writeFileSync(path.join(release, file), bytes);
  return dir;
}

beforeAll(async () => {
  signer = await createDemoSigner();
  img = imageBytes(300_007, 81);
  iso = imageBytes(200_003, 82);
  const isoSha = (await hashBytes(iso)).digests.sha256!;
  const json = JSON.parse(readFileSync(path.join(REPO, 'profiles/demo.json'), 'utf8')) as Record<string, unknown>;
  delete json.descriptionSignatureUrl;
  json.id = 'unsigned-mirror';
  json.signingKeyFile = 'demo-signing.asc';
  writeFileSync(
    path.join(tmp.dir, 'demo-signing.asc'),
    readFileSync(path.join(REPO, 'profiles/keys/demo-signing.asc')),
  );
  profileFile = path.join(tmp.dir, 'profile.json');
  writeFileSync(profileFile, JSON.stringify(json));
  // The unsigned description lists the right values; the ISO's are also signed by the UDF.
  writeFileSync(
    path.join(tmp.dir, 'latest.json'),
    await describeRelease([
      { version: V, type: 'img', bytes: img },
      { version: V, type: 'iso', bytes: iso },
    ]),
  );
  writeFileSync(path.join(tmp.dir, `${IMG}.sig`), await signer.sign(img, at(100)));
  writeFileSync(path.join(tmp.dir, `${ISO}.sig`), await signer.sign(iso, at(101)));
  const udf = new TextEncoder().encode(`build-target: amd64
channel: stable
initial-install-version: '9.7'
product-name: Tails
upgrades:
- details-url: https://example.org/news/version_${V}/
  type: major
  upgrade-paths:
  - target-files:
    - sha256: ${isoSha}
      size: ${iso.length}
      url: https://download.example/tails/stable/tails-amd64-${V}/${ISO}
    type: full
  version: '${V}'
`);
  writeFileSync(path.join(tmp.dir, 'upgrades.yml'), udf);
  writeFileSync(path.join(tmp.dir, 'upgrades.yml.pgp'), await signer.sign(udf, at(110)));
  inputs = [
    '--profile',
    profileFile,
    '--offline',
    '--state',
    path.join(tmp.dir, 'state.json'),
    '--descriptor',
    path.join(tmp.dir, 'latest.json'),
    '--image-signature',
    path.join(tmp.dir, `${IMG}.sig`),
    '--image-signature',
    path.join(tmp.dir, `${ISO}.sig`),
  ];
  udfArgs = [
    '--upgrade-description',
    path.join(tmp.dir, 'upgrades.yml'),
    '--upgrade-signature',
    path.join(tmp.dir, 'upgrades.yml.pgp'),
  ];
});
afterAll(async () => {
  await signer?.cleanup();
  tmp.cleanup();
});

function sigs(): Record<string, Uint8Array> {
  return {
    [`${IMG}.sig`]: readFileSync(path.join(tmp.dir, `${IMG}.sig`)),
    [`${ISO}.sig`]: readFileSync(path.join(tmp.dir, `${ISO}.sig`)),
  };
}

describe('iso-verify mirror with an unsigned description', () => {
  it('--upgrade-description signs the ISO\'s size offline: "signed size" for the ISO, "expected size (unsigned)" for the IMG', async () => {
    // Both images one byte short on disk: quick mode compares the file sizes.
    const dir = tree('short', { [IMG]: img.subarray(1), [ISO]: iso.subarray(1), ...sigs() });
    const r = await runInProcess(['mirror', dir, '--quick', ...inputs, ...udfArgs], { now: NOW });
    const row = (name: string) => r.stdout.split('\n').find((l) => l.includes(` ${name} `)) ?? '';
    expect(row(ISO)).toMatch(/WRONG-LENGTH .*file size 200002, signed size 200003$/);
    expect(row(IMG)).toMatch(
      /UNVERIFIABLE .*file size 300006, expected size \(unsigned\) 300007: no signature covers that size; the full check decides by the image signature$/,
    );
    expect(r.status).toBe(1); // the signed ISO size proves it
    const json = JSON.parse(
      (await runInProcess(['mirror', dir, '--quick', '--json', ...inputs, ...udfArgs], { now: NOW })).stdout,
    );
    expect(
      json.mirrors[0].files
        .filter((f: { kind: string }) => f.kind === 'image')
        .map((f: { fileName: string; expectedSizeSigned: boolean }) => [f.fileName, f.expectedSizeSigned]),
    ).toEqual([
      [IMG, false],
      [ISO, true],
    ]);
  });

  it('without it, no size is signed: the same short files are not called bad (exit 2)', async () => {
    const dir = tree('short', { [IMG]: img.subarray(1), [ISO]: iso.subarray(1), ...sigs() });
    const r = await runInProcess(['mirror', dir, '--quick', ...inputs], { now: NOW });
    expect(r.stdout).not.toMatch(/(?<!un)signed size/);
    expect(r.status).toBe(2);
  });

  it('full mode decides by the image signatures: a short image is bad because its own signature fails', async () => {
    const dir = tree('short-full', { [IMG]: img.subarray(1), [ISO]: iso, ...sigs() });
    const r = await runInProcess(['mirror', dir, ...inputs], { now: NOW });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(` ${IMG.replace(/\./g, '\\.')} +TRUNCATED`));
    expect(r.stdout).toMatch(new RegExp(` ${ISO.replace(/\./g, '\\.')} +OK`));
  });

  it('the help names --upgrade-description and --upgrade-signature', async () => {
    const r = await runInProcess(['mirror', '--help']);
    expect(r.stdout).toContain('--upgrade-description <url|path>');
    expect(r.stdout).toContain('--upgrade-signature <url|path>');
  });
});
