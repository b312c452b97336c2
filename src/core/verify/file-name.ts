/** What an image file name says about itself, according to the profile's imagePattern. */
import { compileImagePattern } from '../profile-schema.js';
import type { Profile } from '../profile.js';
import type { ImageType } from '../verdict.js';
import { isValidVersion } from '../version.js';

export interface ImageFileName {
  version: string;
  type: ImageType;
}

const patternCache = new Map<string, RegExp>();

/** The version and type in `fileName`, or undefined when the name is not one of the profile's images. */
export function parseImageFileName(profile: Pick<Profile, 'imagePattern'>, fileName: string): ImageFileName | undefined {
  if (typeof fileName !== 'string' || fileName.length === 0 || fileName.length > 255) return undefined;
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
