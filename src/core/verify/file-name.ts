/** What an image file name says about itself, according to the profile's imagePattern. */
import { compileImagePattern } from '../profile-schema.js';
import type { Profile } from '../profile.js';
import type { ImageType } from '../verdict.js';
import { isValidVersion } from '../version.js';

export interface ImageFileName {
  version: string;
  type: ImageType;
  /** The name as published: without a browser's duplicate-name suffix. */
  name: string;
  /** True when the saved name carried such a suffix ("x(1).img", "x (1).img"). */
  renamedCopy: boolean;
}

/**
 * Browsers save a second download of a name that exists as "name(1).ext" (Firefox) or
 * "name (1).ext" (Chromium), wget as "name.ext.1". That is still the published file; anything
 * else is not.
 */
const DUPLICATE_SUFFIX = /^(.+?) ?\((?:[1-9][0-9]{0,3})\)(\.[A-Za-z0-9]{1,8})$/u;
/** wget (and curl -O with --no-clobber tools) save a second copy as "name.ext.1". */
const WGET_SUFFIX = /^(.+\.[A-Za-z0-9]{1,8})\.[1-9][0-9]{0,3}$/u;

const patternCache = new Map<string, RegExp>();

/** The version and type in `fileName`, or undefined when the name is not one of the profile's images. */
export function parseImageFileName(
  profile: Pick<Profile, 'imagePattern'>,
  fileName: string,
): ImageFileName | undefined {
  if (typeof fileName !== 'string' || fileName.length === 0 || fileName.length > 255) return undefined;
  const exact = parseExact(profile, fileName);
  if (exact) return { ...exact, name: fileName, renamedCopy: false };
  const duplicate = DUPLICATE_SUFFIX.exec(fileName);
  const wget = duplicate ? undefined : WGET_SUFFIX.exec(fileName);
  if (!duplicate && !wget) return undefined;
  const published = duplicate ? `${duplicate[1]}${duplicate[2]}` : wget![1]!;
  const parsed = parseExact(profile, published);
  return parsed ? { ...parsed, name: published, renamedCopy: true } : undefined;
}

function parseExact(
  profile: Pick<Profile, 'imagePattern'>,
  fileName: string,
): Pick<ImageFileName, 'version' | 'type'> | undefined {
  let re = patternCache.get(profile.imagePattern);
  if (!re) {
    re = compileImagePattern(profile.imagePattern);
    patternCache.set(profile.imagePattern, re);
  }
  const groups = re.exec(fileName)?.groups;
  const version = groups?.version;
  const type = groups?.type;
  if (!isValidVersion(version) || (type !== 'iso' && type !== 'img')) return undefined;
  return { version, type };
}
