/**
 * `--profile tails|demo|<file.json>`: a built-in profile by id, or a profile file whose
 * `signingKeyFile` is read relative to the file. Either way parseProfile validates it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { IsoVerifyError } from '../core/errors.js';
import { LIMITS } from '../core/net/types.js';
import type { Profile } from '../core/profile.js';
import { parseProfile } from '../core/profile-schema.js';
import { BUILTIN_PROFILES, getProfile, isBuiltinProfileId } from '../core/profiles/builtin.js';
import { usageError } from './args.js';
import { readLocalText, resolvePath } from './local-files.js';
import { didYouMean } from './suggest.js';

/** Key file named by a profile file: synchronous because parseProfile's resolver is. */
function readKeyFileSync(profileDir: string, relPath: string): string {
  const file = path.resolve(profileDir, relPath);
  try {
    const size = statSync(file).size;
    if (size > LIMITS.key)
      throw new IsoVerifyError('input-too-large', `${file}: ${size} bytes, at most ${LIMITS.key} allowed`);
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof IsoVerifyError) throw error;
    throw new IsoVerifyError(
      'profile-invalid',
      `signingKeyFile ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export async function loadProfileOption(value: string | undefined, cwd: string): Promise<Profile> {
  if (value === undefined || isBuiltinProfileId(value)) return getProfile(value);
  const file = resolvePath(cwd, value);
  // A bare word that is no file is a mistyped profile name, not a missing file.
  if (!/[\\/]|\.json$/i.test(value) && !existsSync(file)) {
    const builtin = Object.keys(BUILTIN_PROFILES);
    throw usageError(
      `unknown profile '${value}'${didYouMean(value, builtin)}; built-in profiles: ${builtin.join(', ')}, or give the path of a profile JSON file`,
    );
  }
  const text = await readLocalText(file, LIMITS.profile);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new IsoVerifyError(
      'profile-invalid',
      `${file}: not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return parseProfile(json, (relPath) => readKeyFileSync(path.dirname(file), relPath));
}
