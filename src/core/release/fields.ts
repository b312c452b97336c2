/**
 * Strict readers for untrusted JSON-like data. Every failure is an IsoVerifyError with the
 * parser's own code and a detail that starts with the field path (`installations[0].version`),
 * so a user or maintainer can see exactly what was wrong. Unknown extra fields are ignored by
 * design (formats grow); missing or mistyped known fields are errors.
 */
import { IsoVerifyError, type ErrorCode } from '../errors.js';

export type Path = string;

export class FieldReader {
  constructor(readonly code: ErrorCode) {}

  fail(path: Path, problem: string): never {
    throw new IsoVerifyError(this.code, path ? `${path}: ${problem}` : problem);
  }

  /** A plain object (not an array, not null). */
  object(value: unknown, path: Path): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, `expected an object, got ${describe(value)}`);
    }
    return value as Record<string, unknown>;
  }

  /** An own property (never an inherited one such as `__proto__` or `constructor`). */
  field(obj: Record<string, unknown>, key: string, path: Path): unknown {
    if (!Object.hasOwn(obj, key)) this.fail(join(path, key), 'missing');
    return obj[key];
  }

  optionalField(obj: Record<string, unknown>, key: string): unknown {
    return Object.hasOwn(obj, key) ? obj[key] : undefined;
  }

  array(value: unknown, path: Path, { min = 0, max = 10_000 } = {}): unknown[] {
    if (!Array.isArray(value)) this.fail(path, `expected an array, got ${describe(value)}`);
    if (value.length < min) this.fail(path, `expected at least ${min} item(s), got ${value.length}`);
    if (value.length > max) this.fail(path, `expected at most ${max} items, got ${value.length}`);
    return value;
  }

  string(value: unknown, path: Path, { min = 1, max = 4096 } = {}): string {
    if (typeof value !== 'string') this.fail(path, `expected a string, got ${describe(value)}`);
    if (value.length < min) this.fail(path, min === 1 ? 'must not be empty' : `shorter than ${min} characters`);
    if (value.length > max) this.fail(path, `longer than ${max} characters`);
    return value;
  }

  /** A string matching `re`; `what` names the expected shape for the message. */
  matching(value: unknown, path: Path, re: RegExp, what: string): string {
    const s = this.string(value, path);
    if (!re.test(s)) this.fail(path, `expected ${what}, got ${JSON.stringify(s.slice(0, 80))}`);
    return s;
  }

  /** A safe integer within [min, max]. Rejects floats, NaN, strings and numbers beyond 2^53. */
  integer(value: unknown, path: Path, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      this.fail(path, `expected an integer, got ${describe(value)}`);
    }
    if (value < min || value > max) this.fail(path, `expected an integer from ${min} to ${max}, got ${value}`);
    return value;
  }

  /** An absolute http: or https: URL without credentials. Returns the string as given. */
  httpUrl(value: unknown, path: Path): string {
    const s = this.string(value, path, { max: 2048 });
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      this.fail(path, `not an absolute URL: ${JSON.stringify(s.slice(0, 80))}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') this.fail(path, `not an http(s) URL: ${url.protocol}`);
    if (url.username || url.password) this.fail(path, 'URL must not contain credentials');
    return s;
  }

  oneOf<T extends string>(value: unknown, path: Path, allowed: readonly T[]): T {
    const s = this.string(value, path);
    if (!(allowed as readonly string[]).includes(s)) {
      this.fail(path, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(s.slice(0, 40))}`);
    }
    return s as T;
  }
}

export function join(path: Path, key: string | number): Path {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : String(value);
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return typeof value;
}

/** 64 lowercase hex characters, as Tails publishes them. */
export const SHA256_HEX_RE = /^[0-9a-f]{64}$/;

/**
 * Decode untrusted bytes (or a string) as UTF-8 text, capped at `maxBytes`.
 * Invalid UTF-8 is an error rather than replacement characters: signed data must mean one thing.
 */
export function decodeCapped(input: Uint8Array | string, maxBytes: number, code: ErrorCode, what: string): string {
  if (typeof input === 'string') {
    // A UTF-16 code unit is at most 3 UTF-8 bytes; only measure exactly when it could matter.
    if (input.length > maxBytes || (input.length * 3 > maxBytes && new TextEncoder().encode(input).length > maxBytes)) {
      throw new IsoVerifyError('input-too-large', `${what} is larger than ${maxBytes} bytes`);
    }
    return input;
  }
  if (!(input instanceof Uint8Array)) throw new IsoVerifyError(code, `${what}: expected bytes or text`);
  if (input.length > maxBytes) {
    throw new IsoVerifyError('input-too-large', `${what} is ${input.length} bytes, more than ${maxBytes}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw new IsoVerifyError(code, `${what} is not valid UTF-8`);
  }
}

/** JSON.parse with a typed error. */
export function parseJsonText(text: string, code: ErrorCode, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new IsoVerifyError(
      code,
      `${what} is not valid JSON: ${e instanceof Error ? e.message.slice(0, 120) : 'parse error'}`,
    );
  }
}

/** The last path segment of a URL, percent-decoded; undefined if it cannot be decoded. */
export function urlBasename(url: string): string | undefined {
  try {
    const path = new URL(url).pathname;
    const last = path.slice(path.lastIndexOf('/') + 1);
    return decodeURIComponent(last);
  } catch {
    return undefined;
  }
}
