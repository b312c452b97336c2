/** `iso-verify hash`: print digests like sha256sum, with the native or the WASM engine. */
import { IsoVerifyError } from '../../core/errors.js';
import { wasmEngine } from '../../core/hash/index.js';
import type { HashAlgorithm, HashEngine } from '../../core/hash/types.js';
import { choiceOption, parseCommandArgs } from '../args.js';
import { hashFile } from '../hash-file.js';
import { resolvePath } from '../local-files.js';
import { describeThrown } from '../messages.js';
import { nativeEngine } from '../native-engine.js';
import { EXIT_OK, EXIT_UNVERIFIABLE, reportFailure } from '../report.js';
import type { Command } from './types.js';

const ALGORITHMS = ['sha256', 'sha512'] as const satisfies readonly HashAlgorithm[];
const ENGINES = ['native', 'wasm'] as const;

const HELP = `Usage: iso-verify hash <file>... [--algo sha256|sha512] [--engine native|wasm]

Print the digest of each file as "<hex>  <file>", like sha256sum (so the output can be
checked with "sha256sum -c"). Files are streamed in one pass with constant memory.

Options:
  --algo sha256|sha512    hash algorithm (default sha256)
  --engine native|wasm    Node's OpenSSL (default, faster) or hash-wasm (the extension's engine)
  -h, --help              show this help

Exit status: 0 every file hashed; 2 a file could not be read (it is named on stderr, and the
other files are still hashed, as sha256sum does).
`;

export const hashCommand: Command = {
  name: 'hash',
  summary: 'print the SHA-256 or SHA-512 of files, like sha256sum',
  help: HELP,
  async run(args, context) {
    const { values, positionals, help } = parseCommandArgs(
      'hash',
      args,
      { algo: { type: 'string' }, engine: { type: 'string' } },
      { names: ['file'], min: 1, max: Number.POSITIVE_INFINITY },
    );
    if (help) {
      context.stdout.write(HELP);
      return 0;
    }
    const algorithm = choiceOption('hash', values, 'algo', ALGORITHMS, 'sha256');
    const engineName = choiceOption('hash', values, 'engine', ENGINES, 'native');
    const engine: HashEngine = engineName === 'wasm' ? wasmEngine : nativeEngine;
    // Like sha256sum: a file that cannot be read is reported and skipped, the others are still
    // hashed, and the exit status says that one failed. Ctrl-C still ends everything.
    let failed = 0;
    for (const file of positionals) {
      try {
        const result = await hashFile(resolvePath(context.cwd, file), {
          algorithms: [algorithm],
          engine,
          progressTo: context.stderr,
          signal: context.signal,
        });
        context.stdout.write(`${result.digests[algorithm]!}  ${file}\n`);
      } catch (error) {
        if (context.signal?.aborted || (error instanceof IsoVerifyError && error.code === 'aborted')) throw error;
        failed++;
        reportFailure(context, 'error', describeThrown(error));
      }
    }
    return failed === 0 ? EXIT_OK : EXIT_UNVERIFIABLE;
  },
};
