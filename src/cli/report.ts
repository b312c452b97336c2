/**
 * Exit statuses and the one-line failure report on stderr: "iso-verify: <what>: <why>".
 * Human messages for error codes come from the locale file (messages.ts).
 */
import { toIsoVerifyError } from '../core/errors.js';
import type { CliContext } from './context.js';
import { describeThrown } from './messages.js';

export const PROGRAM = 'iso-verify';

/** Verified / good signature. */
export const EXIT_OK = 0;
/** Proven not authentic: mismatch, incomplete, oversized, wrong release, bad signature, rollback. */
export const EXIT_NOT_AUTHENTIC = 1;
/** Could not verify: usage, I/O, network, malformed input, unknown or unpinned key. */
export const EXIT_UNVERIFIABLE = 2;

export function reportFailure(context: CliContext, label: string, why: string): void {
  context.stderr.write(`${PROGRAM}: ${label}: ${why.replace(/[\r\n]+/g, ' ')}\n`);
}

/** Usage details from a command start with its name ("hash: …"); point at that command's help. */
function helpHint(detail: string | undefined): string {
  const name = /^([a-z][a-z0-9-]*): /.exec(detail ?? '')?.[1];
  return name ? `${PROGRAM} ${name} --help` : `${PROGRAM} --help`;
}

/**
 * Report a thrown error as one line and return exit status 2. `label` names the outcome for
 * non-usage errors ("unverifiable" in verifying commands, "error" elsewhere).
 */
export function reportError(context: CliContext, error: unknown, label = 'error'): number {
  const e = toIsoVerifyError(error);
  if (e.code === 'usage')
    reportFailure(context, 'usage', `${e.detail ?? 'invalid usage'} (see '${helpHint(e.detail)}')`);
  else reportFailure(context, label, describeThrown(e));
  return EXIT_UNVERIFIABLE;
}

/**
 * `--json` promises exactly one JSON object on stdout: for a thrown error (missing image,
 * corrupt state file, usage) it is {"verdict": "unverifiable" | "usage", "exitStatus": 2,
 * "error": {code, detail}}, and the usual one line still goes to stderr.
 */
export function reportJsonError(context: CliContext, error: unknown): number {
  const e = toIsoVerifyError(error);
  const report = {
    verdict: e.code === 'usage' ? 'usage' : 'unverifiable',
    exitStatus: EXIT_UNVERIFIABLE,
    error: e.detail === undefined ? { code: e.code } : { code: e.code, detail: e.detail },
  };
  context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return reportError(context, e, 'unverifiable');
}
