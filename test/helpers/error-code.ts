/**
 * The typed error code (src/core/errors.ts) a call fails with, for tests: one helper instead of a
 * private copy per test file. `codeOf(() => parse(x))` for a synchronous call, `await
 * codeOf(promise)` for a rejection. The answer is the code; 'untyped' when something other than
 * an IsoVerifyError was thrown (a test expecting a code then fails and says so); undefined when
 * nothing was thrown.
 */
import { isIsoVerifyError, type ErrorCode } from '../../src/core/errors.js';

export type CodeOf = ErrorCode | 'untyped' | undefined;

function code(error: unknown): CodeOf {
  return isIsoVerifyError(error) ? error.code : 'untyped';
}

export function codeOf(run: () => unknown): CodeOf;
export function codeOf(promise: Promise<unknown>): Promise<CodeOf>;
export function codeOf(what: (() => unknown) | Promise<unknown>): CodeOf | Promise<CodeOf> {
  if (typeof what !== 'function') {
    return what.then(
      () => undefined,
      (error: unknown) => code(error),
    );
  }
  try {
    what();
  } catch (error) {
    return code(error);
  }
  return undefined;
}
