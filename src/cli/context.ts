/**
 * Everything a command touches in the outside world, injected so tests can run commands
 * in-process: output streams, environment, working directory, clock, fetch and cancellation.
 */
export interface OutputStream {
  write(text: string): unknown;
  /** True when the stream is a terminal (progress bars are drawn only then). */
  isTTY?: boolean;
  /** Terminal width, when known. */
  columns?: number;
}

export interface CliContext {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths on the command line are resolved against this directory. */
  cwd: string;
  now: () => Date;
  /** The network fetch used for URLs (globalThis.fetch in production). */
  fetch: typeof globalThis.fetch;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal | undefined;
}

/** The context of the real process. */
export function processContext(signal?: AbortSignal): CliContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    fetch: globalThis.fetch.bind(globalThis),
    signal,
  };
}
