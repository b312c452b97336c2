/**
 * Human messages for error codes. They come from the extension's English locale file, so the
 * CLI and the extension say the same thing for the same failure (one source for messages).
 */
import messages from '../../public/_locales/en/messages.json';
import { messageKey, toIsoVerifyError, type ErrorCode, type ErrorInfo } from '../core/errors.js';
import type { VerdictWarning } from '../core/verdict.js';

const table = messages as Record<string, { message?: unknown } | undefined>;

/** The locale message for a code, without its final full stop (details are appended after it). */
export function messageFor(code: ErrorCode): string {
  const entry = Object.hasOwn(table, messageKey(code)) ? table[messageKey(code)] : undefined;
  const text = typeof entry?.message === 'string' ? entry.message : code;
  return text.replace(/\.$/, '');
}

/** "<message> (<detail>)": what went wrong, then the specific fact. */
export function describeError(error: ErrorInfo): string {
  const message = messageFor(error.code);
  return error.detail ? `${message} (${error.detail})` : message;
}

export function describeThrown(error: unknown): string {
  const e = toIsoVerifyError(error);
  return describeError({ code: e.code, detail: e.detail });
}

/** The locale message for a verdict warning (warn_<code>). */
export function describeWarning(warning: VerdictWarning): string {
  const key = `warn_${warning.code.replace(/-/g, '_')}`;
  const entry = Object.hasOwn(table, key) ? table[key] : undefined;
  const text = typeof entry?.message === 'string' ? entry.message : warning.code;
  return warning.detail ? `${text.replace(/\.$/, '')} (${warning.detail})` : text;
}
