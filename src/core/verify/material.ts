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

  const [description, descriptionSignature, imageSignature, keyRefresh, ...extraKeys] = await Promise.all([
    get('description', profile.descriptionUrl, LIMITS.description, overrides.description),
    descriptionSignatureSource === undefined
      ? undefined
      : get('description-signature', descriptionSignatureSource, LIMITS.signature, overrides.descriptionSignature),
    imageSignatureSource === undefined ? undefined : get('image-signature', imageSignatureSource, LIMITS.signature, overrides.imageSignature),
    profile.keyUrl === undefined ? undefined : get('signing-key', profile.keyUrl, LIMITS.key, undefined),
    ...(overrides.keys ?? []).map((key) =>
      key.trimStart().startsWith(ARMOR_START) ? Promise.resolve(inlineKey(key)) : get('signing-key', key, LIMITS.key, key),
    ),
  ]);
  if (signal?.aborted) throw new IsoVerifyError('aborted', 'fetching release data');

  const material: ReleaseMaterial = { fileName, description: description!, extraKeys: extraKeys.filter((k) => k !== undefined) };
  if (descriptionSignature) material.descriptionSignature = descriptionSignature;
  if (imageSignature) material.imageSignature = imageSignature;
  if (keyRefresh) material.keyRefresh = keyRefresh;
  if (overrides.fingerprints) material.fingerprints = [...overrides.fingerprints];
  return material;
}

/** The image signature URL for a file name, or undefined (no pattern, or a name we do not know). */
export function imageSignatureUrl(profile: Profile, fileName: string): string | undefined {
  if (profile.imageSignatureUrl === undefined) return undefined;
  const parsed = parseImageFileName(profile, fileName);
  if (!parsed) return undefined;
  return expandUrlPattern(profile.imageSignatureUrl, { file: fileName, version: parsed.version });
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
    const got = await fetcher(source, signal ? { maxBytes, timeoutMs: LIMITS.fetchTimeoutMs, signal } : { maxBytes, timeoutMs: LIMITS.fetchTimeoutMs });
    if (!(got?.bytes instanceof Uint8Array)) throw new IsoVerifyError('fetch-failed', `${source}: the fetcher returned no bytes`);
    if (!acceptFinal(got.source || source)) {
      throw new IsoVerifyError('fetch-insecure-url', `${source} was redirected off the official site, to ${got.source}`);
    }
    // A fetcher that ignores maxBytes must not get around the cap.
    if (got.bytes.length > maxBytes) throw new IsoVerifyError('fetch-too-large', `${source}: ${got.bytes.length} bytes, more than ${maxBytes}`);
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
