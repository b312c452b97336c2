/** Run the CLI in-process with captured output, or run the built bundle as a child process. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliContext } from '../../../src/cli/context.js';
import { runCli } from '../../../src/cli/run.js';
import { TAILS_2021_FIXTURES } from '../../helpers/shared-fixtures.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const TAILS_2021 = TAILS_2021_FIXTURES;

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  stderrIsTTY?: boolean;
  now?: Date;
  fetch?: typeof globalThis.fetch;
}

/** Network access is never expected in unit tests: a fetch that fails loudly. */
const noNetwork: typeof globalThis.fetch = async (input) => {
  throw new Error(`unexpected network access in a test: ${String(input)}`);
};

export async function runInProcess(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const context: CliContext = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t), isTTY: options.stderrIsTTY ?? false, columns: 100 },
    env: options.env ?? { HOME: '/nonexistent-home', XDG_STATE_HOME: undefined },
    cwd: options.cwd ?? process.cwd(),
    now: () => options.now ?? new Date(),
    fetch: options.fetch ?? noNetwork,
  };
  const status = await runCli(argv, context);
  return { status, stdout, stderr };
}

export function tempDir(prefix = 'iso-verify-cli-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function runBinary(
  binary: string,
  argv: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): RunResult {
  const r = spawnSync(binary, argv, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The stderr output is exactly one line starting with "iso-verify: ". */
export function oneErrorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '');
  if (lines.length !== 1 || !lines[0]!.startsWith('iso-verify: ')) {
    throw new Error(`expected one "iso-verify: …" line on stderr, got:\n${stderr}`);
  }
  return lines[0]!;
}
