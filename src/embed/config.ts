/**
 * The widget's configuration, read from the element's attributes and validated like any
 * profile (src/core/profile-schema.ts): every URL resolved against the page and required to be
 * on the page's own origin (the site is the widget's trust root), pinned fingerprints as
 * 40 hex characters, an anchored image pattern with `version` and `type` groups.
 *
 * The signing key is fetched from `key-url` when verification starts and only the keys whose
 * primary fingerprint is pinned are used (loadPinnedKeyring); until then the profile carries
 * a placeholder key block that is never parsed.
 */
import { IsoVerifyError } from '../core/errors.js';
import type { Profile } from '../core/profile.js';
import { parseProfile } from '../core/profile-schema.js';

/** The attributes the element reads (docs/embed.md). */
export const WIDGET_ATTRIBUTES = [
  'description-url',
  'signature-url',
  'image-signature-url',
  'key-url',
  'fingerprints',
  'product',
  'image-pattern',
  'channel',
  'architecture',
  'lang',
] as const;

export type WidgetAttribute = (typeof WIDGET_ATTRIBUTES)[number];

export interface WidgetConfig {
  /**
   * A profile of the page's own site. `keyUrl` is where the key comes from; `signingKey` is a
   * placeholder until verification fetches it.
   */
  profile: Profile & { keyUrl: string };
  /** Language requested by the `lang` attribute, if any. */
  lang?: string;
}

export const PLACEHOLDER_KEY =
  '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n(fetched from key-url when verification starts)\n-----END PGP PUBLIC KEY BLOCK-----\n';

const DEFAULTS = { channel: 'stable', architecture: 'amd64' } as const;

/** Resolve a URL attribute against the page; `{file}`/`{version}` placeholders survive. */
function resolveUrl(value: string, baseUrl: string, name: string): string {
  // URL parsing would percent-encode any other brace, hiding a mistyped placeholder.
  if (/[{}]/.test(value.replace(/\{(file|version)\}/g, ''))) {
    throw new IsoVerifyError('profile-invalid', `${name}: only the placeholders {file} and {version} are known`);
  }
  const protectedValue = value.replace(/\{(file|version)\}/g, '__ISOVERIFY_$1__');
  let url: URL;
  try {
    url = new URL(protectedValue, baseUrl);
  } catch {
    throw new IsoVerifyError('profile-invalid', `${name}: not a URL`);
  }
  return url.href.replace(/__ISOVERIFY_(file|version)__/g, '{$1}');
}

/** Fingerprints separated by spaces or commas. Spaces inside one fingerprint are not supported. */
export function splitFingerprints(value: string): string[] {
  return value.split(/[\s,]+/).filter((part) => part.length > 0);
}

/**
 * Read and validate the configuration. `get` returns an attribute's value (null when absent);
 * `pageUrl` is the document's base URL. Throws `profile-invalid` with the attribute name.
 */
export function readWidgetConfig(get: (name: WidgetAttribute) => string | null, pageUrl: string): WidgetConfig {
  const attr = (name: WidgetAttribute): string | undefined => {
    const value = get(name)?.trim();
    return value ? value : undefined;
  };
  const required = (name: WidgetAttribute): string => {
    const value = attr(name);
    if (value === undefined) throw new IsoVerifyError('profile-invalid', `attribute ${name} is missing`);
    return value;
  };
  let origin: string;
  try {
    origin = new URL(pageUrl).origin;
  } catch {
    throw new IsoVerifyError('profile-invalid', 'the page has no usable URL');
  }
  const url = (name: WidgetAttribute) => resolveUrl(required(name), pageUrl, name);
  const optionalUrl = (name: WidgetAttribute) => (attr(name) === undefined ? undefined : url(name));

  const json: Record<string, unknown> = {
    id: 'site',
    product: required('product'),
    officialSite: origin,
    channel: attr('channel') ?? DEFAULTS.channel,
    architecture: attr('architecture') ?? DEFAULTS.architecture,
    descriptionUrl: url('description-url'),
    pinnedFingerprints: splitFingerprints(required('fingerprints')),
    signingKey: PLACEHOLDER_KEY,
    imagePattern: required('image-pattern'),
    maxDescriptionAgeDays: 0,
    rebuilders: [],
    reproThreshold: 1,
  };
  const descriptionSignatureUrl = optionalUrl('signature-url');
  const imageSignatureUrl = optionalUrl('image-signature-url');
  if (descriptionSignatureUrl !== undefined) json.descriptionSignatureUrl = descriptionSignatureUrl;
  if (imageSignatureUrl !== undefined) json.imageSignatureUrl = imageSignatureUrl;
  json.keyUrl = url('key-url');

  let profile: Profile;
  try {
    profile = parseProfile(json);
  } catch (error) {
    if (error instanceof IsoVerifyError)
      throw new IsoVerifyError('profile-invalid', attributeNames(error.detail ?? error.message));
    throw error;
  }
  const config: WidgetConfig = { profile: { ...profile, keyUrl: profile.keyUrl! } };
  const lang = attr('lang');
  if (lang !== undefined) config.lang = lang;
  return config;
}

const FIELD_TO_ATTRIBUTE: Record<string, WidgetAttribute> = {
  descriptionUrl: 'description-url',
  descriptionSignatureUrl: 'signature-url',
  imageSignatureUrl: 'image-signature-url',
  keyUrl: 'key-url',
  pinnedFingerprints: 'fingerprints',
  imagePattern: 'image-pattern',
  officialSite: 'description-url',
};

/** Profile errors name profile fields; say the attribute instead. */
function attributeNames(detail: string): string {
  return detail.replace(
    /\b(descriptionUrl|descriptionSignatureUrl|imageSignatureUrl|keyUrl|pinnedFingerprints|imagePattern)\b/g,
    (field) => FIELD_TO_ATTRIBUTE[field] ?? field,
  );
}
