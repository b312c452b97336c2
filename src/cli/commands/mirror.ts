/**
 * `iso-verify mirror <url-prefix|directory>…`: does a mirror serve exactly the current signed
 * release? For every release file (images and their signatures) it checks the answer's status,
 * redirects, Content-Type and Content-Length, and unless --quick streams the file through the
 * hasher and judges it like a user's download. Local rsync trees get the same checks on disk.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorInfo, IsoVerifyError } from '../../core/errors.js';
import { checkMirror, mapBounded } from '../../core/mirror/check.js';
import { mirrorHints } from '../../core/mirror/hints.js';
import { httpMirrorSource } from '../../core/mirror/http-source.js';
import { loadMirrorRelease, type LoadedMirrorRelease } from '../../core/mirror/release.js';
import type { MirrorReport, MirrorSource } from '../../core/mirror/types.js';
import { LIMITS, type Fetcher } from '../../core/net/types.js';
import type { Profile } from '../../core/profile.js';
import { parseMirrorPool } from '../../core/release/mirrors.js';
import pkg from '../../../package.json';
import type { MaterialOverrides } from '../../core/verify/index.js';
import { listOption, parseCommandArgs, stringOption, usageError } from '../args.js';
import type { CliContext } from '../context.js';
import { createFileTrustState, stateNotSavedNote } from '../file-trust-state.js';
import { resolvePath } from '../local-files.js';
import { directoryMirrorSource } from '../mirror-directory-source.js';
import {
  formatMirrorTable,
  formatNagios,
  formatPrometheus,
  mirrorExitStatus,
  mirrorOutcome,
  NAGIOS,
  nagiosUnknown,
  statusWord,
} from '../mirror-output.js';
import { describeError } from '../messages.js';
import { createMirrorProgress } from '../mirror-progress.js';
import { nativeEngine } from '../native-engine.js';
import { createNodeFetcher, isUrl, offlineFetcher } from '../node-fetcher.js';
import { loadProfileOption } from '../profile-option.js';
import { readReleaseInputs, RELEASE_INPUT_OPTIONS } from '../release-options.js';
import { EXIT_OK, reportError, reportFailure } from '../report.js';
import type { Command } from './types.js';

const DEFAULT_PARALLEL = 4;
const MAX_PARALLEL = 32;
const DEFAULT_TIMEOUT_SECONDS = 30 * 60;
/** The stall bound (no answer, or no data) is this, or the whole-file timeout when shorter. */
const STALL_SECONDS = 30;

const HELP = `Usage: iso-verify mirror <url-prefix|directory>... [--all] [--profile tails|demo|<file.json>]
         [--quick] [--json | --format table|json|nagios|prometheus] [--parallel N]
         [--timeout SECONDS] [--state <file>]
         [--descriptor <url|path>] [--signature <url|path>] [--image-signature <url|path>]...
         [--upgrade-description <url|path> [--upgrade-signature <url|path>]]
         [--key <url|path>]... [--fingerprint <FPR>]... [--offline]

Check that a mirror serves exactly the current signed release: every image (IMG and ISO) and,
where the profile publishes them, its signature. A URL prefix is the mirror's url_prefix as in
mirrors.json (e.g. https://mirror.example.org/tails/); a directory is a local rsync tree (the
one that holds stable/...). For each file: reachability, HTTP status, redirects to another host
(or symlinks out of the tree), Content-Type, Content-Length against the signed size, and unless
--quick the bytes themselves: streamed through SHA-256/SHA-512 and judged exactly like a
user's download (signed description or image signature by the pinned key). A size or SHA-256
that no signature covers (an unsigned description, like Tails') is shown as "expected size
(unsigned)" and never makes a mirror bad: in full mode each image must match its own signature.

Options:
  --all                 also check every mirror of the profile's pool (mirrors.json);
                        mirrors with weight 0 (disabled) are skipped
  --profile <id|file>   built-in profile (tails, demo) or a profile JSON file
  --quick               headers only for images (no download): status, type, length;
                        signatures are still compared byte for byte
  --json                print one JSON object: {"ok", "exitStatus", "release", "mirrors": [...]}
  --format <FORMAT>     table (default), json (= --json), or for monitoring:
                        nagios: a monitoring plugin (Icinga, Nagios): one status line with
                          perfdata per mirror, exit 0 OK, 1 WARNING (a mirror not fully
                          checked), 2 CRITICAL (wrong or incomplete data), 3 UNKNOWN (the check
                          could not run)
                        prometheus: text exposition for the node exporter's textfile
                          collector; exit 0 whenever the metrics were written (the state is in
                          them: iso_verify_mirror_ok, iso_verify_mirror_check_success)
  --parallel <N>        mirrors checked at the same time (default ${DEFAULT_PARALLEL}, at most ${MAX_PARALLEL});
                        the files of one mirror are always fetched one after another
  --timeout <SECONDS>   bound on each file's transfer (default ${DEFAULT_TIMEOUT_SECONDS}); a mirror that
                        sends nothing for ${STALL_SECONDS} s (or SECONDS, if shorter) also times out
  --state <file>        rollback-protection state, as for 'iso-verify verify'
  --descriptor <url|path>       release description (latest.json) instead of the profile's URL
  --signature <url|path>        detached signature of that description
  --image-signature <url|path>  an image's official signature (<image>.sig; repeatable), instead
                                of the profile's image signature URL
  --upgrade-description <url|path>  an earlier release's signed upgrade description (upgrades.yml)
                                instead of the profile's: it signs the ISO's size and SHA-256,
                                also offline
  --upgrade-signature <url|path>    its signature (default: the description's path + .pgp)
  --key <url|path>      extra OpenPGP key material (repeatable; counts only if pinned)
  --fingerprint <FPR>   pin this primary key instead of the profile's pins (repeatable)
  --offline             never use the network: check local directories against release data
                        given with --descriptor/--signature/--image-signature (URLs fail)
  -h, --help            show this help

Where the files are: the path of each image below a mirror prefix comes from the profile
(mirrorTreePath, else the tree starts at the channel's directory: stable/...). When a mirror
serves none of the images, the check looks for the usual causes and prints a hint: the tree
one directory lower or higher than the prefix given, or another (older) release there.

Exit status: 0 every checked mirror serves the release correctly; 1 a mirror serves wrong or
incomplete data (missing, truncated, corrupt, wrong length or type, offsite redirect, dropped,
unreachable, timed out); 2 the check could not run (release data unavailable or not
verifiable, usage) or a file could not be judged.
`;

interface MirrorOptions {
  targets: string[];
  overrides: Omit<MaterialOverrides, 'imageSignature'>;
  imageSignatures: string[];
  offline: boolean;
  all: boolean;
  profile?: string | undefined;
  quick: boolean;
  format: MirrorFormat;
  parallel: number;
  timeoutMs: number;
  statePath: string;
}

/** Identifies the check to mirror operators reading their logs. */
export function mirrorUserAgent(): string {
  return `iso-verify/${typeof pkg.version === 'string' ? pkg.version : '0'} (mirror check; +https://tails.net)`;
}

function positiveInteger(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw usageError(`mirror: --${name} must be a whole number from 1 to ${max} (got '${value}')`);
  }
  return Number(value);
}

function timeoutOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(seconds > 0) || seconds > 7 * 86_400) {
    throw usageError(`mirror: --timeout must be a positive number of seconds (got '${value}')`);
  }
  return Math.round(seconds * 1000);
}

export const mirrorCommand: Command = {
  name: 'mirror',
  summary: 'check that mirrors (URL prefixes or local trees) serve exactly the current release',
  help: HELP,
  async run(args, context) {
    const { values, positionals, help } = parseCommandArgs(
      'mirror',
      args,
      {
        all: { type: 'boolean' },
        quick: { type: 'boolean' },
        json: { type: 'boolean' },
        format: { type: 'string' },
        parallel: { type: 'string' },
        timeout: { type: 'string' },
        ...RELEASE_INPUT_OPTIONS,
        'image-signature': { type: 'string', multiple: true },
        offline: { type: 'boolean' },
      },
      { names: ['url-prefix|directory'], min: 0, max: Number.POSITIVE_INFINITY },
    );
    if (help) {
      context.stdout.write(HELP);
      return EXIT_OK;
    }
    const format = formatOption(stringOption(values, 'format'), values.json === true);
    // A monitoring system reads stdout and the exit status only: a check that cannot run is
    // UNKNOWN (nagios) or check_success 0 (prometheus), said in the format it parses.
    if (format === 'nagios' || format === 'prometheus') {
      try {
        return await mirrorRun(values, positionals, context, format);
      } catch (error) {
        const reason = describeError(errorInfo(error));
        if (format === 'nagios') {
          context.stdout.write(nagiosUnknown(reason));
          return NAGIOS.UNKNOWN;
        }
        context.stdout.write(
          formatPrometheus({ reports: [], error: reason, nowSeconds: Math.floor(context.now().getTime() / 1000) }),
        );
        reportFailure(context, 'cannot check mirrors', reason);
        return EXIT_OK;
      }
    }
    return mirrorRun(values, positionals, context, format);
  },
};

type MirrorFormat = 'table' | 'json' | 'nagios' | 'prometheus';

function formatOption(value: string | undefined, json: boolean): MirrorFormat {
  if (value === undefined) return json ? 'json' : 'table';
  if (value !== 'table' && value !== 'json' && value !== 'nagios' && value !== 'prometheus') {
    throw usageError(`mirror: --format must be table, json, nagios or prometheus (got '${value}')`);
  }
  if (json && value !== 'json') throw usageError(`mirror: --json and --format ${value} contradict each other`);
  return value;
}

async function mirrorRun(
  values: Record<string, unknown>,
  positionals: string[],
  context: CliContext,
  format: MirrorFormat,
): Promise<number> {
  const all = values.all === true;
  if (positionals.length === 0 && !all) throw usageError('mirror: missing <url-prefix|directory> (or --all)');
  const offline = values.offline === true;
  if (offline && all)
    throw usageError(
      'mirror: --all needs the network (the pool comes from the official site); --offline checks local directories',
    );
  const remote = positionals.find((t) => isUrl(t) && !t.startsWith('file:'));
  if (offline && remote !== undefined)
    throw usageError(`mirror: --offline checks local directories only, not '${remote}'`);
  const { overrides, statePath } = readReleaseInputs('mirror', { ...values, 'image-signature': undefined }, context);
  const options: MirrorOptions = {
    targets: positionals,
    overrides,
    imageSignatures: listOption(values, 'image-signature').map((x) => (isUrl(x) ? x : resolvePath(context.cwd, x))),
    offline,
    all,
    profile: stringOption(values, 'profile'),
    quick: values.quick === true,
    format,
    parallel: positiveInteger('parallel', stringOption(values, 'parallel'), DEFAULT_PARALLEL, MAX_PARALLEL),
    timeoutMs: timeoutOption(stringOption(values, 'timeout')),
    statePath,
  };
  if (format === 'nagios' || format === 'prometheus') return await checkMirrors(context, options);
  try {
    return await checkMirrors(context, options);
  } catch (error) {
    return reportError(context, error, 'cannot check mirrors');
  }
}

/** A command-line operand as a mirror: an http(s) URL prefix, or a local directory. */
async function sourceFor(target: string, context: CliContext): Promise<MirrorSource> {
  if (isUrl(target) && !target.startsWith('file:')) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw usageError(`mirror: not a valid URL: '${target}'`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw usageError(`mirror: only http(s) mirrors can be checked, not '${target}'`);
    if (url.username || url.password || url.search || url.hash)
      throw usageError(`mirror: a URL prefix has no credentials, query or fragment: '${target}'`);
    return httpMirrorSource(url.href, context.fetch, { userAgent: mirrorUserAgent() });
  }
  const dir = target.startsWith('file:') ? fileURLToPath(target) : target;
  return directoryMirrorSource(resolvePath(context.cwd, dir));
}

/** The profile's pool: mirrors in use, and the disabled ones (weight 0) that are skipped. */
async function poolSources(
  profile: Profile,
  fetcher: Fetcher,
  context: CliContext,
): Promise<{ prefixes: string[]; skipped: string[] }> {
  if (profile.mirrorPoolUrl === undefined)
    throw new IsoVerifyError('usage', `mirror: profile ${profile.id} names no mirror pool, so --all cannot be used`);
  const got = await fetcher(profile.mirrorPoolUrl, {
    maxBytes: LIMITS.mirrorPool,
    timeoutMs: LIMITS.fetchTimeoutMs,
    ...(context.signal ? { signal: context.signal } : {}),
  });
  const pool = parseMirrorPool(got.bytes);
  return {
    prefixes: pool.filter((m) => m.weight > 0).map((m) => m.urlPrefix),
    skipped: pool.filter((m) => m.weight === 0).map((m) => m.urlPrefix),
  };
}

function releaseLine(loaded: LoadedMirrorRelease, quick: boolean): string {
  const { release } = loaded;
  const head = `Release: ${release.product} ${release.version} (${release.files.length} files per mirror), from ${loaded.descriptionSource}`;
  if (release.signed)
    return `${head}; description signed by the pinned key (${loaded.descriptionSignature?.signatureTime ?? 'time unknown'}).`;
  const signedSizes = release.files.filter((f) => f.kind === 'image' && f.sizeSigned).map((f) => f.fileName);
  const upgrade = signedSizes.length > 0 ? ` (${signedSizes.join(', ')}: size signed by an upgrade description)` : '';
  return quick
    ? `${head}; the description is NOT signed: quick mode compares with its unsigned sizes only, which cannot prove a mirror wrong${upgrade}.`
    : `${head}; the description is not signed: each image must match its own signature by the pinned key${upgrade}.`;
}

async function checkMirrors(context: CliContext, options: MirrorOptions): Promise<number> {
  // Operands first: a typo in a path must not cost a release download.
  const sources: MirrorSource[] = [];
  for (const target of options.targets) sources.push(await sourceFor(target, context));

  const profile = await loadProfileOption(options.profile, context.cwd);
  const online = createNodeFetcher({
    fetch: context.fetch,
    cwd: context.cwd,
    userAgent: mirrorUserAgent(),
    now: context.now,
  });
  const fetcher = options.offline ? offlineFetcher(online) : online;
  const notes: string[] = [];
  let skipped: string[] = [];
  if (options.all) {
    const pool = await poolSources(profile, fetcher, context);
    for (const prefix of pool.prefixes)
      sources.push(httpMirrorSource(prefix, context.fetch, { userAgent: mirrorUserAgent() }));
    skipped = pool.skipped;
    for (const prefix of skipped) notes.push(`skipped ${prefix}: weight 0 in the pool (disabled)`);
  }
  const unique = sources.filter((s, i) => sources.findIndex((o) => o.location === s.location) === i);
  if (unique.length === 0)
    throw new IsoVerifyError('usage', 'mirror: the pool has no mirror in use (all have weight 0)');

  const trustState = createFileTrustState(options.statePath);
  const signatureFor = new Map(options.imageSignatures.map((source) => [signedName(source), source]));
  const loaded = await loadMirrorRelease(profile, fetcher, {
    ...(context.signal ? { signal: context.signal } : {}),
    overrides: options.overrides,
    imageSignatureSource: (fileName) => signatureFor.get(fileName),
    trustState,
    now: context.now,
  });
  const mode = options.quick ? 'quick' : 'full';
  const files = loaded.release.files;
  const progress = createMirrorProgress(context.stderr, {
    mirrors: unique.length,
    filesPerMirror: files.length,
    bytesPerMirror: files.reduce((n, f) => n + f.size, 0),
    full: mode === 'full',
  });

  let reports: MirrorReport[];
  try {
    reports = await mapBounded(unique, options.parallel, async (source) => {
      try {
        const report = await checkMirror(source, loaded.release, {
          mode,
          engine: nativeEngine,
          judge: loaded.judge,
          ...(context.signal ? { signal: context.signal } : {}),
          fileTimeoutMs: options.timeoutMs,
          stallTimeoutMs: Math.min(STALL_SECONDS * 1000, options.timeoutMs),
          onProgress: (p) => progress.onProgress(p),
          onFileChecked: (mirror, check) => progress.onFileChecked(mirror, check),
        });
        const hints = await mirrorHints(source, loaded.release, report, {
          ...(context.signal ? { signal: context.signal } : {}),
          imagePattern: profile.imagePattern,
          treeNames: treeNamesOf(profile),
        });
        if (hints.length > 0) report.hints = hints;
        return report;
      } catch (error) {
        if (context.signal?.aborted) throw error;
        const e = error instanceof IsoVerifyError ? error : new IsoVerifyError('internal', String(error));
        return notCheckedReport(source, loaded, mode, e);
      }
    });
  } finally {
    progress.finish();
  }

  const status = mirrorExitStatus(reports);
  if (options.format === 'nagios') {
    const { text, code } = formatNagios(reports, loaded.release);
    context.stdout.write(text);
    return code;
  }
  if (options.format === 'prometheus') {
    context.stdout.write(
      formatPrometheus({ reports, release: loaded.release, nowSeconds: Math.floor(context.now().getTime() / 1000) }),
    );
    const stateNote = stateNotSavedNote(trustState);
    if (stateNote !== undefined) reportFailure(context, 'warning', stateNote);
    return EXIT_OK;
  }
  if (options.format === 'json') {
    const release = { ...loaded.release, files: files.map(({ bytes: _bytes, ...rest }) => rest) };
    context.stdout.write(
      `${JSON.stringify({ ok: status === 0, exitStatus: status, release, mirrors: reports, skipped }, null, 2)}\n`,
    );
  } else {
    context.stdout.write(formatMirrorTable(reports, { releaseLine: releaseLine(loaded, options.quick), notes }));
  }
  const stateNote = stateNotSavedNote(trustState);
  if (stateNote !== undefined) reportFailure(context, 'warning', stateNote);
  if (status !== 0) {
    const failing = reports.filter((r) => mirrorOutcome(r) !== 'correct');
    const list = failing.map((r) => `${r.mirror} (${r.error ? 'not checked' : problemsOf(r)})`).join(', ');
    reportFailure(
      context,
      status === 1 ? 'bad mirror' : 'not fully checked',
      `${failing.length} of ${reports.length}: ${list}`,
    );
  }
  return status;
}

/** The image a signature file is for: `tails-amd64-7.2.img.sig` → `tails-amd64-7.2.img`. */
function signedName(source: string): string {
  let name = path.basename(source);
  if (isUrl(source)) {
    try {
      name = decodeURIComponent(new URL(source).pathname.split('/').pop() ?? '');
    } catch {
      return source; // not a usable URL: matches no image, and fetching it reports why
    }
  }
  return name.replace(/\.(sig|asc|pgp)$/i, '');
}

/** Directory names a tree is usually published under, for the "one level lower" hint. */
function treeNamesOf(profile: Profile): string[] {
  const fromTreePath = profile.mirrorTreePath?.split('/').filter(Boolean).pop();
  return [...new Set([fromTreePath, profile.id, profile.product.toLowerCase()].filter((x): x is string => Boolean(x)))];
}

function problemsOf(report: MirrorReport): string {
  return report.files
    .filter((f) => f.status !== 'ok')
    .map((f) => `${f.fileName} ${statusWord(f.status).toLowerCase()}`)
    .join(', ');
}

function notCheckedReport(
  source: MirrorSource,
  loaded: LoadedMirrorRelease,
  mode: 'quick' | 'full',
  error: IsoVerifyError,
): MirrorReport {
  const { release } = loaded;
  return {
    mirror: source.location,
    mode,
    release: { product: release.product, version: release.version, signed: release.signed },
    ok: false,
    files: [],
    bytesRead: 0,
    durationMs: 0,
    error: error.detail === undefined ? { code: error.code } : { code: error.code, detail: error.detail },
  };
}
