/**
 * Validation of profile JSON (schema documented in docs/profile-schema.md). A profile decides
 * what is trusted, so it is checked strictly: every field typed, URLs secure and on the
 * official site, at least one pinned fingerprint, and unknown fields rejected — a misspelled
 * `descriptionSignatureUrl` must not silently turn signature checking off.
 */
import { IsoVerifyError } from './errors.js';
import { isAllowedUrl } from './net/capped-fetch.js';
import { LIMITS } from './net/types.js';
import type { Profile, RebuilderConfig } from './profile.js';
import { FieldReader, join } from './release/fields.js';

const r: FieldReader = new FieldReader('profile-invalid');

const ID_RE = /^[a-z0-9-]{1,64}$/;
/** Channel and architecture end up in URLs and storage keys: keep them to simple tokens. */
const TOKEN_RE = /^[A-Za-z0-9._-]{1,64}$/;
const FINGERPRINT_RE = /^[0-9A-Fa-f]{40}$/;

const KNOWN_FIELDS = new Set([
  '$schema',
  'comment',
  'id',
  'product',
  'officialSite',
  'channel',
  'architecture',
  'descriptionUrl',
  'descriptionSignatureUrl',
  'imageSignatureUrl',
  'upgradeDescriptionUrl',
  'mirrorPoolUrl',
  'keyUrl',
  'pinnedFingerprints',
  'signingKey',
  'signingKeyFile',
  'imagePattern',
  'maxDescriptionAgeDays',
  'rebuilders',
  'reproThreshold',
  'mirrorTreePath',
]);
const REBUILDER_FIELDS = new Set(['kind', 'name', 'baseUrl', 'publicKeyPem', 'distribution', 'architecture']);
const STATIC_REPRODUCER_FIELDS = new Set(['kind', 'name', 'baseUrl', 'publicKeyPem']);

/**
 * Validate a profile. `resolveFile` reads `signingKeyFile` (relative to the profile) as text;
 * without it only an inline `signingKey` is accepted.
 */
export function parseProfile(json: unknown, resolveFile?: (relPath: string) => string): Profile {
  const obj = r.object(json, '');
  for (const key of Object.keys(obj)) if (!KNOWN_FIELDS.has(key)) r.fail(key, 'unknown field');

  const officialSite = secureUrl(r.field(obj, 'officialSite', ''), 'officialSite');
  const siteOrigin = new URL(officialSite).origin;
  /** Release data comes from the official site only (docs/design.md "Trust model"). */
  const siteUrl = (key: string, placeholders: readonly string[]): string => {
    const url = urlPattern(r.field(obj, key, ''), key, placeholders);
    if (new URL(fillPlaceholders(url)).origin !== siteOrigin) r.fail(key, `must be on the official site ${siteOrigin}`);
    return url;
  };
  const optionalSiteUrl = (key: string, placeholders: readonly string[] = []): string | undefined =>
    r.optionalField(obj, key) === undefined ? undefined : siteUrl(key, placeholders);

  const profile: Profile = {
    id: r.matching(r.field(obj, 'id', ''), 'id', ID_RE, 'lowercase letters, digits and "-"'),
    product: r.string(r.field(obj, 'product', ''), 'product', { max: 128 }),
    officialSite,
    channel: r.matching(r.field(obj, 'channel', ''), 'channel', TOKEN_RE, 'a simple token'),
    architecture: r.matching(r.field(obj, 'architecture', ''), 'architecture', TOKEN_RE, 'a simple token'),
    descriptionUrl: siteUrl('descriptionUrl', []),
    pinnedFingerprints: readFingerprints(r.field(obj, 'pinnedFingerprints', '')),
    signingKey: readSigningKey(obj, resolveFile),
    imagePattern: readImagePattern(r.field(obj, 'imagePattern', '')),
    maxDescriptionAgeDays: readNonNegative(r.field(obj, 'maxDescriptionAgeDays', ''), 'maxDescriptionAgeDays'),
    // Optional: a profile without rebuilders (most derivatives, at first) asks none, needs 1.
    rebuilders:
      r.optionalField(obj, 'rebuilders') === undefined
        ? []
        : r
            .array(r.field(obj, 'rebuilders', ''), 'rebuilders', { max: 32 })
            .map((item, i) => readRebuilder(item, join('rebuilders', i))),
    reproThreshold:
      r.optionalField(obj, 'reproThreshold') === undefined
        ? 1
        : r.integer(r.field(obj, 'reproThreshold', ''), 'reproThreshold', 1, 1000),
  };
  const optional = {
    descriptionSignatureUrl: optionalSiteUrl('descriptionSignatureUrl'),
    imageSignatureUrl: optionalSiteUrl('imageSignatureUrl', ['file', 'version']),
    upgradeDescriptionUrl: optionalSiteUrl('upgradeDescriptionUrl', ['version']),
    mirrorPoolUrl: optionalSiteUrl('mirrorPoolUrl'),
    keyUrl: optionalSiteUrl('keyUrl'),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (profile as unknown as Record<string, unknown>)[key] = value;
  }
  const treePath = r.optionalField(obj, 'mirrorTreePath');
  if (treePath !== undefined) profile.mirrorTreePath = readTreePath(treePath);
  return profile;
}

/** `/tails/`: an absolute URL path of plain segments, ending in "/" (see docs/profile-schema.md). */
function readTreePath(value: unknown): string {
  const s = r.string(value, 'mirrorTreePath', { max: 256 });
  const segments = s.split('/').slice(1, -1);
  if (
    !s.startsWith('/') ||
    !s.endsWith('/') ||
    segments.length === 0 ||
    segments.some((x) => !/^[A-Za-z0-9._~+-]+$/.test(x) || x === '.' || x === '..')
  ) {
    r.fail('mirrorTreePath', 'must be a URL path like "/tails/": starts and ends with "/", plain segments');
  }
  return s;
}

function secureUrl(value: unknown, path: string): string {
  const s = r.string(value, path, { max: 2048 });
  if (!isAllowedUrl(s, true)) r.fail(path, 'must be an https:// URL (http only to 127.0.0.1, localhost or [::1])');
  return s;
}

function fillPlaceholders(pattern: string): string {
  return pattern.replace(/\{[a-z]+\}/g, 'x');
}

/** A secure URL whose `{name}` placeholders are all allowed and all after the origin. */
function urlPattern(value: unknown, path: string, placeholders: readonly string[]): string {
  const s = r.string(value, path, { max: 2048 });
  for (const m of s.matchAll(/\{([^}]*)\}/g)) {
    if (!placeholders.includes(m[1] ?? '')) r.fail(path, `unknown placeholder ${m[0]}`);
  }
  if (/[{}]/.test(s.replace(/\{[a-z]+\}/g, ''))) r.fail(path, 'unbalanced "{" or "}"');
  const filled = fillPlaceholders(s);
  secureUrl(filled, path);
  // The origin must be fixed: a placeholder may only vary the path or query.
  if (s.includes('{')) {
    const origin = new URL(filled).origin;
    if (!s.startsWith(`${origin}/`) || s.slice(0, origin.length + 1).includes('{')) {
      r.fail(path, 'placeholders are only allowed after the host');
    }
  }
  return s;
}

function readFingerprints(value: unknown): string[] {
  const list = r.array(value, 'pinnedFingerprints', { min: 1, max: 16 });
  // Spaces as GnuPG prints fingerprints ("A490 D0F4 …") are accepted, as on the command line.
  const out = list.map((item, i) =>
    r
      .matching(
        typeof item === 'string' ? item.replace(/\s+/g, '') : item,
        join('pinnedFingerprints', i),
        FINGERPRINT_RE,
        '40 hex characters (a v4 primary-key fingerprint)',
      )
      .toUpperCase(),
  );
  return [...new Set(out)];
}

function readSigningKey(obj: Record<string, unknown>, resolveFile?: (relPath: string) => string): string {
  const inline = r.optionalField(obj, 'signingKey');
  const file = r.optionalField(obj, 'signingKeyFile');
  if (inline !== undefined && file !== undefined)
    r.fail('signingKey', 'give either signingKey or signingKeyFile, not both');
  let text: string;
  let path = 'signingKey';
  if (inline !== undefined) {
    text = r.string(inline, path, { max: LIMITS.key });
  } else if (file !== undefined) {
    path = 'signingKeyFile';
    const rel = r.string(file, path, { max: 1024 });
    if (rel.startsWith('/') || rel.split(/[\\/]/).includes('..'))
      r.fail(path, 'must be a relative path inside the profile directory');
    if (!resolveFile) r.fail(path, 'cannot read key files here; give signingKey inline');
    let loaded: unknown;
    try {
      loaded = resolveFile(rel);
    } catch (e) {
      r.fail(path, `cannot read ${rel}: ${e instanceof Error ? e.message : String(e)}`);
    }
    text = r.string(loaded, path, { max: LIMITS.key });
  } else {
    r.fail('signingKey', 'missing (give signingKey or signingKeyFile)');
  }
  if (!text.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----') || !text.includes('-----END PGP PUBLIC KEY BLOCK-----')) {
    r.fail(path, 'expected an ASCII-armored OpenPGP public key');
  }
  return text;
}

/** Compile `source` as a file-name pattern, or throw `profile-invalid`. Used by verification too. */
export function compileImagePattern(source: string): RegExp {
  try {
    return new RegExp(source, 'u');
  } catch (e) {
    throw new IsoVerifyError(
      'profile-invalid',
      `imagePattern: does not compile: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

function readImagePattern(value: unknown): string {
  const source = r.string(value, 'imagePattern', { max: 512 });
  if (!source.startsWith('^') || !source.endsWith('$')) r.fail('imagePattern', 'must be anchored with ^ and $');
  compileImagePattern(source);
  // An extra empty alternative always matches, which lists every named group in `groups`.
  const groups = compileImagePattern(`(?:${source})|`).exec('')?.groups ?? {};
  for (const name of ['version', 'type']) {
    if (!Object.hasOwn(groups, name)) r.fail('imagePattern', `needs a named group (?<${name}>…)`);
  }
  return source;
}

function readNonNegative(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) r.fail(path, 'expected a number ≥ 0');
  return value;
}

function readRebuilder(value: unknown, path: string): RebuilderConfig {
  const obj = r.object(value, path);
  const kind = r.optionalField(obj, 'kind');
  if (kind !== undefined && kind !== 'rebuilderd' && kind !== 'static')
    r.fail(join(path, 'kind'), 'must be "rebuilderd" or "static"');
  const allowed = kind === 'static' ? STATIC_REPRODUCER_FIELDS : REBUILDER_FIELDS;
  for (const key of Object.keys(obj)) if (!allowed.has(key)) r.fail(join(path, key), 'unknown field');
  const pem = r.string(r.field(obj, 'publicKeyPem', path), join(path, 'publicKeyPem'), { max: 16 << 10 });
  if (!/-----BEGIN PUBLIC KEY-----[A-Za-z0-9+/=\s]+-----END PUBLIC KEY-----/.test(pem)) {
    r.fail(join(path, 'publicKeyPem'), 'expected a PEM "PUBLIC KEY" block');
  }
  const common = {
    name: r.string(r.field(obj, 'name', path), join(path, 'name'), { max: 128 }),
    baseUrl: secureUrl(r.field(obj, 'baseUrl', path), join(path, 'baseUrl')),
    publicKeyPem: pem,
  };
  if (kind === 'static') return { kind: 'static', ...common };
  return {
    ...(kind === 'rebuilderd' ? { kind: 'rebuilderd' as const } : {}),
    ...common,
    distribution: r.matching(
      r.field(obj, 'distribution', path),
      join(path, 'distribution'),
      TOKEN_RE,
      'a simple token',
    ),
    architecture: r.matching(
      r.field(obj, 'architecture', path),
      join(path, 'architecture'),
      TOKEN_RE,
      'a simple token',
    ),
  };
}
