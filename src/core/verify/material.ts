/**
 * Step 1 of verification: obtain the release data for one image file name. Separate from the
 * decision so the extension can fetch while the download (and hashing) is still running.
 *
 * Every input ends up as an InputRecord; a failed fetch is recorded (with its typed error) and
 * never thrown — the decision turns missing inputs into the right verdict. Only the caller's
 * abort is thrown.
 */
import { IsoVerifyError, errorInfo } from '../errors.js';
import { LIMITS, type Fetcher } from '../net/types.js';
import { expandUrlPattern, isOnOfficialSite, type Profile } from '../profile.js';
import type { InputRecord } from '../verdict.js';
import { parseImageFileName } from './file-name.js';

/** One input: its record and, when obtained, its bytes. */
export interface FetchedInput {
  record: InputRecord;
  bytes?: Uint8Array;
}

/** Local replacements for release inputs (CLI): paths or URLs, read through the same Fetcher. */
export interface MaterialOverrides {
  description?: string;
  descriptionSignature?: string;
  imageSignature?: string;
  /** A signed upgrade description (upgrades.yml) and its signature, instead of the profile's. */
  upgradeDescription?: string;
  upgradeDescriptionSignature?: string;
  /**
   * Extra key material: each entry is either an ASCII-armored key (starts with "-----BEGIN PGP")
   * or a path/URL to fetch. Keys only count when their primary fingerprint is pinned.
   */
  keys?: string[];
  /** Pin exactly these primary fingerprints INSTEAD of the profile's. */
  fingerprints?: string[];
}

export interface ReleaseMaterial {
  fileName: string;
  description: FetchedInput;
  /** Present when the profile (or an override) declares a description signature. */
  descriptionSignature?: FetchedInput;
  /** Present when the profile publishes image signatures (or an override names one). */
  imageSignature?: FetchedInput;
  /**
   * The image signature of the same release's other image type (ISO for an .img name and
   * back), so a file saved under the other type's name can still be checked.
   */
  siblingImageSignature?: { fileName: string; input: FetchedInput };
  /**
   * Signed upgrade descriptions of earlier releases (Tails' upgrades.yml + .pgp), which name
   * the ISO of the release they upgrade to with its SHA-256 and size: a second signed source.
   */
  upgradeDescriptions: UpgradeDescriptionInput[];
  /** The refreshed signing key from the profile's keyUrl. */
  keyRefresh?: FetchedInput;
  /** Extra key material from overrides (inline material has `record.source` = "inline"). */
  extraKeys: FetchedInput[];
  /** Replacement pins from overrides. */
  fingerprints?: string[];
}

export interface FetchMaterialOptions {
  signal?: AbortSignal | undefined;
  overrides?: MaterialOverrides | undefined;
}

const ARMOR_START = '-----BEGIN PGP';

export interface UpgradeDescriptionInput {
  description: FetchedInput;
  signature: FetchedInput;
}

/** Tails publishes each upgrades.yml's detached signature next to it, as upgrades.yml.pgp. */
export const UPGRADE_SIGNATURE_SUFFIX = '.pgp';

export async function fetchReleaseMaterial(
  profile: Profile,
  fileName: string,
  fetcher: Fetcher,
  options: FetchMaterialOptions = {},
): Promise<ReleaseMaterial> {
  const { signal, overrides = {} } = options;
  // The profile's own URLs must end on its official site; a caller's overrides (CLI paths) are the caller's choice.
  const onSite = (finalSource: string) => isOnOfficialSite(profile, finalSource);
  const anywhere = () => true;
  const get = (role: InputRecord['role'], source: string, maxBytes: number, override: string | undefined) =>
    fetchInput(fetcher, role, override ?? source, maxBytes, signal, override === undefined ? onSite : anywhere);

  const descriptionSignatureSource = overrides.descriptionSignature ?? profile.descriptionSignatureUrl;
  const imageSignatureSource = overrides.imageSignature ?? imageSignatureUrl(profile, fileName);
  const sibling = overrides.imageSignature === undefined ? siblingImageName(profile, fileName) : undefined;
  const siblingSource = sibling === undefined ? undefined : imageSignatureUrl(profile, sibling);
  const upgrades = fetchUpgradeDescriptions(profile, fileName, fetcher, options);
  const siblingSignature =
    siblingSource === undefined
      ? Promise.resolve(undefined)
      : get('image-signature', siblingSource, LIMITS.signature, undefined);
  // Both are awaited below; if the main set rejects first (abort), they must not become unhandled rejections.
  upgrades.catch(() => undefined);
  siblingSignature.catch(() => undefined);

  const [description, descriptionSignature, imageSignature, keyRefresh, ...extraKeys] = await Promise.all([
    get('description', profile.descriptionUrl, LIMITS.description, overrides.description),
    descriptionSignatureSource === undefined
      ? undefined
      : get('description-signature', descriptionSignatureSource, LIMITS.signature, overrides.descriptionSignature),
    imageSignatureSource === undefined
      ? undefined
      : get('image-signature', imageSignatureSource, LIMITS.signature, overrides.imageSignature),
    profile.keyUrl === undefined ? undefined : get('signing-key', profile.keyUrl, LIMITS.key, undefined),
    ...(overrides.keys ?? []).map((key) =>
      key.trimStart().startsWith(ARMOR_START)
        ? Promise.resolve(inlineKey(key))
        : get('signing-key', key, LIMITS.key, key),
    ),
  ]);
  const [upgradeDescriptions, siblingInput] = await Promise.all([upgrades, siblingSignature]);
  if (signal?.aborted) throw new IsoVerifyError('aborted', 'fetching release data');

  const material: ReleaseMaterial = {
    fileName,
    description: description!,
    extraKeys: extraKeys.filter((k) => k !== undefined),
    upgradeDescriptions,
  };
  if (sibling !== undefined && siblingInput)
    material.siblingImageSignature = { fileName: sibling, input: siblingInput };
  if (descriptionSignature) material.descriptionSignature = descriptionSignature;
  if (imageSignature) material.imageSignature = imageSignature;
  if (keyRefresh) material.keyRefresh = keyRefresh;
  if (overrides.fingerprints) material.fingerprints = [...overrides.fingerprints];
  return material;
}

/**
 * The signed upgrade descriptions that may name `fileName` (the override's, else the profile's
 * for the versions just before), each with its signature; failures are recorded, not thrown.
 */
export async function fetchUpgradeDescriptions(
  profile: Profile,
  fileName: string,
  fetcher: Fetcher,
  options: FetchMaterialOptions = {},
): Promise<UpgradeDescriptionInput[]> {
  const { signal, overrides = {} } = options;
  const onSite = (finalSource: string) => isOnOfficialSite(profile, finalSource);
  const anywhere = () => true;
  const upgradeSources: Array<{ description: string; signature: string; override: boolean }> =
    overrides.upgradeDescription !== undefined
      ? [
          {
            description: overrides.upgradeDescription,
            signature:
              overrides.upgradeDescriptionSignature ?? `${overrides.upgradeDescription}${UPGRADE_SIGNATURE_SUFFIX}`,
            override: true,
          },
        ]
      : upgradeDescriptionUrls(profile, fileName).map((url) => ({
          description: url,
          signature: `${url}${UPGRADE_SIGNATURE_SUFFIX}`,
          override: false,
        }));
  return Promise.all(
    upgradeSources.map(async ({ description, signature, override }) => {
      const [d, sig] = await Promise.all([
        fetchInput(
          fetcher,
          'upgrade-description',
          description,
          LIMITS.upgradeDescription,
          signal,
          override ? anywhere : onSite,
        ),
        fetchInput(
          fetcher,
          'upgrade-description-signature',
          signature,
          LIMITS.signature,
          signal,
          override ? anywhere : onSite,
        ),
      ]);
      return { description: d, signature: sig };
    }),
  );
}

/** The image signature URL for a file name, or undefined (no pattern, or a name we do not know). */
export function imageSignatureUrl(profile: Profile, fileName: string): string | undefined {
  if (profile.imageSignatureUrl === undefined) return undefined;
  const parsed = parseImageFileName(profile, fileName);
  if (!parsed) return undefined;
  return expandUrlPattern(profile.imageSignatureUrl, { file: parsed.name, version: parsed.version });
}

/** The published name of the same release's other image type, when the profile knows it. */
export function siblingImageName(profile: Profile, fileName: string): string | undefined {
  const parsed = parseImageFileName(profile, fileName);
  if (!parsed || !parsed.name.endsWith(`.${parsed.type}`)) return undefined;
  const other = `${parsed.name.slice(0, -parsed.type.length)}${parsed.type === 'iso' ? 'img' : 'iso'}`;
  const check = parseImageFileName(profile, other);
  return check && check.version === parsed.version && check.type !== parsed.type ? other : undefined;
}

/**
 * Where earlier releases' upgrade descriptions are: the profile's pattern with the versions
 * that most likely came just before this one (7.6.1 → 7.6; 7.6 → 7.5; 7.9 → 7.8). Tails
 * updates the UDF of every supported release to point at the newest one, so one of them
 * normally names this release's ISO; when none does, the version stays unsigned.
 */
export function upgradeDescriptionUrls(profile: Profile, fileName: string): string[] {
  if (profile.upgradeDescriptionUrl === undefined) return [];
  const parsed = parseImageFileName(profile, fileName);
  if (!parsed) return [];
  return previousVersions(parsed.version).map((version) =>
    expandUrlPattern(profile.upgradeDescriptionUrl!, { version }),
  );
}

export function previousVersions(version: string): string[] {
  const m = /^([0-9]+)\.([0-9]+)(?:\.([0-9]+))?$/.exec(version);
  if (!m) return [];
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = m[3] === undefined ? 0 : Number(m[3]);
  const out: string[] = [];
  if (patch > 1) out.push(`${major}.${minor}.${patch - 1}`);
  if (patch === 1) out.push(`${major}.${minor}`);
  if (minor > 0) out.push(`${major}.${minor - 1}`);
  return out;
}

function inlineKey(text: string): FetchedInput {
  const bytes = new TextEncoder().encode(text);
  return { record: { role: 'signing-key', source: 'inline', bytes: bytes.length }, bytes };
}

async function fetchInput(
  fetcher: Fetcher,
  role: InputRecord['role'],
  source: string,
  maxBytes: number,
  signal: AbortSignal | undefined,
  acceptFinal: (finalSource: string) => boolean,
): Promise<FetchedInput> {
  try {
    const got = await fetcher(
      source,
      signal ? { maxBytes, timeoutMs: LIMITS.fetchTimeoutMs, signal } : { maxBytes, timeoutMs: LIMITS.fetchTimeoutMs },
    );
    if (!(got?.bytes instanceof Uint8Array))
      throw new IsoVerifyError('fetch-failed', `${source}: the fetcher returned no bytes`);
    if (!acceptFinal(got.source || source)) {
      throw new IsoVerifyError(
        'fetch-insecure-url',
        `${source} was redirected off the official site, to ${got.source}`,
      );
    }
    // A fetcher that ignores maxBytes must not get around the cap.
    if (got.bytes.length > maxBytes)
      throw new IsoVerifyError('fetch-too-large', `${source}: ${got.bytes.length} bytes, more than ${maxBytes}`);
    return {
      record: { role, source: got.source || source, fetchedAt: got.fetchedAt, bytes: got.bytes.length },
      bytes: got.bytes,
    };
  } catch (error) {
    const info = errorInfo(error);
    if (info.code === 'aborted' && signal?.aborted) throw new IsoVerifyError('aborted', source);
    return { record: { role, source, error: info } };
  }
}
