/**
 * Where the project's shared fixtures are: `shared/` stands beside the repository checkout
 * (…/main and …/shared), in development and in CI alike. ISO_VERIFY_SHARED overrides it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function sharedDir(): string {
  const fromEnv = process.env.ISO_VERIFY_SHARED;
  if (fromEnv) return path.resolve(fromEnv);
  const beside = path.resolve(REPO_ROOT, '..', 'shared');
  if (existsSync(beside)) return beside;
  throw new Error(`shared fixtures not found at ${beside} (set ISO_VERIFY_SHARED to the shared/ folder)`);
}

export const SHARED_FIXTURES = path.join(sharedDir(), 'fixtures');
export const TAILS_2021_FIXTURES = path.join(SHARED_FIXTURES, 'tails-2021');
export const REBUILDERD_REAL_FIXTURES = path.join(SHARED_FIXTURES, 'rebuilderd-real');
export const TAILS_CURRENT_FIXTURES = path.join(SHARED_FIXTURES, 'tails-current');
