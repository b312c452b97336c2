/**
 * Top-level dispatch: global options, then the subcommand from the registration table
 * (commands/index.ts). Every failure that escapes a command becomes ONE line on stderr and
 * exit status 2; commands that reach a verdict choose 0/1/2 themselves.
 */
import pkg from '../../package.json';
import { usageError } from './args.js';
import { COMMANDS, findCommand } from './commands/index.js';
import type { CliContext } from './context.js';
import { EXIT_OK, EXIT_UNVERIFIABLE, PROGRAM, reportError } from './report.js';
import { didYouMean } from './suggest.js';

const COMMAND_NAMES = (): string[] => COMMANDS.map((c) => c.name);

export const VERSION: string = typeof pkg.version === 'string' ? pkg.version : '0.0.0';

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `Usage: ${PROGRAM} <command> [options]

Verify downloaded operating-system images (Tails first) against signed release data.
Every input can be a local path or a URL, so verification also works offline.

Commands:
${list}

Options:
  -h, --help     show help (also: ${PROGRAM} <command> --help)
  -V, --version  show the version

Exit status: 0 verified / good signature; 1 proven not authentic (mismatch, incomplete,
oversized, wrong release, bad signature, rollback); 2 could not verify (usage, I/O, network,
malformed input, unknown or unpinned key).
`;
}

export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      context.stderr.write(mainHelp());
      return EXIT_UNVERIFIABLE;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      const command = topic === undefined ? undefined : findCommand(topic);
      if (topic !== undefined && !command)
        return reportError(context, usageError(`unknown command '${topic}'${didYouMean(topic, COMMAND_NAMES())}`));
      context.stdout.write(command ? command.help : mainHelp());
      return EXIT_OK;
    }
    if (first === '--version' || first === '-V') {
      context.stdout.write(`${PROGRAM} ${VERSION}\n`);
      return EXIT_OK;
    }
    if (first.startsWith('-'))
      return reportError(context, usageError(`unknown option '${first}'${didYouMean(first, ['--help', '--version'])}`));
    const command = findCommand(first);
    if (!command)
      return reportError(context, usageError(`unknown command '${first}'${didYouMean(first, COMMAND_NAMES())}`));
    return await command.run(rest, context);
  } catch (error) {
    return reportError(context, error);
  }
}
