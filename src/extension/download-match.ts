/**
 * Which downloads the extension tracks: a file whose name matches the profile's image pattern,
 * wherever it comes from. Trust comes from the signature, not from the server: a download from
 * a mirror of the pool or the official site (or one of its subdomains, e.g. download.tails.net
 * for tails.net) is marked `inPool`, one from anywhere else is tracked too and marked as not
 * in the pool, so the person is told. Pure, so the decision is unit-tested without a browser.
 */
import { parseImageFileName } from '../core/verify/file-name.js';
import type { Profile } from '../core/profile.js';
import { findMirror, pickMirror } from '../core/release/mirrors.js';
import type { Mirror } from '../core/release/types.js';

/** Last path segment of an http(s) URL, percent-decoded; undefined for anything else. */
export function fileNameFromUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const last = parsed.pathname.split('/').pop() ?? '';
  if (last === '') return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return undefined;
  }
}

/** Base name of a local path, for both `/` and Windows `\` separators. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? '';
}

/** Whether `name` is one of the profile's images: the same rule the verdict applies (src/core/verify/file-name.ts). */
export function matchesImagePattern(profile: Pick<Profile, 'imagePattern'>, name: string): boolean {
  return parseImageFileName(profile, name) !== undefined;
}

/**
 * The official site's prefix when `url` is on it: same scheme, and the site's host or a
 * subdomain of it (a download server of the project). Credentials in the URL never match.
 */
export function officialPrefixFor(officialSite: string, url: string): string | undefined {
  let site: URL;
  let target: URL;
  try {
    site = new URL(officialSite);
    target = new URL(url);
  } catch {
    return undefined;
  }
  if (target.username || target.password) return undefined;
  if (target.protocol !== site.protocol) return undefined;
  if (target.port !== site.port) return undefined;
  const host = target.hostname.toLowerCase();
  const siteHost = site.hostname.toLowerCase();
  // Subdomains only for names, not IP addresses (127.0.0.1 has no subdomains).
  const isName = !/^[0-9.]+$/.test(siteHost) && !siteHost.startsWith('[');
  if (host !== siteHost && !(isName && host.endsWith(`.${siteHost}`))) return undefined;
  return `${target.protocol}//${target.host}/`;
}

/** The mirror prefix (or official-site prefix) `url` belongs to, or undefined. */
export function sourcePrefixFor(
  profile: Pick<Profile, 'officialSite'>,
  pool: readonly Mirror[],
  url: string,
): string | undefined {
  return findMirror(pool, url)?.urlPrefix ?? officialPrefixFor(profile.officialSite, url);
}

export interface DownloadFacts {
  url: string;
  finalUrl?: string;
  /** Local path, possibly empty while the browser has not chosen it yet. */
  filename?: string;
}

export interface TrackMatch {
  /** The release file name (from the URL; the local copy may have been renamed, e.g. "x (1).img"). */
  fileName: string;
  /** The pool mirror's (or official site's) prefix; outside the pool, the server's origin + '/'. */
  mirror: string;
  /** The URL that matched (url or finalUrl). */
  matchedUrl: string;
  /** Whether the server is a mirror of the pool or the official site. */
  inPool: boolean;
}

/** `https://host:port/` of an http(s) URL without credentials; undefined for anything else. */
export function originPrefixOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.username || parsed.password)
    return undefined;
  return `${parsed.protocol}//${parsed.host}/`;
}

function imageNameOf(profile: Pick<Profile, 'imagePattern'>, url: string, item: DownloadFacts): string | undefined {
  const fromUrl = fileNameFromUrl(url);
  if (fromUrl !== undefined && matchesImagePattern(profile, fromUrl)) return fromUrl;
  const local = item.filename ? baseName(item.filename) : '';
  return local !== '' && matchesImagePattern(profile, local) ? local : undefined;
}

/** Whether a download is one to track, and as what: the pool first, then any other http(s) server. */
export function matchDownload(
  profile: Pick<Profile, 'officialSite' | 'imagePattern'>,
  pool: readonly Mirror[],
  item: DownloadFacts,
): TrackMatch | undefined {
  const urls = [item.finalUrl, item.url].filter((u): u is string => typeof u === 'string' && u !== '');
  for (const url of urls) {
    const mirror = sourcePrefixFor(profile, pool, url);
    if (mirror === undefined) continue;
    const fileName = imageNameOf(profile, url, item);
    if (fileName !== undefined) return { fileName, mirror, matchedUrl: url, inPool: true };
  }
  // Outside the pool: the server where the bytes came from (the final URL) is the one to name.
  for (const url of urls) {
    const origin = originPrefixOf(url);
    if (origin === undefined) continue;
    const fileName = imageNameOf(profile, url, item);
    if (fileName !== undefined) return { fileName, mirror: origin, matchedUrl: url, inPool: false };
  }
  return undefined;
}

/** Our storage key for a browser download. */
export function trackedId(downloadId: number): string {
  return `dl-${downloadId}`;
}

/** Inverse of trackedId; undefined for anything not of that form. */
export function downloadIdOf(id: string): number | undefined {
  const m = /^dl-(\d{1,15})$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

/**
 * The same file on another mirror of the pool (weighted pick, never the one it came from):
 * the path below the mirror prefix is kept. Undefined when the download did not come from a
 * pool mirror with a known path, or no other mirror has weight.
 */
export function otherMirrorUrlFor(
  download: { url: string; finalUrl: string; mirror: string; inPool?: boolean },
  pool: readonly Mirror[],
  random?: () => number,
): string | undefined {
  let path: string | undefined;
  for (const url of [download.finalUrl, download.url]) {
    const mirror = findMirror(pool, url);
    if (mirror && url.startsWith(mirror.urlPrefix)) {
      path = url.slice(mirror.urlPrefix.length);
      break;
    }
  }
  if (path === undefined || path === '') return undefined;
  const exclude = pool
    .filter(
      (m) =>
        m.urlPrefix === download.mirror ||
        download.url.startsWith(m.urlPrefix) ||
        download.finalUrl.startsWith(m.urlPrefix),
    )
    .map((m) => m.urlPrefix);
  const picked = pickMirror(pool, random ? { exclude, random } : { exclude });
  return picked ? `${picked.urlPrefix}${path}` : undefined;
}
