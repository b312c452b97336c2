/**
 * A profile says what to trust for one project: where its release data lives and which keys
 * are pinned. Profiles are JSON files (`profiles/*.json`), validated by `parseProfile`
 * (src/core/profile-schema.ts) so a derivative can ship its own.
 */
import { isLoopbackHost } from './net/capped-fetch.js';

/** A rebuilderd instance: asked through its HTTP API (src/core/repro/rebuilderd.ts). */
export interface RebuilderdConfig {
  kind?: 'rebuilderd';
  /** Display name, e.g. "reproducible.archlinux.org". */
  name: string;
  /** rebuilderd base URL, e.g. "https://rebuilder.example.org". */
  baseUrl: string;
  /** The rebuilder's Ed25519 key as served by /api/v1/meta/public-keys (PEM). */
  publicKeyPem: string;
  distribution: string; // "tails"
  architecture: string; // "amd64"
}

/**
 * A person who rebuilds releases and publishes signed links on a static host, at
 * `<baseUrl>/<product>/<version>/<file>.link` (src/core/repro/static-reproducer.ts).
 */
export interface StaticReproducerConfig {
  kind: 'static';
  name: string;
  baseUrl: string;
  /** The reproducer's Ed25519 key (PEM, SPKI or rebuilderd layout), as `iso-verify attest --new-key` prints it. */
  publicKeyPem: string;
}

/** An independent rebuilder the reproducibility status asks: rebuilderd or a static reproducer. */
export type RebuilderConfig = RebuilderdConfig | StaticReproducerConfig;

export interface Profile {
  /** Short id: "tails", "demo", or a derivative's. */
  id: string;
  /** Human name of the product as the description names it ("Tails"). */
  product: string;
  /** The official site; release data is fetched from here (https, or http://127.0.0.1 for tests). */
  officialSite: string;
  channel: string; // "stable"
  architecture: string; // "amd64"
  /** URL of the image description file (latest.json). */
  descriptionUrl: string;
  /** URL of its detached signature, when the project signs it. */
  descriptionSignatureUrl?: string;
  /** URL pattern of the image signature; `{file}` and `{version}` are replaced. */
  imageSignatureUrl?: string;
  /** URL pattern of the signed upgrade description; `{version}` is replaced. */
  upgradeDescriptionUrl?: string;
  /** URL of the mirror pool (mirrors.json). */
  mirrorPoolUrl?: string;
  /**
   * Where the mirrored tree starts in the image URLs of the description: the part of a URL's
   * path after this prefix is the file's path below every mirror's url_prefix (`/tails/`:
   * `…/tails/stable/x/x.img` → `stable/x/x.img`). Absent: the tree starts at the path segment
   * named like `channel` (see src/core/release/mirrors.ts mirrorPathOf).
   */
  mirrorTreePath?: string;
  /** URL to refresh the signing key from (merged into the pinned primary key only). */
  keyUrl?: string;
  /** Pinned primary-key fingerprints, uppercase hex, no spaces. At least one. */
  pinnedFingerprints: string[];
  /** The signing key shipped with the build (ASCII armor). */
  signingKey: string;
  /**
   * Regular expression (source) for image file names, with named groups `version` and
   * `type` (iso|img), e.g. `^tails-amd64-(?<version>[0-9][0-9a-z.~-]*)\.(?<type>img|iso)$`.
   */
  imagePattern: string;
  /** Reject descriptions whose signature is older than this many days (0 = no limit). */
  maxDescriptionAgeDays: number;
  rebuilders: RebuilderConfig[];
  /** How many distinct pinned rebuilders must reproduce the image. */
  reproThreshold: number;
}

/** Replace `{name}` placeholders; values are URI-component encoded. */
export function expandUrlPattern(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\{([a-z]+)\}/g, (whole, key: string) => {
    const value = values[key];
    return value === undefined ? whole : encodeURIComponent(value);
  });
}

/**
 * Whether `url` (typically the final URL after redirects) is on the profile's official site:
 * the same scheme and host, or a subdomain of it. Release data that a redirect took elsewhere
 * is refused, so an open redirect on the site cannot hand the reference to another host.
 */
/** Plain http is accepted only when the profile itself points at the loopback host (the demo, tests). */
export function profileAllowsLoopbackHttp(profile: Pick<Profile, 'officialSite'>): boolean {
  try {
    const site = new URL(profile.officialSite);
    return site.protocol === 'http:' && isLoopbackHost(site.hostname);
  } catch {
    return false;
  }
}

export function isOnOfficialSite(profile: Pick<Profile, 'officialSite'>, url: string): boolean {
  let site: URL;
  let target: URL;
  try {
    site = new URL(profile.officialSite);
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol !== site.protocol || target.username || target.password) return false;
  const host = target.hostname.toLowerCase();
  const siteHost = site.hostname.toLowerCase();
  return host === siteHost || host.endsWith(`.${siteHost}`);
}
