/**
 * What a mirror operator should do when a mirror serves none of the release's images: look at
 * what IS there. Three common causes, each checked with a few HEAD requests or one directory
 * listing (never a download):
 *
 * - the tree is one level lower than the prefix given (`/srv/mirror/` instead of
 *   `/srv/mirror/tails/`),
 * - the prefix is one level too deep (`…/tails/stable/` instead of `…/tails/`),
 * - another release is there (usually the previous one: the sync has stopped).
 *
 * Hints only explain; they never change a file's status or the exit status.
 */
import { compareVersions } from '../version.js';
import type { MirrorRelease } from './check.js';
import type { MirrorReport, MirrorSource } from './types.js';

export interface MirrorHintOptions {
  signal?: AbortSignal;
  /** The profile's image file pattern (named group `version`). */
  imagePattern: string;
  /** Directory names the tree is often published under (the profile's tree path segment, id, product). */
  treeNames: readonly string[];
  /** Bound on all the probing together. */
  timeoutMs?: number;
}

/** At most this many directory entries are tried as "the tree is one level lower". */
const MAX_PROBES = 16;

export async function mirrorHints(
  source: MirrorSource,
  release: MirrorRelease,
  report: MirrorReport,
  options: MirrorHintOptions,
): Promise<string[]> {
  const images = release.files.filter((f) => f.kind === 'image');
  const allMissing =
    images.length > 0 &&
    images.every((image) => report.files.some((f) => f.path === image.path && f.status === 'missing'));
  if (report.error || !allMissing) return [];
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 20_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    return await probe(source, release, images[0]!.path, options, signal);
  } catch {
    // A hint that cannot be worked out is simply not given.
    return [];
  }
}

async function probe(
  source: MirrorSource,
  release: MirrorRelease,
  firstPath: string,
  options: MirrorHintOptions,
  signal: AbortSignal,
): Promise<string[]> {
  const where = source.kind === 'directory' ? 'directory' : 'URL prefix';
  const segments = firstPath.split('/');
  const top = segments.length > 1 ? `${segments[0]}/` : firstPath;

  // One level too high: is the tree inside a subdirectory?
  const names = new Set(options.treeNames.filter(Boolean));
  for (const entry of (await listing(source, '', signal)) ?? []) names.add(entry);
  for (const name of [...names].slice(0, MAX_PROBES)) {
    if (await exists(source, `${encodeURIComponent(name)}/${firstPath}`, signal)) {
      return [
        `the release is one level lower, in ${source.locate(`${encodeURIComponent(name)}/`)}: check that ${where} instead (the one that holds ${top})`,
      ];
    }
  }
  // One level too deep: is the tree's first directory already part of the prefix?
  if (segments.length > 1 && (await exists(source, segments.slice(1).join('/'), signal))) {
    return [
      `this ${where} is one level too deep: the files are there without "${top}"; check the ${where} above it (the one that holds ${top})`,
    ];
  }
  // Another release in the directory that holds the release directories (stable/).
  if (segments.length >= 3) {
    const parent = `${segments.slice(0, -2).join('/')}/`;
    const found = ((await listing(source, parent, signal)) ?? [])
      .map((entry) => ({ entry, version: versionOf(entry, options.imagePattern) }))
      .filter((x): x is { entry: string; version: string } => x.version !== undefined && x.version !== release.version);
    if (found.length > 0) {
      found.sort((a, b) => compareVersions(b.version, a.version));
      const older = found.filter((x) => compareVersions(x.version, release.version) < 0);
      const shown = (older[0] ?? found[0])!;
      const at = source.locate(`${parent}${encodeURIComponent(shown.entry)}/`);
      if (older.length > 0) {
        return [
          `an older release is there (${release.product} ${shown.version}, ${at}) but not ${release.version}: the mirror looks out of date; check that its sync (rsync) runs and completes`,
        ];
      }
      return [
        `another release is there (${release.product} ${shown.version}, ${at}) but not ${release.version}: check the sync, and that this check used the current release data`,
      ];
    }
  }
  return [];
}

/** A release directory or file name's version by the profile's image pattern (`tails-amd64-7.1` → 7.1). */
export function versionOf(entry: string, imagePattern: string): string | undefined {
  let pattern: RegExp;
  try {
    pattern = new RegExp(imagePattern);
  } catch {
    return undefined;
  }
  for (const candidate of [entry, `${entry}.img`, `${entry}.iso`]) {
    const version = pattern.exec(candidate)?.groups?.version;
    if (version) return version;
  }
  return undefined;
}

async function exists(source: MirrorSource, path: string, signal: AbortSignal): Promise<boolean> {
  const response = await source.open(path, { method: 'HEAD', signal });
  await response.close();
  return response.status === 200 && !response.redirectedOffsite;
}

async function listing(source: MirrorSource, dir: string, signal: AbortSignal): Promise<string[] | undefined> {
  return source.list ? source.list(dir, { signal }).catch(() => undefined) : undefined;
}
