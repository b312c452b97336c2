/**
 * Entry point of the `iso-verify` binary: wire the real process into runCli. Kept thin;
 * dispatch lives in run.ts, each command in commands/.
 */
import { processContext } from './context.js';
import { runCli } from './run.js';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted')));

runCli(process.argv.slice(2), processContext(controller.signal)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    // runCli reports its own errors; this is only a last resort.
    process.stderr.write(`iso-verify: error: ${String(error)}\n`);
    process.exitCode = 2;
  },
);
