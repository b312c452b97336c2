// `npm run verify-build`: prove the release build is reproducible (docs/reproducible-build.md).
//
// Copies the working tree (what `git ls-files --cached --others --exclude-standard` lists, so
// uncommitted work is checked too, ignored files are not) into two fresh directories with
// different path lengths, then in each runs `npm run build -- --env profile=<profile>` and
// `npm run package` under a different umask (022 / 077), TZ (UTC / Pacific/Auckland), locale
// (C / another installed one) and TMPDIR, with the same SOURCE_DATE_EPOCH. Then it compares
// the SHA-256 of every file under both dist/ trees, checks no output names a build directory,
// home or temporary directory, writes the first build's SHA256SUMS (default dist/SHA256SUMS)
// and prints it. On a difference it names each file and its first differing byte, and shows a
// bounded diffoscope report of the first differing pair when diffoscope is installed.
//
// node_modules is hard-linked (not symlinked) into each copy: webpack resolves symlinks to
// their real path, so a symlinked node_modules would put "../../<repo>/node_modules/…" into
// module comments and ids. Hard links look exactly like an `npm ci` inside the copy.
//
// Options: --profile <id|path> (default tails), --sums <file> (where to write SHA256SUMS),
//          --keep (leave the temporary copies for inspection).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles, sourceDateEpoch, SUMS_FILE } from './package.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Lines of diffoscope output shown at most (its reports of a bundle can be megabytes). */
const DIFFOSCOPE_MAX_LINES = 60;
const DIFFOSCOPE_TIMEOUT_MS = 180_000;

/** The files of the working tree a build may read: tracked (minus deletions) and untracked-but-not-ignored. */
export function sourceFiles(dir) {
  const run = spawnSync('git', ['-C', dir, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0)
    throw new Error(`verify-build needs a git checkout (git ls-files failed: ${run.stderr.trim()})`);
  const files = [...new Set(run.stdout.split('\0').filter(Boolean))];
  // A file deleted in the working tree is still "cached"; it is not part of what we build.
  return files.filter((rel) => fs.existsSync(path.join(dir, rel))).sort();
}

/** Copy `files` (relative paths) from `from` to `to`; symlinks stay symlinks. */
export function copyFiles(from, to, files) {
  for (const rel of files) {
    const src = path.join(from, rel);
    const dest = path.join(to, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const stat = fs.lstatSync(src);
    if (stat.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dest);
    else if (stat.isFile()) fs.copyFileSync(src, dest);
  }
}

/** Hard-link the installed node_modules into `to` (a plain copy if hard links are impossible). */
export function linkNodeModules(from, to) {
  const src = path.join(from, 'node_modules');
  if (!fs.existsSync(src)) throw new Error('node_modules is missing: run `npm ci` first');
  let run = spawnSync('cp', ['-al', src, path.join(to, 'node_modules')], { encoding: 'utf8' });
  if (run.status !== 0) {
    fs.rmSync(path.join(to, 'node_modules'), { recursive: true, force: true });
    run = spawnSync('cp', ['-a', src, path.join(to, 'node_modules')], { encoding: 'utf8' });
  }
  if (run.status !== 0) throw new Error(`copying node_modules failed: ${run.stderr.trim()}`);
}

/** Offset of the first byte where `a` and `b` differ (the shorter length if one is a prefix), or -1. */
export function firstDifference(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * Compare every file under two output trees.
 * @returns {{ files: string[], differences: { file: string, reason: string, offset?: number }[] }}
 */
export function compareTrees(dirA, dirB) {
  const listA = listFiles(dirA);
  const listB = listFiles(dirB);
  const inB = new Set(listB);
  const inA = new Set(listA);
  const differences = [];
  for (const file of [...new Set([...listA, ...listB])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!inB.has(file)) differences.push({ file, reason: 'only in the first build' });
    else if (!inA.has(file)) differences.push({ file, reason: 'only in the second build' });
    else {
      const a = fs.readFileSync(path.join(dirA, file));
      const b = fs.readFileSync(path.join(dirB, file));
      if (sha256(a) !== sha256(b)) {
        const offset = firstDifference(a, b);
        differences.push({
          file,
          reason: `content differs (${a.length} vs ${b.length} bytes), first at byte ${offset}`,
          offset,
        });
      }
    }
  }
  return { files: listA, differences };
}

/** An absolute path into a home or temporary directory (not a URL path like https://x/home/…). */
const MACHINE_PATH = /(?<![\w.~:/-])\/(?:tmp|root|home|Users|private\/var)\/[\w.-]/;

/**
 * Files under `dir` whose bytes contain one of `needles` (absolute directories of the build
 * machine) or any path into /tmp, /root or /home. Archives are skipped: their contents are the
 * unpacked trees, which are searched.
 * @returns {{ file: string, found: string }[]}
 */
export function findLeaks(dir, needles) {
  const leaks = [];
  const wanted = [...new Set(needles.filter((n) => n && n !== '/' && n.length > 1))];
  for (const file of listFiles(dir)) {
    if (file.endsWith('.zip')) continue;
    const text = fs.readFileSync(path.join(dir, file)).toString('latin1');
    const needle = wanted.find((n) => text.includes(n));
    const match = needle ?? MACHINE_PATH.exec(text)?.[0];
    if (match) leaks.push({ file, found: match });
  }
  return leaks;
}

/** A second locale to build under: an installed UTF-8 one other than C if there is one. */
export function otherLocale() {
  const run = spawnSync('locale', ['-a'], { encoding: 'utf8' });
  const available =
    run.status === 0
      ? run.stdout
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
      : [];
  const isUtf8 = (l) => /\.utf-?8$/i.test(l);
  return (
    available.find((l) => /^de_DE\.utf-?8$/i.test(l)) ??
    available.find((l) => isUtf8(l) && !/^(C|POSIX)\./i.test(l)) ??
    available.find((l) => /^C\.utf-?8$/i.test(l)) ??
    'C.UTF-8'
  );
}

/** Run build + package in `dir` with its own umask, TZ, locale and TMPDIR; returns the log's tail on failure. */
function buildIn(dir, { umask, tz, locale, tmpdir, epoch, profile, log }) {
  fs.mkdirSync(tmpdir, { recursive: true });
  const env = {
    ...process.env,
    TZ: tz,
    LC_ALL: locale,
    LANG: locale,
    TMPDIR: tmpdir,
    SOURCE_DATE_EPOCH: String(epoch),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
  };
  // Whatever npm set for the outer `npm run verify-build` must not steer the inner runs.
  for (const key of Object.keys(env)) if (/^npm_(lifecycle|package)_/.test(key)) delete env[key];
  const quotedProfile = `'${profile.replace(/'/g, `'\\''`)}'`;
  const script = `umask ${umask} && npm run build -- --env profile=${quotedProfile} && npm run package`;
  const run = spawnSync('sh', ['-c', script], { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  fs.writeFileSync(log, `${run.stdout ?? ''}\n${run.stderr ?? ''}`);
  if (run.status !== 0) {
    const tail = `${run.stdout ?? ''}\n${run.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`build in ${dir} failed (exit ${run.status ?? run.signal}):\n${tail}`);
  }
}

/**
 * The differing file worth a diffoscope run: a bundle (it points at the source of the
 * variation) before an archive (which differs because a bundle does) before the checksum list.
 */
export function mostTellingDifference(differences) {
  const both = differences.filter((d) => d.offset !== undefined);
  const rank = (file) => (file === SUMS_FILE || file === 'BUILDINFO' ? 2 : file.endsWith('.zip') ? 1 : 0);
  return [...both].sort((a, b) => rank(a.file) - rank(b.file))[0];
}

/** diffoscope's report on one pair, cut to DIFFOSCOPE_MAX_LINES lines; null when diffoscope is not installed. */
export function diffoscopeSummary(a, b) {
  const which = spawnSync('sh', ['-c', 'command -v diffoscope'], { encoding: 'utf8' });
  if (which.status !== 0) return null;
  const run = spawnSync(
    'diffoscope',
    [
      '--no-progress',
      '--text',
      '-',
      '--max-text-report-size',
      '40000',
      '--max-diff-block-lines',
      '20',
      '--max-page-diff-block-lines',
      '20',
      a,
      b,
    ],
    { encoding: 'utf8', timeout: DIFFOSCOPE_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
  );
  // stderr carries diffoscope's own warnings; show it only when there is no report.
  const lines = (run.stdout || run.stderr || '').split('\n');
  const shown = lines.slice(0, DIFFOSCOPE_MAX_LINES);
  if (lines.length > DIFFOSCOPE_MAX_LINES)
    shown.push(`… (${lines.length - DIFFOSCOPE_MAX_LINES} more lines; rerun with --keep and run diffoscope yourself)`);
  if (run.error) shown.push(`(diffoscope stopped: ${run.error.message})`);
  return shown.join('\n');
}

/**
 * The whole check. Returns a result rather than exiting, so tests can drive it.
 * @returns {{ ok: boolean, seconds: number, epoch: number, files: string[], sums: string,
 *   differences: { file: string, reason: string }[], leaks: { file: string, found: string }[],
 *   diffoscope: string | null, workDir: string | null }}
 */
export function verifyBuild({
  dir = root,
  profile = 'tails',
  sumsFile = path.join(dir, 'dist', SUMS_FILE),
  keep = false,
  log = console.log,
} = {}) {
  const started = Date.now();
  const { epoch, source } = sourceDateEpoch({ dir });
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'iso-verify-rb-')));
  const builds = [
    { dir: path.join(base, 'a'), umask: '022', tz: 'UTC', locale: 'C', tmpdir: path.join(base, 'tmp-a') },
    {
      dir: path.join(base, 'second-copy-with-a-longer-path', 'iso-verify'),
      umask: '077',
      tz: 'Pacific/Auckland',
      locale: otherLocale(),
      tmpdir: path.join(base, 'tmp-b-elsewhere'),
    },
  ];
  try {
    log(`SOURCE_DATE_EPOCH=${epoch} (${source}), profile ${profile}`);
    // Snapshot once, then copy the snapshot: both builds see the same sources even if the
    // working tree changes while we run.
    const files = sourceFiles(dir);
    copyFiles(dir, builds[0].dir, files);
    copyFiles(builds[0].dir, builds[1].dir, files);
    for (const [i, build] of builds.entries()) {
      linkNodeModules(dir, build.dir);
      const t = Date.now();
      buildIn(build.dir, { ...build, epoch, profile, log: path.join(base, `build-${i + 1}.log`) });
      log(
        `build ${i + 1}: umask ${build.umask}, TZ=${build.tz}, LC_ALL=${build.locale}, ${build.dir.length}-character path: ${((Date.now() - t) / 1000).toFixed(1)} s`,
      );
    }
    const distA = path.join(builds[0].dir, 'dist');
    const distB = path.join(builds[1].dir, 'dist');
    const { files: outputs, differences } = compareTrees(distA, distB);
    const needles = [
      dir,
      fs.realpathSync(dir),
      base,
      os.tmpdir(),
      os.homedir(),
      ...builds.flatMap((b) => [b.dir, b.tmpdir]),
    ];
    const leaks = [
      ...findLeaks(distA, needles),
      ...findLeaks(distB, needles).map((l) => ({ ...l, file: `${l.file} (second build)` })),
    ];
    const sums = fs.readFileSync(path.join(distA, SUMS_FILE), 'utf8');
    const ok = differences.length === 0 && leaks.length === 0;
    let diffoscope = null;
    if (ok) {
      fs.mkdirSync(path.dirname(sumsFile), { recursive: true });
      fs.writeFileSync(sumsFile, sums);
    } else {
      const first = mostTellingDifference(differences);
      if (first) diffoscope = diffoscopeSummary(path.join(distA, first.file), path.join(distB, first.file));
    }
    return {
      ok,
      seconds: (Date.now() - started) / 1000,
      epoch,
      files: outputs,
      sums,
      differences,
      leaks,
      diffoscope,
      workDir: keep ? base : null,
    };
  } finally {
    if (!keep) fs.rmSync(base, { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--keep') options.keep = true;
    else if (arg === '--profile' || arg === '--sums') {
      const value = argv[++i];
      if (!value) throw new Error(`${arg} needs a value`);
      if (arg === '--profile') options.profile = value;
      else options.sumsFile = path.resolve(value);
    } else throw new Error(`unknown option ${arg} (options: --profile <id|path>, --sums <file>, --keep)`);
  }
  return options;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const options = parseArgs(process.argv.slice(2));
    const result = verifyBuild(options);
    for (const d of result.differences) console.log(`DIFFERS: ${d.file}: ${d.reason}`);
    for (const l of result.leaks.slice(0, 20)) console.log(`LEAKS A BUILD PATH: ${l.file} contains "${l.found}"`);
    if (result.leaks.length > 20) console.log(`… and ${result.leaks.length - 20} more files with build paths`);
    if (result.diffoscope !== null) console.log(`\ndiffoscope (first differing file):\n${result.diffoscope}\n`);
    if (result.workDir) console.log(`copies kept in ${result.workDir}`);
    console.log(`\n${result.sums}`);
    if (result.ok) {
      console.log(
        `verify-build: both builds match (${result.files.length} files compared, ${result.seconds.toFixed(0)} s); checksums in ${path.relative(process.cwd(), options.sumsFile ?? path.join(root, 'dist', SUMS_FILE))}`,
      );
    } else {
      console.log(
        `verify-build: NOT reproducible: ${result.differences.length} differing file(s), ${result.leaks.length} path leak(s) (${result.seconds.toFixed(0)} s)`,
      );
      process.exit(1);
    }
  } catch (error) {
    console.error(`verify-build: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
