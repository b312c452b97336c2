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
  {
    name: 'truncated download',
    bytes: () => image.subarray(0, 1_000_000),
    signature: 'good',
    kind: 'incomplete',
    exit: 1,
  },
  // Every surface refreshed the key from the site (the CLI too, below): the signer is simply
  // unknown. Without a refresh it would be "most likely a newer key" (test/unit/cli/key-life.test.ts).
  {
    name: 'signed by a key that is not pinned',
    bytes: () => image,
    signature: 'stranger',
    kind: 'checksum-only',
    exit: 2,
  },
  {
    name: 'an HTML page instead of the signature',
    bytes: () => image,
    signature: 'garbage',
    kind: 'unverifiable',
    exit: 2,
  },
  { name: 'an empty signature file', bytes: () => image, signature: 'empty', kind: 'unverifiable', exit: 2 },
  { name: 'a truncated signature file', bytes: () => image, signature: 'truncated', kind: 'unverifiable', exit: 2 },
  {
    name: 'good then bad signature by the pinned key',
    bytes: () => image,
    signature: 'good+bad',
    kind: 'unverifiable',
    exit: 1,
  },
  {
    name: 'bad then good signature by the pinned key',
    bytes: () => image,
    signature: 'bad+good',
    kind: 'unverifiable',
    exit: 1,
  },
  {
    name: 'a v6 signature made by the v4 key',
    bytes: () => image,
    signature: 'v6 by v4 key',
    kind: 'unverifiable',
    exit: 2,
  },
];

function site(signature: Uint8Array): MemorySite {
  return new MemorySite()
    .set(DESCRIPTION_URL, description)
    .set(`${SITE}/torrents/files/${NAME}.sig`, signature)
    .set(KEY_URL, DEMO_KEY);
}

/** A fetch() over the in-memory site, for the widget (which takes a real fetch). */
function siteFetch(s: MemorySite): typeof globalThis.fetch {
  return (async (input: RequestInfo | URL) => {
    const url = String(input instanceof Request ? input.url : input);
    const bytes = s.files.get(url);
    return bytes
      ? new Response(bytes.slice().buffer as ArrayBuffer, { status: 200 })
      : new Response('', { status: 404 });
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
    [
      'verify',
      file,
      '--profile',
      profileFile,
      '--descriptor',
      path.join(dir, 'latest.json'),
      '--image-signature',
      path.join(dir, `${NAME}.sig`),
      '--state',
      path.join(dir, 'state.json'),
      '--json',
    ],
    // Online for the key refresh only (the other inputs are local), like the other surfaces.
    { now: NOW, fetch: siteFetch(site(signatures[c.signature]!)) },
  );
  return { kind: JSON.parse(r.stdout).verdict, exit: r.status };
}

async function viaCheckSignature(c: Case): Promise<number> {
  const dir = path.join(tmp.dir, c.name.replace(/\W+/g, '-'));
  const r = await runInProcess(
    ['check-signature', path.join(dir, NAME), path.join(dir, `${NAME}.sig`), '--profile', profileFile],
    { now: NOW },
  );
  return r.status;
}

async function viaExtension(c: Case): Promise<Verdict> {
  const s = site(signatures[c.signature]!);
  const hashed = await hashBytes(c.bytes());
  // What the page sends: the byte count and the saved hasher states, nothing else.
  const states = {
    sha256: toBase64(hashed.continuations.sha256!.saveState!()),
    sha512: toBase64(hashed.continuations.sha512!.saveState!()),
  };
  const { verdict } = await verifyPageHash(
    {
      profile,
      material: (name) => fetchReleaseMaterial(profile, name, s.fetcher),
      trustState: new MemoryTrustState(),
      now: () => NOW,
    },
    { fileName: NAME, bytes: hashed.bytes, states },
  );
  return verdict;
}

async function viaWidget(c: Case): Promise<Verdict> {
  const s = site(signatures[c.signature]!);
  const deps = createWidgetDeps(
    { ...profile, keyUrl: KEY_URL },
    // The page's worker hashes the picked file; here it is hashed in place, with the same core code.
    {
      trustState: new MemoryTrustState(),
      pageUrl: `${SITE}/download.html`,
      fetch: siteFetch(s),
      now: () => NOW,
      hash: async (file) => hashBytes(new Uint8Array(await file.arrayBuffer())),
    },
  );
  const picked = new File([c.bytes().slice()], NAME);
  const { verdict } = await deps.verify(picked, {
    onProgress: () => undefined,
    onHashed: () => undefined,
    signal: new AbortController().signal,
  });
  return verdict;
}

describe('every surface gives the same verdict and exit class', () => {
  it.each(CASES)('$name → $kind (exit $exit)', async (c) => {
    const cli = await viaCliVerify(c);
    expect(cli, 'iso-verify verify').toEqual({ kind: c.kind, exit: c.exit });
    expect(await viaCheckSignature(c), 'iso-verify check-signature').toBe(c.exit);
    const extension = await viaExtension(c);
    expect({ kind: extension.kind, exit: exitStatusFor(extension) }, 'extension').toEqual({
      kind: c.kind,
      exit: c.exit,
    });
    const widget = await viaWidget(c);
    expect({ kind: widget.kind, exit: exitStatusFor(widget) }, 'widget').toEqual({ kind: c.kind, exit: c.exit });
    if (extension.kind === 'unverifiable' && widget.kind === 'unverifiable')
      expect(widget.reason).toBe(extension.reason);
  });
});

/*
 * Issue #20: an attacker who controls only the UNSIGNED latest.json (Tails' mode: the image's
 * own signature and signed upgrade descriptions are the signed sources) must not make a genuine
 * file or an honest rebuilder look bad on any surface: no red and no exit 1 unless a signature
 * by a pinned key proves it. Each case is a lie in latest.json about a genuine release; every
 * surface must still say verified (exit 0), the reproducer's honest link must count, and
 * `iso-verify mirror` must call a correct mirror correct.
 */
const V = '9.6';
const LIE_IMG = `tails-amd64-${V}.img`;
const LIE_ISO = `tails-amd64-${V}.iso`;
const LINKS = 'http://127.0.0.1:8499/links';
const LIE_UDF_URL = `${SITE}/upgrade/v2/Tails/9.5/amd64/stable/upgrades.yml`;

interface Genuine {
  img: Uint8Array;
  iso: Uint8Array;
  sha256: Record<'img' | 'iso', string>;
  sigs: Record<'img' | 'iso', Uint8Array>;
  udf: Uint8Array;
  udfSig: Uint8Array;
  links: Map<string, Uint8Array>;
  profileJson: Record<string, unknown>;
  profile: Profile;
  profileFile: string;
}
let g: Genuine;

function udfText(iso: Uint8Array, sha256: string): Uint8Array {
  return new TextEncoder().encode(`build-target: amd64
channel: stable
initial-install-version: '9.5'
product-name: Tails
upgrades:
- details-url: https://example.org/news/version_${V}/
  type: major
  upgrade-paths:
  - target-files:
    - sha256: ${sha256}
      size: ${iso.length}
      url: https://download.example/tails/stable/tails-amd64-${V}/${LIE_ISO}
    type: full
  version: '${V}'
`);
}

beforeAll(async () => {
  const { createSigningKey, publicKeyPem } = await import('../../src/cli/attest/signing-key.js');
  const { makeReproducerLink } = await import('../../src/cli/attest/make-link.js');
  const img = imageBytes(600_011, 61);
  const iso = imageBytes(500_009, 62);
  const himg = await hashBytes(img);
  const hiso = await hashBytes(iso);
  const sha256 = { img: himg.digests.sha256!, iso: hiso.digests.sha256! };
  const key = await createSigningKey(path.join(tmp.dir, 'reproducer.key'));
  const links = new Map<string, Uint8Array>();
  for (const [name, h] of [
    [LIE_IMG, himg],
    [LIE_ISO, hiso],
  ] as const) {
    const link = await makeReproducerLink(key, {
      product: 'Tails',
      version: V,
      fileName: name,
      sha256: h.digests.sha256!,
      sha512: h.digests.sha512!,
    });
    links.set(`${LINKS}/Tails/${V}/${name}.link`, new TextEncoder().encode(link.text));
  }
  const udf = udfText(iso, sha256.iso);
  const profileJson: Record<string, unknown> = {
    ...DEMO_JSON,
    id: 'lies',
    signingKeyFile: 'demo-signing.asc',
    upgradeDescriptionUrl: `${SITE}/upgrade/v2/Tails/{version}/amd64/stable/upgrades.yml`,
    rebuilders: [
      { kind: 'static', name: 'honest-reproducer', baseUrl: LINKS, publicKeyPem: publicKeyPem(key.publicKeyHex) },
    ],
    reproThreshold: 1,
  };
  delete profileJson.descriptionSignatureUrl;
  const file = path.join(tmp.dir, 'lies.json');
  writeFileSync(file, JSON.stringify(profileJson));
  g = {
    img,
    iso,
    sha256,
    sigs: { img: await signer.sign(img, at(200)), iso: await signer.sign(iso, at(201)) },
    udf,
    udfSig: await signer.sign(udf, at(210)),
    links,
    profileJson,
    profile: parseProfile(profileJson, () => DEMO_KEY),
    profileFile: file,
  };
});

interface Lie {
  name: string;
  /** The genuine file the person has. */
  type: 'img' | 'iso';
  /** What the lying latest.json says for each image. */
  entries: () => { img: { size: number; sha256: string }; iso: { size: number; sha256: string } };
  /** Whether the previous release's signed upgrade description is served (else 404). */
  udf: boolean;
}

const WRONG = 'e'.repeat(64);
const LIES: Lie[] = [
  {
    name: "IMG: its entry has a wrong hash, the ISO entry the IMG's size and SHA-256",
    type: 'img',
    entries: () => ({ img: { size: g.img.length, sha256: WRONG }, iso: { size: g.img.length, sha256: g.sha256.img } }),
    udf: true,
  },
  {
    name: "ISO: its entry has a wrong hash, the IMG entry the ISO's size and SHA-256, upgrade description withheld (404)",
    type: 'iso',
    entries: () => ({ img: { size: g.iso.length, sha256: g.sha256.iso }, iso: { size: g.iso.length, sha256: WRONG } }),
    udf: false,
  },
  {
    name: 'IMG and ISO: each entry one byte smaller, with a wrong hash',
    type: 'img',
    entries: () => ({ img: { size: g.img.length - 1, sha256: WRONG }, iso: { size: g.iso.length - 1, sha256: WRONG } }),
    udf: false,
  },
  {
    name: 'IMG and ISO: each entry one byte larger, with a wrong hash',
    type: 'iso',
    entries: () => ({ img: { size: g.img.length + 1, sha256: WRONG }, iso: { size: g.iso.length + 1, sha256: WRONG } }),
    udf: false,
  },
  {
    name: 'IMG and ISO: the right sizes, wrong hashes',
    type: 'img',
    entries: () => ({ img: { size: g.img.length, sha256: WRONG }, iso: { size: g.iso.length, sha256: WRONG } }),
    udf: false,
  },
];

async function lyingDescription(lie: Lie): Promise<Uint8Array> {
  const e = lie.entries();
  return describeRelease([
    { version: V, type: 'img', ...e.img },
    { version: V, type: 'iso', ...e.iso },
  ]);
}

function lieSite(description: Uint8Array, lie: Lie): MemorySite {
  const s = new MemorySite()
    .set(DESCRIPTION_URL, description)
    .set(`${SITE}/torrents/files/${LIE_IMG}.sig`, g.sigs.img)
    .set(`${SITE}/torrents/files/${LIE_ISO}.sig`, g.sigs.iso)
    .set(KEY_URL, DEMO_KEY);
  if (lie.udf) s.set(LIE_UDF_URL, g.udf).set(`${LIE_UDF_URL}.pgp`, g.udfSig);
  for (const [url, bytes] of g.links) s.set(url, bytes);
  return s;
}

/** Release inputs on disk, as a person or an operator gives them to the CLI. */
function lieFiles(
  lie: Lie,
  description: Uint8Array,
): { dir: string; args: string[]; sigArgs: (type: 'img' | 'iso') => string[] } {
  const dir = path.join(tmp.dir, `lie-${LIES.indexOf(lie)}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'latest.json'), description);
  writeFileSync(path.join(dir, `${LIE_IMG}.sig`), g.sigs.img);
  writeFileSync(path.join(dir, `${LIE_ISO}.sig`), g.sigs.iso);
  const args = [
    '--profile',
    g.profileFile,
    '--descriptor',
    path.join(dir, 'latest.json'),
    '--state',
    path.join(dir, 'state.json'),
  ];
  if (lie.udf) {
    writeFileSync(path.join(dir, 'upgrades.yml'), g.udf);
    writeFileSync(path.join(dir, 'upgrades.yml.pgp'), g.udfSig);
    args.push(
      '--upgrade-description',
      path.join(dir, 'upgrades.yml'),
      '--upgrade-signature',
      path.join(dir, 'upgrades.yml.pgp'),
    );
  }
  return {
    dir,
    args,
    sigArgs: (type) => ['--image-signature', path.join(dir, `${type === 'img' ? LIE_IMG : LIE_ISO}.sig`)],
  };
}

describe('an unsigned latest.json that lies cannot make a genuine file, a reproducer or a mirror look bad (#20)', () => {
  it.each(LIES)('$name', async (lie) => {
    const description = await lyingDescription(lie);
    const s = lieSite(description, lie);
    const fetch = siteFetch(s);
    const name = lie.type === 'img' ? LIE_IMG : LIE_ISO;
    const bytes = lie.type === 'img' ? g.img : g.iso;
    const files = lieFiles(lie, description);
    const file = path.join(files.dir, name);
    writeFileSync(file, bytes);

    // CLI verify
    const cli = await runInProcess(['verify', file, ...files.args, ...files.sigArgs(lie.type), '--offline', '--json'], {
      now: NOW,
    });
    expect
      .soft({ verdict: JSON.parse(cli.stdout).verdict, exit: cli.status }, `iso-verify verify\n${cli.stderr}`)
      .toEqual({ verdict: 'verified', exit: 0 });

    // CLI repro: the honest reproducer's link names the bytes the pinned key signed.
    const repro = await runInProcess(['repro', file, ...files.args, ...files.sigArgs(lie.type), '--json'], {
      now: NOW,
      fetch,
    });
    const reproJson = JSON.parse(repro.stdout);
    expect
      .soft(
        { exit: repro.status, states: reproJson.repro?.rebuilders.map((r: { state: string }) => r.state) },
        `iso-verify repro\n${repro.stderr}`,
      )
      .toEqual({ exit: 0, states: ['reproduced'] });
    expect.soft(reproJson.release.sha256, 'repro: the release hash shown is the signed one').toBe(g.sha256[lie.type]);

    // CLI mirror, full mode, on a local tree holding exactly the released files.
    const tree = path.join(files.dir, 'mirror');
    for (const [type, image] of [
      ['img', g.img],
      ['iso', g.iso],
    ] as const) {
      const n = type === 'img' ? LIE_IMG : LIE_ISO;
      mkdirSync(path.join(tree, 'stable', `tails-amd64-${V}`), { recursive: true });
      writeFileSync(path.join(tree, 'stable', `tails-amd64-${V}`, n), image);
      writeFileSync(path.join(tree, 'stable', `tails-amd64-${V}`, `${n}.sig`), g.sigs[type]);
    }
    const mirror = await runInProcess(
      ['mirror', tree, ...files.args, ...files.sigArgs('img'), ...files.sigArgs('iso'), '--offline', '--json'],
      { now: NOW },
    );
    const mirrorJson = JSON.parse(mirror.stdout);
    expect
      .soft(
        {
          exit: mirror.status,
          files: mirrorJson.mirrors?.[0]?.files.map(
            (f: { fileName: string; status: string }) => `${f.fileName} ${f.status}`,
          ),
        },
        `iso-verify mirror\n${mirror.stderr}`,
      )
      .toEqual({ exit: 0, files: [LIE_IMG, `${LIE_IMG}.sig`, LIE_ISO, `${LIE_ISO}.sig`].map((n) => `${n} ok`) });

    // The extension (a page-hashed file) and its reproducibility check.
    const hashed = await hashBytes(bytes);
    const states = {
      sha256: toBase64(hashed.continuations.sha256!.saveState!()),
      sha512: toBase64(hashed.continuations.sha512!.saveState!()),
    };
    const { verdict: extension } = await verifyPageHash(
      {
        profile: g.profile,
        material: (n) => fetchReleaseMaterial(g.profile, n, s.fetcher),
        trustState: new MemoryTrustState(),
        now: () => NOW,
      },
      { fileName: name, bytes: hashed.bytes, states },
    );
    expect
      .soft({ kind: extension.kind, exit: exitStatusFor(extension) }, 'extension')
      .toEqual({ kind: 'verified', exit: 0 });
    expect
      .soft(extension.evidence.expected?.name, 'extension: the file is the one its name and its signature say')
      .toBe(name);
    const withRepro = await verifyPageHash(
      {
        profile: g.profile,
        material: (n) => fetchReleaseMaterial(g.profile, n, s.fetcher),
        trustState: new MemoryTrustState(),
        now: () => NOW,
      },
      { fileName: name, bytes: hashed.bytes, states },
      { repro: { fetcher: s.fetcher } },
    );
    const status = await withRepro.repro;
    expect
      .soft(
        status?.rebuilders.map((r) => r.state),
        'extension: reproducibility',
      )
      .toEqual(['reproduced']);
    expect.soft(status?.anyMismatch).toBe(false);

    // The website widget.
    const deps = createWidgetDeps(
      { ...g.profile, keyUrl: KEY_URL },
      {
        trustState: new MemoryTrustState(),
        pageUrl: `${SITE}/download.html`,
        fetch,
        now: () => NOW,
        hash: async (file) => hashBytes(new Uint8Array(await file.arrayBuffer())),
      },
    );
    const { verdict: widget } = await deps.verify(new File([bytes.slice()], name), {
      onProgress: () => undefined,
      onHashed: () => undefined,
      signal: new AbortController().signal,
    });
    expect.soft({ kind: widget.kind, exit: exitStatusFor(widget) }, 'widget').toEqual({ kind: 'verified', exit: 0 });
    expect
      .soft(widget.evidence.expected?.name, 'widget: the file is the one its name and its signature say')
      .toBe(name);
  });
});

/*
 * The same lie when the image signatures are withheld (404): nothing signed covers the file, so
 * every surface says it could not verify it — never red, never "Do not use", never exit 1.
 */
describe('with the image signatures withheld, a lying latest.json reaches no red words on any surface (#20)', () => {
  it.each(LIES.filter((l) => !l.udf))('$name', async (lie) => {
    const { render, tEn, textOf } = await import('./ui/render.js');
    const { VerdictView, toneOf } = await import('../../src/ui-kit/VerdictView.js');
    const { notificationFor } = await import('../../src/background/notification-text.js');
    const { badgeFor } = await import('../../src/background/badge.js');
    const { summarizeVerdict } = await import('../../src/wire/page-protocol.js');
    const { Widget } = await import('../../src/embed/Widget.js');
    const { h } = await import('preact');
    const description = await lyingDescription(lie);
    const s = lieSite(description, lie);
    s.files.delete(`${SITE}/torrents/files/${LIE_IMG}.sig`);
    s.files.delete(`${SITE}/torrents/files/${LIE_ISO}.sig`);
    const name = lie.type === 'img' ? LIE_IMG : LIE_ISO;
    const bytes = lie.type === 'img' ? g.img : g.iso;

    const files = lieFiles(lie, description);
    mkdirSync(path.join(files.dir, 'withheld'), { recursive: true });
    const file = path.join(files.dir, 'withheld', name);
    writeFileSync(file, bytes);
    const cli = await runInProcess(
      ['verify', file, ...files.args, '--image-signature', path.join(files.dir, 'none.sig'), '--offline'],
      { now: NOW },
    );
    expect.soft(cli.status, `iso-verify verify\n${cli.stdout}`).toBe(2);
    expect
      .soft(cli.stdout.split('\n')[0], 'iso-verify verify: the answer line')
      .not.toMatch(/NOT AUTHENTIC|Do not use/);

    const hashed = await hashBytes(bytes);
    const states = {
      sha256: toBase64(hashed.continuations.sha256!.saveState!()),
      sha512: toBase64(hashed.continuations.sha512!.saveState!()),
    };
    const { verdict } = await verifyPageHash(
      {
        profile: g.profile,
        material: (n) => fetchReleaseMaterial(g.profile, n, s.fetcher),
        trustState: new MemoryTrustState(),
        now: () => NOW,
      },
      { fileName: name, bytes: hashed.bytes, states },
    );
    expect.soft(exitStatusFor(verdict), `extension: ${verdict.kind}`).toBe(2);
    expect.soft(toneOf(verdict), 'verdict view: tone').not.toBe('bad');
    expect.soft(textOf(render(h(VerdictView, { verdict }) as never))).not.toMatch(/Do not use/);
    const tracked = {
      id: 'dl-1',
      phase: 'done',
      verdict,
      fileName: name,
      mirror: 'https://mirror.example/',
      startedAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      receivedBytes: bytes.length,
      hashSource: 'stream',
    } as unknown as Parameters<typeof notificationFor>[0];
    const note = notificationFor(tracked)!;
    expect.soft(tEn(note.titleKey, note.substitutions), 'notification').not.toMatch(/Do not use/);
    const badge = badgeFor([tracked]);
    expect.soft({ text: badge.text, title: tEn(badge.titleKey, [name]) }, 'badge').not.toMatchObject({ text: '!' });
    expect.soft(tEn(badge.titleKey, [name]), 'badge title').not.toMatch(/Do not use/);
    const summary = summarizeVerdict(verdict);
    const line = render(
      h(Widget, {
        product: 'Tails',
        loadDeps: async () => {
          throw new Error('unused');
        },
        inputId: 'f',
        initial: {
          extension: { extension: 'iso-verify', version: '1', profile: 'lies', product: 'Tails' },
          downloads: [{ fileName: name, phase: 'done', verdict: summary }],
        },
      }) as never,
    );
    expect.soft(line, 'widget: the watched download').not.toContain('extension-download--bad');
    expect.soft(textOf(line)).not.toMatch(/do not use/i);

    const deps = createWidgetDeps(
      { ...g.profile, keyUrl: KEY_URL },
      {
        trustState: new MemoryTrustState(),
        pageUrl: `${SITE}/download.html`,
        fetch: siteFetch(s),
        now: () => NOW,
        hash: async (file) => hashBytes(new Uint8Array(await file.arrayBuffer())),
      },
    );
    const { verdict: widget } = await deps.verify(new File([bytes.slice()], name), {
      onProgress: () => undefined,
      onHashed: () => undefined,
      signal: new AbortController().signal,
    });
    expect.soft(exitStatusFor(widget), `widget: ${widget.kind}`).toBe(2);
    expect.soft(textOf(render(h(VerdictView, { verdict: widget }) as never))).not.toMatch(/Do not use/);
  });
});
