/**
 * Canonical JSON as securesystemslib (and so in-toto and rebuilderd) defines it: the bytes an
 * in-toto signature covers. Rules, matching `securesystemslib.formats.encode_canonical`:
 * - objects: keys sorted by Unicode code point, `{"k":v,…}` with no whitespace;
 * - arrays: `[a,b]`; `true`, `false`, `null`;
 * - strings: `"` + the string with only `\` and `"` backslash-escaped + `"` (no other
 *   escaping: control characters and non-ASCII are emitted raw, as UTF-8);
 * - numbers: integers only (floats, NaN and ±Infinity are rejected, and so are integers JS
 *   cannot hold exactly, because we could not reproduce the signer's bytes).
 * Anything else (undefined, functions, lone UTF-16 surrogates, cycles) is `input-invalid-value`.
 */
import { IsoVerifyError } from '../errors.js';

/** Nesting deeper than this is not a link; refusing it keeps hostile input off the call stack. */
const MAX_DEPTH = 64;

function fail(detail: string): never {
  throw new IsoVerifyError('input-invalid-value', `canonical JSON: ${detail}`);
}

/** Compare two strings by Unicode code point (JS `<` compares UTF-16 code units, which differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const na = ia.next();
    const nb = ib.next();
    if (na.done) return nb.done ? 0 : -1;
    if (nb.done) return 1;
    const ca = na.value.codePointAt(0)!;
    const cb = nb.value.codePointAt(0)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
  }
}

function encodeString(value: string): string {
  // A lone surrogate has no UTF-8 form; the signer (Python) could not have encoded it either.
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) {
    fail('string contains a lone surrogate');
  }
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function encodeValue(value: unknown, depth: number, parts: string[], seen: Set<object>): void {
  if (value === null) {
    parts.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      parts.push(value ? 'true' : 'false');
      return;
    case 'string':
      parts.push(encodeString(value));
      return;
    case 'number':
      if (!Number.isFinite(value)) fail('non-finite number');
      if (!Number.isInteger(value)) fail(`float ${value} is not allowed`);
      if (!Number.isSafeInteger(value)) fail('integer too large to represent exactly');
      parts.push(String(value)); // -0 prints as "0", as Python's int does
      return;
    case 'object':
      break;
    default:
      fail(`unsupported type ${typeof value}`);
  }
  if (depth >= MAX_DEPTH) fail('nesting too deep');
  const object = value as object;
  if (seen.has(object)) fail('cyclic structure');
  seen.add(object);
  if (Array.isArray(object)) {
    parts.push('[');
    object.forEach((item, i) => {
      if (i > 0) parts.push(',');
      encodeValue(item, depth + 1, parts, seen);
    });
    parts.push(']');
  } else {
    const proto = Object.getPrototypeOf(object) as unknown;
    if (proto !== Object.prototype && proto !== null) fail('only plain objects are allowed');
    const keys = Object.keys(object).sort(compareCodePoints);
    parts.push('{');
    keys.forEach((key, i) => {
      if (i > 0) parts.push(',');
      parts.push(encodeString(key), ':');
      encodeValue((object as Record<string, unknown>)[key], depth + 1, parts, seen);
    });
    parts.push('}');
  }
  seen.delete(object);
}

/** The canonical JSON text of a JSON value. Throws `input-invalid-value` for non-canonicalisable input. */
export function canonicalJsonString(value: unknown): string {
  const parts: string[] = [];
  encodeValue(value, 0, parts, new Set());
  return parts.join('');
}

/** The canonical JSON of a value as UTF-8 bytes: exactly what an in-toto signature signs. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJsonString(value));
}
