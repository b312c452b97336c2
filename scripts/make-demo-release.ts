/**
 * Builds the demo release that the loopback servers publish: a Tails-like product with a current
 * (7.2) and a previous (7.1) version, each with an IMG and an ISO image, Tails-format image
 * descriptions (latest.json) and detached OpenPGP signatures made by REAL GnuPG with the demo
 * signing key (profiles/demo.json pins it). A freshly generated, non-pinned "rogue" key signs
 * the same files again so tests can present a well-formed signature by the wrong key.
 *
 * Image bytes come from AES-256-CTR over zeros with a key derived from the file name: fast,
 * deterministic, incompressible. Images are larger than 100 MiB because the truncated-download
 * case is "the first 100 MiB", as in Tails' release checklist.
 *
 * The result lives in .cache/demo-release/ with a manifest.json of sizes and SHA-256 hashes; a
 * complete, valid release is reused instead of rebuilt.
 *
 * Run: npx tsx scripts/make-demo-release.ts [--force] [--deep] [--dir DIR]
 */
import { spawn } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export const DEFAULT_RELEASE_DIR = path.join(
  REPO_ROOT,
  '.cache',
  process.env.DEMO_IMAGE_MIB ? `demo-release-${process.env.DEMO_IMAGE_MIB}mib` : 'demo-release',
);
export const DEMO_SECRET_KEY = path.join(REPO_ROOT, 'test', 'fixtures', 'demo-key', 'demo-signing.secret.asc');
export const DEMO_PUBLIC_KEY = path.join(REPO_ROOT, 'profiles', 'keys', 'demo-signing.asc');
export const DEMO_FINGERPRINT = '0099E3EB76222469F6AA643F8A14A0B7A189E99C';
export const OFFICIAL_SITE = 'http://127.0.0.1:8470';
export const CURRENT_VERSION = '7.2';
export const PREVIOUS_VERSION = '7.1';
/** Bytes a "truncated" download keeps: the first 100 MiB. */
export const TRUNCATED_BYTES = 100 * 1024 * 1024;

/** Bump when the layout or content rules change, so old caches are rebuilt. */
const FORMAT_VERSION = 1;
const MiB = 1024 * 1024;

/**
 * The current IMG's size in MiB when DEMO_IMAGE_MIB is set (benchmarks with a real-sized
 * image, e.g. 2048); such a release lives in its own directory.
 */
const CURRENT_IMG_MIB = Number(process.env.DEMO_IMAGE_MIB ?? 128);

/** Image sizes per version (bytes); releases differ in size, as real ones do. */
const IMAGE_SIZES: Record<string, { img: number; iso: number }> = {
  [CURRENT_VERSION]: { img: CURRENT_IMG_MIB * MiB, iso: 120 * MiB },
  [PREVIOUS_VERSION]: { img: 124 * MiB, iso: 116 * MiB },
};

export type ImageType = 'img' | 'iso';

export interface ReleaseImage {
  version: string;
  type: ImageType;
  name: string; // tails-amd64-7.2.img
  /** Path under the mirrored tree, e.g. stable/tails-amd64-7.2/tails-amd64-7.2.img. */
  mirrorPath: string;
  /** The official URL written into latest.json. */
  url: string;
  file: string; // absolute path
  size: number;
  sha256: string;
  /** Detached signature by the pinned demo key. */
  signature: string;
  /** Detached signature of the same bytes by the rogue key. */
  rogueSignature: string;
}

/** One image description (latest.json) and its detached signatures. */
export interface ReleaseDescription {
  file: string;
  signature: string; // by the pinned demo key
  rogueSignature: string; // by the rogue key
}

export interface DemoRelease {
  dir: string;
  current: string;
  previous: string;
  images: ReleaseImage[];
  descriptions: {
    current: ReleaseDescription; // 7.2
    old: ReleaseDescription; // 7.1, older and validly signed (rollback tests)
    garbage: ReleaseDescription; // not JSON at all, validly signed
  };
  pinnedFingerprint: string;
  rogue: { fingerprint: string; publicKey: string; secretKey: string };
  /** Which byte the rogue mirror changes (same offset for every image). */
  rogueByteOffset: number;
}

interface ManifestFile {
  size: number;
  sha256: string;
  mtimeMs: number;
}

interface Manifest {
  formatVersion: number;
  release: Omit<DemoRelease, 'dir'>;
  /** Relative path → facts; every file the release consists of. */
  files: Record<string, ManifestFile>;
}

export interface MakeDemoReleaseOptions {
  dir?: string;
  /** Rebuild even when a valid release exists. */
  force?: boolean;
  /** Re-hash the images too when validating an existing release (slower). */
  deep?: boolean;
  log?: (line: string) => void;
}

export function imageName(version: string, type: ImageType): string {
  return `tails-amd64-${version}.${type}`;
}

export function mirrorPathOf(version: string, type: ImageType): string {
  return `stable/tails-amd64-${version}/${imageName(version, type)}`;
}

/** The one mutated byte of the rogue mirror: in the middle of the first 100 MiB, so it is
 * inside every image and the truncated prefix alike. */
export const ROGUE_BYTE_OFFSET = 64 * MiB + 12345;

/**
 * Make (or reuse) the demo release. Safe to call from tests: concurrent callers in one process
 * share one build.
 */
export async function makeDemoRelease(options: MakeDemoReleaseOptions = {}): Promise<DemoRelease> {
  const dir = path.resolve(options.dir ?? DEFAULT_RELEASE_DIR);
  const key = `${dir}|${options.force ? 1 : 0}|${options.deep ? 1 : 0}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = build(dir, options).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

const inFlight = new Map<string, Promise<DemoRelease>>();

/** Read an existing release without building; throws when absent or invalid. */
export async function loadDemoRelease(dir: string = DEFAULT_RELEASE_DIR, deep = false): Promise<DemoRelease> {
  const release = await validate(path.resolve(dir), deep);
  if (!release) throw new Error(`no valid demo release in ${dir}: run npx tsx scripts/make-demo-release.ts`);
  return release;
}

async function build(dir: string, options: MakeDemoReleaseOptions): Promise<DemoRelease> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[demo-release] ${line}\n`));
  if (!options.force) {
    const existing = await validate(dir, options.deep ?? false);
    if (existing) {
      log(`reusing valid release in ${dir}`);
      return existing;
    }
  }
  log(`building demo release in ${dir}`);
  await mkdir(dir, { recursive: true });
  // Invalidate first: a half-built release must never look complete.
  await rm(path.join(dir, 'manifest.json'), { force: true });

  const gnupgHome = await mkdtemp(path.join(os.tmpdir(), 'iso-verify-gpg-'));
  const rogueHome = await mkdtemp(path.join(os.tmpdir(), 'iso-verify-gpg-rogue-'));
  try {
    await gpg(gnupgHome, ['--import', DEMO_SECRET_KEY]);
    const rogue = await ensureRogueKey(dir, rogueHome, log);

    const images: ReleaseImage[] = [];
    for (const version of [PREVIOUS_VERSION, CURRENT_VERSION]) {
      const sizes = IMAGE_SIZES[version]!;
      for (const type of ['img', 'iso'] as const) {
        const name = imageName(version, type);
        const file = path.join(dir, name);
        const t0 = Date.now();
        const sha256 = await writeImage(file, name, sizes[type]);
        const signature = `${file}.sig`;
        const rogueSignature = `${file}.rogue.sig`;
        await detachSign(gnupgHome, DEMO_FINGERPRINT, file, signature);
        await detachSign(rogueHome, rogue.fingerprint, file, rogueSignature);
        log(`${name}: ${sizes[type]} bytes, sha256 ${sha256} (${Date.now() - t0} ms)`);
        images.push({
          version,
          type,
          name,
          mirrorPath: mirrorPathOf(version, type),
          url: `${OFFICIAL_SITE}/tails/${mirrorPathOf(version, type)}`,
          file,
          size: sizes[type],
          sha256,
          signature,
          rogueSignature,
        });
      }
    }

    // The old description is signed before the current one, so its signature is older too.
    const old = await writeDescription(
      dir,
      'latest-7.1.json',
      describe(images, PREVIOUS_VERSION),
      gnupgHome,
      rogueHome,
      rogue.fingerprint,
    );
    // OpenPGP signature times have one-second resolution: make "older" strictly older.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const current = await writeDescription(
      dir,
      'latest.json',
      describe(images, CURRENT_VERSION),
      gnupgHome,
      rogueHome,
      rogue.fingerprint,
    );
    const garbage = await writeDescription(
      dir,
      'latest-garbage.json',
      garbageBytes(),
      gnupgHome,
      rogueHome,
      rogue.fingerprint,
    );

    const release: DemoRelease = {
      dir,
      current: CURRENT_VERSION,
      previous: PREVIOUS_VERSION,
      images,
      descriptions: { current, old, garbage },
      pinnedFingerprint: DEMO_FINGERPRINT,
      rogue,
      rogueByteOffset: ROGUE_BYTE_OFFSET,
    };
    await writeManifest(dir, release);
    log('done');
    return release;
  } finally {
    await killAgent(gnupgHome);
    await killAgent(rogueHome);
    await rm(gnupgHome, { recursive: true, force: true });
    await rm(rogueHome, { recursive: true, force: true });
  }
}

/** Tails' IDF shape, with the URLs on the official site's /tails/ tree. */
export function describe(images: readonly ReleaseImage[], version: string): string {
  const forVersion = images.filter((i) => i.version === version);
  const idf = {
    build_target: 'amd64',
    channel: 'stable',
    installations: [
      {
        'installation-paths': (['img', 'iso'] as const).map((type) => {
          const image = forVersion.find((i) => i.type === type);
          if (!image) throw new Error(`no ${type} image for ${version}`);
          return { 'target-files': [{ sha256: image.sha256, size: image.size, url: image.url }], type };
        }),
        version,
      },
    ],
    'product-name': 'Tails',
  };
  return `${JSON.stringify(idf, null, 4)}\n`;
}

/** Deterministic bytes that are not JSON (and not UTF-8), for the "garbage description" mode. */
function garbageBytes(): Buffer {
  return Buffer.concat([
    Buffer.from('\x00\xff{"build_target": "amd64", "installations": [', 'latin1'),
    keystream('garbage', 2048),
  ]);
}

async function writeDescription(
  dir: string,
  name: string,
  content: string | Buffer,
  gnupgHome: string,
  rogueHome: string,
  rogueFingerprint: string,
): Promise<ReleaseDescription> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  const signature = `${file}.sig`;
  const rogueSignature = `${file}.rogue.sig`;
  await detachSign(gnupgHome, DEMO_FINGERPRINT, file, signature);
  await detachSign(rogueHome, rogueFingerprint, file, rogueSignature);
  return { file, signature, rogueSignature };
}

/** AES-256-CTR keystream for `label`; the key is derived from the label, the IV is zero. */
function cipherFor(label: string) {
  const key = createHash('sha256').update(`iso-verify demo release v${FORMAT_VERSION}: ${label}`).digest();
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
}

function keystream(label: string, length: number): Buffer {
  return cipherFor(label).update(Buffer.alloc(length));
}

/** Stream `size` pseudo-random bytes to `file` in 4 MiB chunks; returns their SHA-256 (hex). */
async function writeImage(file: string, label: string, size: number): Promise<string> {
  const chunk = 4 * MiB;
  const zeros = Buffer.alloc(chunk);
  const cipher = cipherFor(label);
  const hash = createHash('sha256');
  const out = createWriteStream(`${file}.part`);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => {}); // observed through the races below
  for (let written = 0; written < size; written += chunk) {
    const n = Math.min(chunk, size - written);
    const bytes = cipher.update(n === chunk ? zeros : zeros.subarray(0, n));
    hash.update(bytes);
    if (!out.write(bytes)) await Promise.race([new Promise<void>((r) => out.once('drain', () => r())), failed]);
  }
  await Promise.race([new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r()))), failed]);
  await rename(`${file}.part`, file);
  return hash.digest('hex');
}

/** Reuse the rogue key kept in the cache, or generate one (Ed25519, never pinned anywhere). */
async function ensureRogueKey(
  dir: string,
  rogueHome: string,
  log: (line: string) => void,
): Promise<DemoRelease['rogue']> {
  const keyDir = path.join(dir, 'rogue-key');
  const publicKey = path.join(keyDir, 'rogue-signing.asc');
  const secretKey = path.join(keyDir, 'rogue-signing.secret.asc');
  await mkdir(keyDir, { recursive: true });
  if (!existsSync(secretKey) || !existsSync(publicKey)) {
    log('generating the rogue (non-pinned) signing key');
    await gpg(rogueHome, [
      '--passphrase',
      '',
      '--quick-generate-key',
      'Rogue Release Signing (TEST KEY, NOT PINNED) <rogue@iso-verify.invalid>',
      'ed25519',
      'sign,cert',
      '0',
    ]);
    await writeFile(secretKey, await gpg(rogueHome, ['--armor', '--export-secret-keys']));
    await writeFile(publicKey, await gpg(rogueHome, ['--armor', '--export']));
  } else {
    await gpg(rogueHome, ['--import', secretKey]);
  }
  const listing = (await gpg(rogueHome, ['--with-colons', '--list-secret-keys'])).toString('utf8');
  const fpr = /^fpr:(?:[^:]*:){8}([0-9A-F]{40}):/m.exec(listing)?.[1];
  if (!fpr) throw new Error('could not read the rogue key fingerprint');
  if (fpr === DEMO_FINGERPRINT) throw new Error('rogue key equals the pinned key');
  return { fingerprint: fpr, publicKey, secretKey };
}

async function detachSign(home: string, signer: string, file: string, out: string): Promise<void> {
  await gpg(home, ['--local-user', signer, '--digest-algo', 'SHA512', '--detach-sign', '--output', out, file]);
}

/** Run gpg in `home` non-interactively; resolves with stdout, rejects with stderr on failure. */
function gpg(home: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('gpg', ['--batch', '--yes', '--no-tty', '--pinentry-mode', 'loopback', ...args], {
      env: { ...process.env, GNUPGHOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(new Error(`cannot run gpg (is GnuPG installed?): ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`gpg ${args.join(' ')} failed (${code}): ${Buffer.concat(err).toString('utf8').trim()}`));
    });
  });
}

async function killAgent(home: string): Promise<void> {
  await new Promise<void>((resolve) => {
    const child = spawn('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home }, stdio: 'ignore' });
    child.on('error', () => resolve());
    child.on('close', () => resolve());
  });
}

function filesOf(release: Omit<DemoRelease, 'dir'>): string[] {
  const d = release.descriptions;
  return [
    ...release.images.flatMap((i) => [i.file, i.signature, i.rogueSignature]),
    ...[d.current, d.old, d.garbage].flatMap((x) => [x.file, x.signature, x.rogueSignature]),
    release.rogue.publicKey,
    release.rogue.secretKey,
  ];
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * MiB })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Paths are stored relative to the release directory so the cache can move. */
function relativize(release: DemoRelease): Omit<DemoRelease, 'dir'> {
  const rel = (p: string) => path.relative(release.dir, p);
  const desc = (x: ReleaseDescription): ReleaseDescription => ({
    file: rel(x.file),
    signature: rel(x.signature),
    rogueSignature: rel(x.rogueSignature),
  });
  const { dir: _dir, ...rest } = release;
  return {
    ...rest,
    images: release.images.map((i) => ({
      ...i,
      file: rel(i.file),
      signature: rel(i.signature),
      rogueSignature: rel(i.rogueSignature),
    })),
    descriptions: {
      current: desc(release.descriptions.current),
      old: desc(release.descriptions.old),
      garbage: desc(release.descriptions.garbage),
    },
    rogue: { ...release.rogue, publicKey: rel(release.rogue.publicKey), secretKey: rel(release.rogue.secretKey) },
  };
}

function absolutize(dir: string, stored: Omit<DemoRelease, 'dir'>): DemoRelease {
  const abs = (p: string) => path.join(dir, p);
  const desc = (x: ReleaseDescription): ReleaseDescription => ({
    file: abs(x.file),
    signature: abs(x.signature),
    rogueSignature: abs(x.rogueSignature),
  });
  return {
    ...stored,
    dir,
    images: stored.images.map((i) => ({
      ...i,
      file: abs(i.file),
      signature: abs(i.signature),
      rogueSignature: abs(i.rogueSignature),
    })),
    descriptions: {
      current: desc(stored.descriptions.current),
      old: desc(stored.descriptions.old),
      garbage: desc(stored.descriptions.garbage),
    },
    rogue: { ...stored.rogue, publicKey: abs(stored.rogue.publicKey), secretKey: abs(stored.rogue.secretKey) },
  };
}

async function writeManifest(dir: string, release: DemoRelease): Promise<void> {
  const files: Record<string, ManifestFile> = {};
  for (const file of filesOf(release)) {
    const image = release.images.find((i) => i.file === file);
    const st = await stat(file);
    files[path.relative(dir, file)] = {
      size: st.size,
      sha256: image ? image.sha256 : await sha256File(file),
      mtimeMs: st.mtimeMs,
    };
  }
  const manifest: Manifest = { formatVersion: FORMAT_VERSION, release: relativize(release), files };
  await writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * The release in `dir` when its manifest is current and every file matches it: small files by
 * SHA-256; images by size and mtime (by SHA-256 too when `deep`). Undefined otherwise.
 */
async function validate(dir: string, deep: boolean): Promise<DemoRelease | undefined> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest.formatVersion !== FORMAT_VERSION || manifest.release?.pinnedFingerprint !== DEMO_FINGERPRINT)
    return undefined;
  const release = absolutize(dir, manifest.release);
  const expected = new Set(filesOf(release).map((f) => path.relative(dir, f)));
  if (expected.size !== Object.keys(manifest.files).length) return undefined;
  for (const [rel, facts] of Object.entries(manifest.files)) {
    if (!expected.has(rel)) return undefined;
    const file = path.join(dir, rel);
    let st;
    try {
      st = await stat(file);
    } catch {
      return undefined;
    }
    if (st.size !== facts.size) return undefined;
    const isImage = release.images.some((i) => i.file === file);
    if (isImage && !deep) {
      if (st.mtimeMs !== facts.mtimeMs) return undefined;
    } else if ((await sha256File(file)) !== facts.sha256) {
      return undefined;
    }
  }
  return release;
}

async function main(argv: string[]): Promise<void> {
  const force = argv.includes('--force');
  const deep = argv.includes('--deep');
  const dirAt = argv.indexOf('--dir');
  const dir = dirAt >= 0 ? argv[dirAt + 1] : undefined;
  const release = await makeDemoRelease({ force, deep, ...(dir ? { dir } : {}) });
  process.stdout.write(`demo release ${release.current} (previous ${release.previous}) in ${release.dir}\n`);
  for (const image of release.images) process.stdout.write(`  ${image.name}  ${image.size}  ${image.sha256}\n`);
  process.stdout.write(`  pinned key ${release.pinnedFingerprint}, rogue key ${release.rogue.fingerprint}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`make-demo-release: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
