/**
 * The extension's one logger: every line in the browser console starts with the same prefix, so
 * a person (or a bug report) can filter ours from a page's. Errors are shown as their typed code
 * and detail (errorInfo), never as a stack that could name local paths. The CLI writes to its own
 * streams (src/cli) and does not use this.
 */
import { errorInfo } from '../core/errors.js';

export const LOG_PREFIX = 'ISO Verify:';

/** An Error is shown as its code and detail; anything else (a URL, a reason, an id) as itself. */
function shown(detail: unknown): unknown {
  return detail instanceof Error ? errorInfo(detail) : detail;
}

export const log = {
  info(message: string, ...details: unknown[]): void {
    console.info(`${LOG_PREFIX} ${message}`, ...details.map(shown));
  },
  warn(message: string, ...details: unknown[]): void {
    console.warn(`${LOG_PREFIX} ${message}`, ...details.map(shown));
  },
  error(message: string, ...details: unknown[]): void {
    console.error(`${LOG_PREFIX} ${message}`, ...details.map(shown));
  },
};

/** A rejection reported as a warning, not thrown: for work whose failure must not stop its caller (the user's download goes on). */
export function logWarning(what: string): (error: unknown) => void {
  return (error) => log.warn(what, errorInfo(error));
}

/** A rejection of a listener's or a job's work, reported as an error ("<what> failed"). */
export function logError(what: string): (error: unknown) => void {
  return (error) => log.error(`${what} failed`, errorInfo(error));
}
