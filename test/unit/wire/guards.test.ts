import { describe, expect, it } from 'vitest';
import {
  hasExactly,
  isCount,
  isFile,
  isObject,
  isPlainObject,
  isString,
  isWholeCount,
} from '../../../src/wire/guards.js';

describe("the one set of guards (src/core/guards.ts, with the wire's isFile)", () => {
  it('an object is a non-null, non-array object; a plain one has no class', () => {
    for (const v of [null, undefined, [], 'x', 1, true]) expect(isObject(v), String(v)).toBe(false);
    expect(isObject({})).toBe(true);
    expect(isObject(new Date(0))).toBe(true);
    expect(isPlainObject({ a: 1 })).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(new Date(0))).toBe(false);
    expect(isPlainObject([])).toBe(false);
  });

  it('counts are finite and not negative; whole counts are safe integers', () => {
    expect([0, 1.5, 1e9].every(isCount)).toBe(true);
    expect([-1, Number.NaN, Infinity, '1'].some(isCount)).toBe(false);
    expect([0, 7, Number.MAX_SAFE_INTEGER].every(isWholeCount)).toBe(true);
    expect([1.5, -1, 2 ** 53, '1'].some(isWholeCount)).toBe(false);
    expect(isString('')).toBe(true);
    expect(isString(1)).toBe(false);
  });

  it('hasExactly wants these keys, no more and no fewer', () => {
    expect(hasExactly({ a: 1, b: 2 }, ['b', 'a'])).toBe(true);
    expect(hasExactly({ a: 1 }, ['a', 'b'])).toBe(false);
    expect(hasExactly({ a: 1, b: 2, c: 3 }, ['a', 'b'])).toBe(false);
  });

  it('a File is a File, not a Blob or a look-alike record', () => {
    expect(isFile(new File(['x'], 'tails.img'))).toBe(true);
    expect(isFile(new Blob(['x']))).toBe(false);
    expect(isFile({ name: 'tails.img', size: 1 })).toBe(false);
    expect(isFile('tails.img')).toBe(false);
  });
});
