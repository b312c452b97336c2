// `npm run package` (after `npm run build`): turn dist/ into the published, byte-reproducible
// release files (docs/reproducible-build.md):
//
//   dist/iso-verify-chrome-<version>.zip    the Chrome extension (dist/chrome)
//   dist/iso-verify-firefox-<version>.zip   the Firefox extension (dist/firefox)
//   dist/iso-verify-embed-<version>.zip     the website widget (dist/embed)
//   dist/cli/iso-verify.cjs                 the command-line tool, published as built (mode 0755)
//   dist/SHA256SUMS                         `sha256sum` lines for the four files above
//   dist/BUILDINFO                          the toolchain used (informational, not in SHA256SUMS)
//
// An extension built with a profile other than tails gets `-<profile>` in its archive names, so
// a demo build can never pass for a release. Archives are written by our own small ZIP writer rather
// than a library's, because every byte must be fixed: entries sorted, one timestamp from
// SOURCE_DATE_EPOCH (converted in UTC: fflate's zipSync converts in local time, so TZ leaked
// into its archives), mode 0644 for every entry, pure-JS deflate (fflate, level 9, fixed memory
// level) so the compressed bytes do not depend on the machine's zlib build or CPU features.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'fflate';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** 1980-01-01T00:00:00Z, the earliest time a ZIP entry can carry: used outside a git checkout. */
export const DEFAULT_SOURCE_DATE_EPOCH = 315532800;
/** The last time a DOS date can express (2107-12-31T23:59:58Z). */
const MAX_DOS_EPOCH = 4354819198;
/** Fixed compression settings: changing them changes every archive, so they are part of the format. */
export const DEFLATE_OPTIONS = Object.freeze({ level: 9, mem: 12 });
export const FILE_MODE = 0o644;
export const EXECUTABLE_MODE = 0o755;
export const BROWSERS = ['chrome', 'firefox'];
export const CLI_OUTPUT = 'cli/iso-verify.cjs';
export const SUMS_FILE = 'SHA256SUMS';
export const BUILDINFO_FILE = 'BUILDINFO';

/**
 * The timestamp for every archive entry: SOURCE_DATE_EPOCH if set (reproducible-builds.org
 * convention), else the last commit's date when `dir` is the top of a git checkout, else
 * DEFAULT_SOURCE_DATE_EPOCH. A copy of the tree outside git (verify-build's clean copies) must
 * therefore be given SOURCE_DATE_EPOCH explicitly to match a build made inside the checkout.
 * @returns {{ epoch: number, source: 'SOURCE_DATE_EPOCH' | 'git' | 'default' }}
 */
export function sourceDateEpoch({ env = process.env, dir = root } = {}) {
  const value = env.SOURCE_DATE_EPOCH;
  if (value !== undefined && value !== '') {
    if (!/^\d+$/.test(value)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, got "${value}"`);
    return { epoch: Number(value), source: 'SOURCE_DATE_EPOCH' };
  }
  const epoch = lastCommitEpoch(dir);
  return epoch === null ? { epoch: DEFAULT_SOURCE_DATE_EPOCH, source: 'default' } : { epoch, source: 'git' };
}

/** `git log -1 --format=%ct`, only if `dir` itself is a checkout's top (not a folder inside some other repository). */
export function lastCommitEpoch(dir) {
  const git = (args) =>
    spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const top = git(['rev-parse', '--show-toplevel']);
  if (top.status !== 0 || !samePath(top.stdout.trim(), dir)) return null;
  const log = git(['log', '-1', '--format=%ct']);
  const text = log.status === 0 ? log.stdout.trim() : '';
  return /^\d+$/.test(text) ? Number(text) : null;
}

function samePath(a, b) {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * MS-DOS date and time words for `epoch` seconds, computed in UTC so the machine's time zone
 * cannot change them. Times before 1980 (or past 2107) are clamped; DOS time has 2-second steps.
 */
export function dosDateTime(epoch) {
  const d = new Date(Math.min(Math.max(epoch, DEFAULT_SOURCE_DATE_EPOCH), MAX_DOS_EPOCH) * 1000);
  const date = ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
  return { date, time };
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO-HDLC), the checksum ZIP entries carry. zlib.crc32 only exists from Node 20.15. */
export function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A ZIP archive of `entries` ({ name, data, mode? }), byte-for-byte a function of the names,
 * contents, modes and `epoch` only: entries sorted by name, no directory entries, no extra
 * fields, "made by" Unix so the 0644/0755 modes are stored, every entry deflated with
 * DEFLATE_OPTIONS. Names are relative POSIX paths.
 * @param {{ name: string, data: Uint8Array, mode?: number }[]} entries
 * @param {{ epoch: number }} options
 * @returns {Uint8Array}
 */
export function writeZip(entries, { epoch }) {
  const { date, time } = dosDateTime(epoch);
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const locals = [];
  const centrals = [];
  let offset = 0;
  const seen = new Set();
  for (const { name, data, mode = FILE_MODE } of sorted) {
    if (
      !name ||
      name.startsWith('/') ||
      name.includes('\\') ||
      name.split('/').some((part) => part === '' || part === '..' || part === '.')
    ) {
      throw new Error(`zip: unsafe entry name "${name}"`);
    }
    if (seen.has(name)) throw new Error(`zip: duplicate entry "${name}"`);
    seen.add(name);
    const nameBytes = new TextEncoder().encode(name);
    // Bit 11: the name is UTF-8 (only needed, and only set, when it is not plain ASCII).
    const flags = /^[\x20-\x7e]*$/.test(name) ? 0 : 0x0800;
    const compressed = deflateSync(data, DEFLATE_OPTIONS);
    const crc = crc32(data);
    if (data.length > 0xfffffffe || offset > 0xfffffffe)
      throw new Error('zip: archive too large (ZIP64 is not written)');

    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true); // version needed: 2.0 (deflate)
    local.setUint16(6, flags, true);
    local.setUint16(8, 8, true); // deflate
    local.setUint16(10, time, true);
    local.setUint16(12, date, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, compressed.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, nameBytes.length, true);
    local.setUint16(28, 0, true);
    locals.push(new Uint8Array(local.buffer), nameBytes, compressed);

    const central = new DataView(new ArrayBuffer(46));
    central.setUint32(0, 0x02014b50, true);
    central.setUint16(4, (3 << 8) | 20, true); // made by: Unix, 2.0 — so unzip applies the mode below
    central.setUint16(6, 20, true);
    central.setUint16(8, flags, true);
    central.setUint16(10, 8, true);
    central.setUint16(12, time, true);
    central.setUint16(14, date, true);
    central.setUint32(16, crc, true);
    central.setUint32(20, compressed.length, true);
    central.setUint32(24, data.length, true);
    central.setUint16(28, nameBytes.length, true);
    // extra length, comment length, disk number, internal attributes: all 0
    central.setUint32(38, ((0o100000 | (mode & 0o7777)) << 16) >>> 0, true); // regular file + mode
    central.setUint32(42, offset, true);
    centrals.push(new Uint8Array(central.buffer), nameBytes);

    offset += 30 + nameBytes.length + compressed.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, sorted.length, true);
  end.setUint16(10, sorted.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  const parts = [...locals, ...centrals, new Uint8Array(end.buffer)];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Regular files under `dir`, as sorted relative POSIX paths. Anything else (symlinks, sockets) is an error. */
export function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
    else throw new Error(`${path.join(dir, rel)} is neither a file nor a directory`);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Zip every file under `dir` (file modes and times on disk are ignored: all 0644, all `epoch`). */
export function zipDirectory(dir, { epoch }) {
  const entries = listFiles(dir).map((name) => ({ name, data: new Uint8Array(fs.readFileSync(path.join(dir, name))) }));
  if (entries.length === 0) throw new Error(`${dir} is empty`);
  return writeZip(entries, { epoch });
}

/** `sha256sum` output for `files` (paths relative to `dir`), in the given order. */
export function sha256sumsText(dir, files) {
  return files
    .map(
      (rel) =>
        `${createHash('sha256')
          .update(fs.readFileSync(path.join(dir, rel)))
          .digest('hex')}  ${rel}\n`,
    )
    .join('');
}

/** The profile a dist/<browser> build was made for: tails builds keep the localized name, others say "(<id>)". */
export function builtProfile(manifest) {
  const match = typeof manifest.name === 'string' ? / \(([a-z0-9-]+)\)$/.exec(manifest.name) : null;
  return match ? match[1] : 'tails';
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function requireBuilt(distDir, rel) {
  if (!fs.existsSync(path.join(distDir, rel))) throw new Error(`dist/${rel} not found: run \`npm run build\` first`);
}

/** Versions of the tools that shape the bytes (a reproducer compares these first). */
export function buildInfoText({ dir = root, version, profile, epoch }) {
  const require = createRequire(path.join(dir, 'package.json'));
  const versionOf = (name) => {
    try {
      return readJson(require.resolve(`${name}/package.json`)).version;
    } catch {
      return 'not installed';
    }
  };
  const npmVersion = /\bnpm\/(\S+)/.exec(process.env.npm_config_user_agent ?? '')?.[1] ?? npmVersionFromCli();
  const lines = [
    `iso-verify ${version}`,
    `profile ${profile}`,
    `SOURCE_DATE_EPOCH ${epoch}`,
    `node ${process.version}`,
    `npm ${npmVersion}`,
    ...['webpack', 'esbuild', 'esbuild-loader', 'terser', 'fflate'].map((name) => `${name} ${versionOf(name)}`),
  ];
  return `${lines.join('\n')}\n`;
}

function npmVersionFromCli() {
  const run = spawnSync('npm', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return run.status === 0 ? run.stdout.trim() : 'unknown';
}

/**
 * Package a finished build in `distDir`; returns the published files (relative to distDir) in
 * SHA256SUMS order.
 */
export function packageAll({
  dir = root,
  distDir = path.join(dir, 'dist'),
  epoch = sourceDateEpoch({ dir }).epoch,
} = {}) {
  for (const rel of [...BROWSERS.map((b) => `${b}/manifest.json`), 'embed/iso-verify-embed.js', CLI_OUTPUT])
    requireBuilt(distDir, rel);
  const { version } = readJson(path.join(dir, 'package.json'));
  const profiles = BROWSERS.map((b) => builtProfile(readJson(path.join(distDir, b, 'manifest.json'))));
  if (profiles[0] !== profiles[1])
    throw new Error(`dist/chrome and dist/firefox were built for different profiles (${profiles.join(', ')})`);
  const profile = profiles[0];
  const suffix = profile === 'tails' ? '' : `-${profile}`;

  const published = [];
  for (const what of [...BROWSERS, 'embed']) {
    // Only the extensions carry a profile; the widget and the CLI are the same for every profile.
    const name = `iso-verify-${what}-${version}${what === 'embed' ? '' : suffix}.zip`;
    fs.writeFileSync(path.join(distDir, name), zipDirectory(path.join(distDir, what), { epoch }));
    fs.chmodSync(path.join(distDir, name), FILE_MODE);
    published.push(name);
  }
  // The CLI ships as the file webpack wrote; only its mode is normalized.
  fs.chmodSync(path.join(distDir, CLI_OUTPUT), EXECUTABLE_MODE);
  published.push(CLI_OUTPUT);
  published.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  fs.writeFileSync(path.join(distDir, SUMS_FILE), sha256sumsText(distDir, published), { mode: FILE_MODE });
  fs.chmodSync(path.join(distDir, SUMS_FILE), FILE_MODE);
  fs.writeFileSync(path.join(distDir, BUILDINFO_FILE), buildInfoText({ dir, version, profile, epoch }));
  fs.chmodSync(path.join(distDir, BUILDINFO_FILE), FILE_MODE);
  return published;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { epoch, source } = sourceDateEpoch();
    const published = packageAll({ epoch });
    console.log(`SOURCE_DATE_EPOCH=${epoch} (${source}: ${new Date(epoch * 1000).toISOString()})`);
    for (const rel of published) console.log(`dist/${rel}`);
    console.log(`dist/${SUMS_FILE}`);
  } catch (error) {
    console.error(`package: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
