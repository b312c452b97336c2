/**
 * Where the CLI remembers what it has seen (rollback protection): one JSON object in a file,
 * $XDG_STATE_HOME/iso-verify/state.json by default. Writes are atomic (temporary file in the
 * same directory, then rename), so a crash never leaves half a file. A state file that exists
 * but cannot be parsed is an error, not an empty state: silently forgetting it would switch
 * rollback protection off.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { IsoVerifyError } from '../core/errors.js';
import { KeyValueTrustState, type TrustStore } from '../core/freshness.js';
import { readLocalText } from './local-files.js';

/** Upper bound for the state file; it holds a few small records per profile. */
const MAX_STATE_BYTES = 4 << 20;

export function defaultStatePath(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env.XDG_STATE_HOME;
  // The XDG spec says relative values are invalid and must be ignored.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), '.local', 'state');
  return path.join(base, 'iso-verify', 'state.json');
}

async function loadState(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readLocalText(file, MAX_STATE_BYTES);
  } catch (error) {
    // A missing file is a first run; any other read failure must not pass for "nothing seen".
    if (error instanceof IsoVerifyError && error.code === 'io-failed' && /: no such file$/.test(error.detail ?? '')) return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new IsoVerifyError('input-malformed', `state file ${file} is not valid JSON; fix or delete it`);
  }
}

async function saveState(file: string, value: unknown): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new IsoVerifyError('io-failed', `cannot write state file ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The TrustStore (raw read/write of one JSON value) behind KeyValueTrustState, in a file. */
export function createFileTrustStore(file: string): TrustStore {
  return { read: () => loadState(file), write: (value) => saveState(file, value) };
}

/** Rollback-protection state kept in `file`. */
export function createFileTrustState(file: string): KeyValueTrustState {
  return new KeyValueTrustState(createFileTrustStore(file));
}
