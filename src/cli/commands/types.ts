import type { CliContext } from '../context.js';

/**
 * One subcommand. A new command is a module in src/cli/commands/<name>.ts exporting a
 * `Command`, plus one line in the table in ./index.ts.
 */
export interface Command {
  name: string;
  /** One line for the command list in `iso-verify --help`. */
  summary: string;
  /** Full help text for `iso-verify <name> --help` (starts with the usage line). */
  help: string;
  /** Runs with the arguments after the command name; resolves to the exit status. */
  run(args: readonly string[], context: CliContext): Promise<number>;
}
