/**
 * The wire formats' guards: the core's one set (src/core/guards.ts) and the check of a File
 * that crossed a message channel.
 */
export { hasExactly, isCount, isObject, isPlainObject, isString, isWholeCount, type Obj } from '../core/guards.js';

/** A File picked by the user (also when it comes from another realm, e.g. through an Xray). */
export function isFile(value: unknown): value is File {
  if (typeof value !== 'object' || value === null) return false;
  if (typeof File !== 'undefined' && value instanceof File) return true;
  return Object.prototype.toString.call(value) === '[object File]';
}
