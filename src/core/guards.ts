/**
 * The one set of type guards for values that crossed a boundary (a message, a stored record, a
 * parsed JSON document): every parser in the core and in the wire formats (src/wire) uses these
 * instead of its own copy, so "an object" or "a count" means the same everywhere.
 */

/** A string-keyed record as parsed JSON or a cloned message has it: an object, not null, not an array. */
export type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A plain object (its prototype Object.prototype or null), also one from another realm, e.g.
 * through Firefox's Xray: no class instance, no host object posing as a record.
 */
export function isPlainObject(value: unknown): value is Obj {
  if (!isObject(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null || Object.prototype.toString.call(value) === '[object Object]';
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** A finite number ≥ 0 (a byte count, a rate, seconds). */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** A safe integer ≥ 0 (a size in bytes, a time in milliseconds). */
export function isWholeCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The object has exactly these own keys, no more and no fewer. */
export function hasExactly(obj: Obj, fields: readonly string[]): boolean {
  const keys = Object.keys(obj);
  return keys.length === fields.length && keys.every((key) => fields.includes(key));
}
