/**
 * Entry point of the `iso-verify` binary: wire the real process into runCli. Kept thin;
 * dispatch lives in run.ts, each command in commands/ (registered in commands/index.ts).
 */
import { processContext } from './context.js';
import { installInterruptHandler, INTERRUPTED_STATUS } from './interrupt.js';
import { runCli } from './run.js';

const controller = new AbortController();
installInterruptHandler(controller, process);
// `iso-verify … | head` closes stdout early: that is not a failure worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

runCli(process.argv.slice(2), processContext(controller.signal)).then(
  (status) => {
    process.exitCode = controller.signal.aborted ? INTERRUPTED_STATUS : status;
  },
  (error: unknown) => {
    // runCli reports its own errors; this is only a last resort.
    process.stderr.write(`iso-verify: error: ${String(error)}\n`);
    process.exitCode = 2;
  },
);
