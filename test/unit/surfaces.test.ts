/**
 * One set of cases through every surface's entry point — `iso-verify verify`, `iso-verify
 * check-signature`, the extension's verification of a page-hashed file (background), and the
 * website widget's engine — which must give the same verdict and the same exit class. The
 * release is in image-signature mode (the description is not signed, like Tails), so the
 * image signature decides, which is exactly what check-signature judges.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPageHash } from '../../src/background/page-verification.js';
import { toBase64 } from '../../src/core/bytes.js';
import { MemoryTrustState } from '../../src/core/freshness.js';
import type { Profile } from '../../src/core/profile.js';
import { parseProfile } from '../../src/core/profile-schema.js';
import { exitStatusFor, type Verdict } from '../../src/core/verdict.js';
import { fetchReleaseMaterial } from '../../src/core/verify/index.js';
import { createWidgetDeps } from '../../src/embed/engine.js';
import { runInProcess, tempDir } from './cli/harness.js';
import { craftV6SignatureByV4Key } from './openpgp/craft.js';
import {
  DEMO_SIGNING_SUBKEY,
  DESCRIPTION_URL,
  MemorySite,
  SITE,
  at,
  createDemoSigner,
  describe as describeRelease,
  hashBytes,
  imageBytes,
  type DemoSigner,
} from './verify/demo-release.js';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const DEMO_JSON = JSON.parse(readFileSync(path.join(REPO, 'profiles/demo.json'), 'utf8')) as Record<string, unknown>;
const DEMO_KEY = readFileSync(path.join(REPO, 'profiles/keys/demo-signing.asc'), 'utf8');
const DEMO_SECRET = readFileSync(path.join(REPO, 'test/fixtures/demo-key/demo-signing.secret.asc'), 'utf8');
const KEY_URL = `${SITE}/demo-signing.key`;
const NAME = 'tails-amd64-9.5.img';
const NOW = at(60 * 24 * 7);

const tmp = tempDir('iso-verify-surfaces-');
let signer: DemoSigner;
let profile: Profile;
let profileFile: string;
let image: Uint8Array;
let description: Uint8Array;
const signatures: Record<string, Uint8Array> = {};

beforeAll(async () => {
  signer = await createDemoSigner();
  image = imageBytes(1_500_007, 41);
  description = await describeRelease([{ version: '9.5', type: 'img', bytes: image }]);
  const json = { ...DEMO_JSON, id: 'image-mode', signingKeyFile: 'demo-signing.asc' };
  delete (json as Record<string, unknown>).descriptionSignatureUrl;
  profileFile = path.join(tmp.dir, 'image-mode.json');
  writeFileSync(profileFile, JSON.stringify(json));
  writeFileSync(path.join(tmp.dir, 'demo-signing.asc'), DEMO_KEY);
  profile = parseProfile(json, () => DEMO_KEY);

  const good = await signer.sign(image, at(100));
  const bad = await signer.sign(imageBytes(1000, 3), at(100));
  signatures.good = good;
  signatures.stranger = await signer.signWithStranger(image, at(100));
  signatures.garbage = new TextEncoder().encode('<html><body>Not Found</body></html>\n');
  signatures.empty = new Uint8Array(0);
  signatures.truncated = good.subarray(0, 30);
  signatures['good+bad'] = new Uint8Array([...good, ...bad]);
  signatures['bad+good'] = new Uint8Array([...bad, ...good]);
  signatures['v6 by v4 key'] = await craftV6SignatureByV4Key(DEMO_SECRET, DEMO_SIGNING_SUBKEY, image, at(100));
});
afterAll(async () => {
  await signer?.cleanup();
  tmp.cleanup();
});

interface Case {
  name: string;
  bytes: () => Uint8Array;
  signature: string;
  kind: Verdict['kind'];
  exit: 0 | 1 | 2;
}

const changed = () => {
  const copy = image.slice();
  copy[777] = copy[777]! ^ 1;
  return copy;
};

const CASES: Case[] = [
  { name: 'authentic image, good signature', bytes: () => image, signature: 'good', kind: 'verified', exit: 0 },
  { name: 'one changed byte', bytes: changed, signature: 'good', kind: 'mismatch', exit: 1 },
  { name: 'truncated download', bytes: () => image.subarray(0, 1_000_000), signature: 'good', kind: 'incomplete', exit: 1 },
  // Every surface refreshed the key from the site (the CLI too, below): the signer is simply
  // unknown. Without a refresh it would be "most likely a newer key" (test/unit/cli/key-life.test.ts).
  { name: 'signed by a key that is not pinned', bytes: () => image, signature: 'stranger', kind: 'checksum-only', exit: 2 },
  { name: 'an HTML page instead of the signature', bytes: () => image, signature: 'garbage', kind: 'unverifiable', exit: 2 },
  { name: 'an empty signature file', bytes: () => image, signature: 'empty', kind: 'unverifiable', exit: 2 },
  { name: 'a truncated signature file', bytes: () => image, signature: 'truncated', kind: 'unverifiable', exit: 2 },
  { name: 'good then bad signature by the pinned key', bytes: () => image, signature: 'good+bad', kind: 'unverifiable', exit: 1 },
  { name: 'bad then good signature by the pinned key', bytes: () => image, signature: 'bad+good', kind: 'unverifiable', exit: 1 },
  { name: 'a v6 signature made by the v4 key', bytes: () => image, signature: 'v6 by v4 key', kind: 'unverifiable', exit: 2 },
];

function site(signature: Uint8Array): MemorySite {
  return new MemorySite().set(DESCRIPTION_URL, description).set(`${SITE}/torrents/files/${NAME}.sig`, signature).set(KEY_URL, DEMO_KEY);
}

/** A fetch() over the in-memory site, for the widget (which takes a real fetch). */
function siteFetch(s: MemorySite): typeof globalThis.fetch {
  return (async (input: RequestInfo | URL) => {
    const url = String(input instanceof Request ? input.url : input);
    const bytes = s.files.get(url);
    return bytes ? new Response(bytes.slice().buffer as ArrayBuffer, { status: 200 }) : new Response('', { status: 404 });
  }) as typeof globalThis.fetch;
}

async function viaCliVerify(c: Case): Promise<{ kind: string; exit: number }> {
  const dir = path.join(tmp.dir, c.name.replace(/\W+/g, '-'));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, NAME);
  writeFileSync(file, c.bytes());
  writeFileSync(path.join(dir, 'latest.json'), description);
  writeFileSync(path.join(dir, `${NAME}.sig`), signatures[c.signature]!);
  const r = await runInProcess(
    ['verify', file, '--profile', profileFile, '--descriptor', path.join(dir, 'latest.json'),
      '--image-signature', path.join(dir, `${NAME}.sig`), '--state', path.join(dir, 'state.json'), '--json'],
    // Online for the key refresh only (the other inputs are local), like the other surfaces.
    { now: NOW, fetch: siteFetch(site(signatures[c.signature]!)) },
  );
  return { kind: JSON.parse(r.stdout).verdict, exit: r.status };
}

async function viaCheckSignature(c: Case): Promise<number> {
  const dir = path.join(tmp.dir, c.name.replace(/\W+/g, '-'));
  const r = await runInProcess(['check-signature', path.join(dir, NAME), path.join(dir, `${NAME}.sig`), '--profile', profileFile], { now: NOW });
  return r.status;
}

async function viaExtension(c: Case): Promise<Verdict> {
  const s = site(signatures[c.signature]!);
  const hashed = await hashBytes(c.bytes());
  // What the page sends: the byte count and the saved hasher states, nothing else.
  const states = { sha256: toBase64(hashed.continuations.sha256!.saveState!()), sha512: toBase64(hashed.continuations.sha512!.saveState!()) };
  const { verdict } = await verifyPageHash(
    { profile, material: (name) => fetchReleaseMaterial(profile, name, s.fetcher), trustState: new MemoryTrustState(), now: () => NOW },
    { fileName: NAME, bytes: hashed.bytes, states },
  );
  return verdict;
}

async function viaWidget(c: Case): Promise<Verdict> {
  const s = site(signatures[c.signature]!);
  const deps = createWidgetDeps(
    { ...profile, keyUrl: KEY_URL },
    // The page's worker hashes the picked file; here it is hashed in place, with the same core code.
    { trustState: new MemoryTrustState(), pageUrl: `${SITE}/download.html`, fetch: siteFetch(s), now: () => NOW, hash: async (file) => hashBytes(new Uint8Array(await file.arrayBuffer())) },
  );
  const picked = new File([c.bytes().slice()], NAME);
  const { verdict } = await deps.verify(picked, { onProgress: () => undefined, onHashed: () => undefined, signal: new AbortController().signal });
  return verdict;
}

describe('every surface gives the same verdict and exit class', () => {
  it.each(CASES)('$name → $kind (exit $exit)', async (c) => {
    const cli = await viaCliVerify(c);
    expect(cli, 'iso-verify verify').toEqual({ kind: c.kind, exit: c.exit });
    expect(await viaCheckSignature(c), 'iso-verify check-signature').toBe(c.exit);
    const extension = await viaExtension(c);
    expect({ kind: extension.kind, exit: exitStatusFor(extension) }, 'extension').toEqual({ kind: c.kind, exit: c.exit });
    const widget = await viaWidget(c);
    expect({ kind: widget.kind, exit: exitStatusFor(widget) }, 'widget').toEqual({ kind: c.kind, exit: c.exit });
    if (extension.kind === 'unverifiable' && widget.kind === 'unverifiable') expect(widget.reason).toBe(extension.reason);
  });
});
