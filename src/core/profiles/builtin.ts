/**
 * The profiles shipped with the build. Their keys are bundled as text (`?raw`) so the pinned
 * key never depends on the network; parseProfile validates them like any other profile.
 */
import { IsoVerifyError } from '../errors.js';
import type { Profile } from '../profile.js';
import { parseProfile } from '../profile-schema.js';
import tailsJson from '../../../profiles/tails.json';
import demoJson from '../../../profiles/demo.json';
import tailsKey from '../../../profiles/keys/tails-signing.asc?raw';
import demoKey from '../../../profiles/keys/demo-signing.asc?raw';

export type BuiltinProfileId = 'tails' | 'demo';

export const DEFAULT_PROFILE_ID: BuiltinProfileId = 'tails';

function keyFiles(files: Record<string, string>): (relPath: string) => string {
  return (relPath) => {
    if (!Object.hasOwn(files, relPath)) throw new IsoVerifyError('profile-invalid', `key file ${relPath} is not bundled`);
    return files[relPath]!;
  };
}

export const BUILTIN_PROFILES: Readonly<Record<BuiltinProfileId, Profile>> = Object.freeze({
  tails: parseProfile(tailsJson, keyFiles({ 'keys/tails-signing.asc': tailsKey })),
  demo: parseProfile(demoJson, keyFiles({ 'keys/demo-signing.asc': demoKey })),
});

export function isBuiltinProfileId(id: string): id is BuiltinProfileId {
  return Object.hasOwn(BUILTIN_PROFILES, id);
}

/** A built-in profile by id (default: tails). Unknown ids throw `profile-invalid`. */
export function getProfile(id?: string): Profile {
  const key = id ?? DEFAULT_PROFILE_ID;
  if (!isBuiltinProfileId(key)) throw new IsoVerifyError('profile-invalid', `unknown profile "${key}"`);
  return BUILTIN_PROFILES[key];
}
