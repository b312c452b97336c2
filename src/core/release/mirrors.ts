/**
 * The mirror pool (`mirrors.json`: `{ "mirrors": [{ "url_prefix": "https://…/tails/", "weight": 5, … }] }`)
 * and the URL helpers built on it: which download URLs belong to a mirror, where a release
 * file lives on a given mirror, and a weighted random pick (weight 0 = disabled).
 */
import { LIMITS } from '../net/types.js';
import { FieldReader, decodeCapped, join, parseJsonText } from './fields.js';
import type { Mirror } from './types.js';

const r: FieldReader = new FieldReader('mirror-pool-malformed');

export function parseMirrorPool(input: Uint8Array | string): Mirror[] {
  const text = decodeCapped(input, LIMITS.mirrorPool, 'mirror-pool-malformed', 'mirror pool');
  return readMirrorPool(parseJsonText(text, 'mirror-pool-malformed', 'mirror pool'));
}

export function readMirrorPool(json: unknown): Mirror[] {
  const obj = r.object(json, '');
  return r.array(r.field(obj, 'mirrors', ''), 'mirrors', { max: 2000 }).map((item, i) => {
    const path = join('mirrors', i);
    const m = r.object(item, path);
    const prefixPath = join(path, 'url_prefix');
    const parsed = new URL(r.httpUrl(r.field(m, 'url_prefix', path), prefixPath));
    if (parsed.search || parsed.hash) r.fail(prefixPath, 'must not have a query or fragment');
    if (!parsed.pathname.endsWith('/')) r.fail(prefixPath, 'must end with "/"');
    // Keep the canonical form (lowercase host, no default port, no dot segments) so that
    // prefix comparisons and exclusions compare like with like.
    const urlPrefix = parsed.href;
    const weight = r.integer(r.field(m, 'weight', path), join(path, 'weight'), 0, 1_000_000);
    return { urlPrefix, weight };
  });
}

/** How a profile's image URLs map to paths below a mirror's url_prefix. */
export interface MirrorLayout {
  /** The URL path prefix where the mirrored tree starts (e.g. `/tails/`), when the profile sets one. */
  treePath?: string;
  /** Otherwise the tree starts at the first path segment equal to this (the profile's channel). */
  channel: string;
}

export function mirrorLayoutOf(profile: { mirrorTreePath?: string; channel: string }): MirrorLayout {
  return profile.mirrorTreePath === undefined
    ? { channel: profile.channel }
    : { treePath: profile.mirrorTreePath, channel: profile.channel };
}

/**
 * The path of a release file inside the mirrored tree, per the profile's layout:
 * `http://dl.amnesia.boum.org/tails/stable/tails-amd64-4.19/tails-amd64-4.19.img`
 * → `stable/tails-amd64-4.19/tails-amd64-4.19.img` (tree path `/tails/`, or channel `stable`).
 * Undefined when the URL does not fit the layout.
 */
export function mirrorPathOf(officialUrl: string, layout: MirrorLayout): string | undefined {
  let url: URL;
  try {
    url = new URL(officialUrl);
  } catch {
    return undefined;
  }
  let rest: string | undefined;
  if (layout.treePath !== undefined) {
    const at = url.pathname.indexOf(layout.treePath);
    rest = at < 0 ? undefined : url.pathname.slice(at + layout.treePath.length);
  } else {
    const marker = `/${encodeURIComponent(layout.channel)}/`;
    const at = url.pathname.indexOf(marker);
    rest = at < 0 ? undefined : url.pathname.slice(at + 1);
  }
  return rest === undefined || rest === '' || rest.endsWith('/') ? undefined : rest;
}

/** Where `officialUrl` lives on the mirror with `prefix`; undefined when it has no mirror path. */
export function mirrorUrlFor(prefix: string, officialUrl: string, layout: MirrorLayout): string | undefined {
  const path = mirrorPathOf(officialUrl, layout);
  if (path === undefined) return undefined;
  return (prefix.endsWith('/') ? prefix : `${prefix}/`) + path;
}

/**
 * The pool entry whose prefix `url` starts with: same scheme, same host, same port, and a path
 * that starts with the prefix's path, compared after URL canonicalisation (so `..`, default
 * ports and case in the host cannot fool it). URLs with credentials never match
 * (`https://mirror.example@evil.example/` is a look-alike). The longest prefix wins.
 * Disabled mirrors (weight 0) still match: a download from them is still a mirror download.
 */
export function findMirror(pool: readonly Mirror[], url: string): Mirror | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return undefined;
  }
  if (target.username || target.password) return undefined;
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return undefined;
  let best: Mirror | undefined;
  for (const mirror of pool) {
    let prefix: URL;
    try {
      prefix = new URL(mirror.urlPrefix);
    } catch {
      continue;
    }
    if (prefix.protocol !== target.protocol || prefix.host !== target.host) continue;
    const prefixPath = prefix.pathname.endsWith('/') ? prefix.pathname : `${prefix.pathname}/`;
    if (!target.pathname.startsWith(prefixPath)) continue;
    if (!best || mirror.urlPrefix.length > best.urlPrefix.length) best = mirror;
  }
  return best;
}

export interface PickOptions {
  /** Prefixes not to pick (e.g. mirrors that already failed). */
  exclude?: readonly string[];
  /** Uniform random number in [0, 1); defaults to Math.random (not a security decision). */
  random?: () => number;
}

/** A mirror chosen with probability proportional to its weight; undefined when none is left. */
export function pickMirror(pool: readonly Mirror[], options: PickOptions = {}): Mirror | undefined {
  const excluded = new Set(options.exclude ?? []);
  const candidates = pool.filter((m) => m.weight > 0 && !excluded.has(m.urlPrefix));
  const total = candidates.reduce((sum, m) => sum + m.weight, 0);
  if (total <= 0) return undefined;
  const random = options.random ?? Math.random;
  let ticket = Math.floor(Math.min(Math.max(random(), 0), 0.999_999_999) * total);
  for (const m of candidates) {
    if (ticket < m.weight) return m;
    ticket -= m.weight;
  }
  return candidates[candidates.length - 1];
}
