/**
 * Command-line parsing on node:util parseArgs in strict mode: an unknown option, a missing
 * option value or a wrong number of operands is a `usage` error (exit status 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { IsoVerifyError } from '../core/errors.js';
import { didYouMean } from './suggest.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export function usageError(detail: string): IsoVerifyError {
  return new IsoVerifyError('usage', detail);
}

/**
 * Parse `args` against `options`; `operands` is the allowed count of positional arguments
 * (names, for the message). `--help`/`-h` is always accepted and reported in `help`.
 */
export function parseCommandArgs<O extends OptionSpec>(
  command: string,
  args: readonly string[],
  options: O,
  operands: { names: string[]; min: number; max: number },
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[]; help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    // parseArgs messages are clear but long; keep the first sentence, on one line.
    const text = error instanceof Error ? error.message : String(error);
    const unknown =
      (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? /'(-[^']*)'/.exec(text)?.[1]
        : undefined;
    const hint = unknown === undefined ? '' : didYouMean(unknown.replace(/=.*$/, ''), optionNames(options));
    throw usageError(`${command}: ${text.split('\n')[0]!.replace(/\. To specify.*$/, '')}${hint}`);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const help = values.help === true;
  if (!help) {
    const count = parsed.positionals.length;
    if (count < operands.min) {
      throw usageError(
        `${command}: missing ${operands.names
          .slice(count, operands.min)
          .map((n) => `<${n}>`)
          .join(' ')}`,
      );
    }
    if (count > operands.max) {
      throw usageError(`${command}: unexpected argument '${parsed.positionals[operands.max]!}'`);
    }
  }
  return { values, positionals: parsed.positionals, help };
}

/** `--name` for every long option, `-h` style for short ones (for "did you mean"). */
function optionNames(options: OptionSpec): string[] {
  const names = Object.keys(options).map((name) => `--${name}`);
  names.push('--help');
  return names;
}

/** A string option's value, or undefined. */
export function stringOption(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A repeatable string option's values (empty when absent). */
export function listOption(values: Record<string, unknown>, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** One of `choices`, or a usage error naming the allowed values. */
export function choiceOption<T extends string>(
  command: string,
  values: Record<string, unknown>,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const v = stringOption(values, name);
  if (v === undefined) return fallback;
  if ((choices as readonly string[]).includes(v)) return v as T;
  throw usageError(`${command}: --${name} must be one of ${choices.join(', ')} (got '${v}')`);
}

/** OpenPGP fingerprint as pinned in profiles: 40 (v4) or 64 (v6) uppercase hex, spaces removed. */
export function normaliseFingerprint(command: string, value: string): string {
  const fpr = value.replace(/\s+/g, '').replace(/^0x/i, '').toUpperCase();
  if (!/^(?:[0-9A-F]{40}|[0-9A-F]{64})$/.test(fpr)) {
    throw usageError(
      `${command}: --fingerprint needs a full primary-key fingerprint (40 or 64 hex digits), got '${value}'`,
    );
  }
  return fpr;
}
