/**
 * Where the CLI remembers what it has seen (rollback protection): one JSON object in a file,
 * $XDG_STATE_HOME/iso-verify/state.json by default. Writes are atomic (temporary file in the
 * same directory, then rename), so a crash never leaves half a file. A state file that exists
 * but cannot be parsed is an error, not an empty state: silently forgetting it would switch
 * rollback protection off.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
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
    // A missing file (or a parent that is a file, so none can exist) is a first run; any other
    // read failure must not pass for "nothing seen".
    if (
      error instanceof IsoVerifyError &&
      error.code === 'io-failed' &&
      /: (no such file|a parent is not a directory)$/.test(error.detail ?? '')
    )
      return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new IsoVerifyError('input-malformed', `state file ${file} is not valid JSON; fix or delete it`);
  }
}

/**
 * `mkdir -p` in at most one step per path component. Not mkdir({ recursive: true }): Node's
 * version retries forever when mkdir answers ENOENT although the parent exists (as /proc and
 * some FUSE or network file systems do), which spun at 100% CPU for `--state /proc/…`.
 */
export async function makeDirectories(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    try {
      await stat(current);
      break; // exists; if it is not a directory, the mkdir or write below says so
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(current);
      if (path.dirname(current) === current) break;
    }
  }
  for (const each of missing.reverse()) {
    try {
      await mkdir(each, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

async function saveState(file: string, value: unknown): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await makeDirectories(dir);
    await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new IsoVerifyError(
      'io-failed',
      `cannot write state file ${file}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * Where the refreshed signing keys are kept: `signing-keys.json` next to the state file. A
 * public key, kept so that a check without a connection still knows the key's extensions and
 * new subkeys (src/core/freshness.ts StoredSigningKey).
 */
export function signingKeysPath(stateFile: string): string {
  return path.join(path.dirname(stateFile), 'signing-keys.json');
}

/** The TrustStore (raw read/write of one JSON value) behind KeyValueTrustState, in a file. */
export function createFileTrustStore(file: string): TrustStore {
  return { read: () => loadState(file), write: (value) => saveState(file, value) };
}

/** Rollback-protection state in a file; `saveError` is set when recording failed. */
export interface FileTrustState extends KeyValueTrustState {
  readonly saveError: IsoVerifyError | undefined;
}

/**
 * Rollback-protection state kept in `file`. A failed WRITE does not undo a finished check: the
 * verdict was decided with what the file held, so it stands; the failure is kept in
 * `saveError` for the command to report separately (reportStateNotSaved). A failed READ still
 * fails the check (the record it might hold is unknown).
 */
export function createFileTrustState(file: string): FileTrustState {
  const store = createFileTrustStore(file);
  const keys = createFileTrustStore(signingKeysPath(file));
  let saveError: IsoVerifyError | undefined;
  const tolerant = (inner: TrustStore): TrustStore => ({
    read: inner.read,
    write: async (value) => {
      try {
        await inner.write(value);
      } catch (error) {
        saveError = error instanceof IsoVerifyError ? error : new IsoVerifyError('io-failed', String(error));
      }
    },
  });
  const state = new KeyValueTrustState(tolerant(store), tolerant(keys));
  return Object.defineProperty(state, 'saveError', { get: () => saveError, enumerable: true }) as FileTrustState;
}

/**
 * The separate note after a verdict when the state could not be recorded: what failed and what
 * it means (the next check cannot refuse a replayed older release that this one would).
 */
export function stateNotSavedNote(state: FileTrustState): string | undefined {
  const error = state.saveError;
  if (!error) return undefined;
  return (
    `rollback state could not be saved (${error.detail ?? error.message}). The result above stands, but ` +
    'the newest release seen was not recorded, so a later check cannot refuse an older release replayed to it. ' +
    'Make the state file writable or choose another with --state <file>.'
  );
}
