import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { canonicalJsonBytes, canonicalJsonString, compareCodePoints } from '../../../src/core/repro/canonical-json.js';
import { IsoVerifyError } from '../../../src/core/errors.js';

/** The reference: securesystemslib's encoder (Debian's python3-securesystemslib, used by in-toto). */
function pythonCanonical(jsonText: string): Buffer {
  const script =
    'import sys, json\n' +
    'from securesystemslib.formats import encode_canonical\n' +
    'sys.stdout.buffer.write(encode_canonical(json.loads(sys.stdin.read())).encode("utf-8"))\n';
  return execFileSync('/usr/bin/python3', ['-c', script], { input: jsonText });
}

const CASES: unknown[] = [
  {},
  [],
  '',
  0,
  -17,
  9007199254740991,
  true,
  null,
  { b: 1, a: [1, 'x', null, false], c: { z: {}, y: [] } },
  { quote: 'say "hi"', backslash: 'C:\\dir\\', both: '\\"' },
  { control: 'line1\nline2\ttab\r\u0001\u001f', slash: 'a/b' },
  { unicode: 'grüße — 日本 😀', ключ: 'значение' },
  // Code-point order differs from UTF-16 order here: U+FF5E sorts before U+1F600 by code point,
  // but after it by UTF-16 units (0xFF5E > 0xD83D).
  { '\uFF5E': 1, '\u{1F600}': 2, A: 3, a: 4, '': 5, aa: 6, 'a\u0000': 7 },
  { _type: 'link', name: 'rebuild tails-amd64-6.0.img', environment: null, byproducts: {}, command: [] },
];

describe('canonical JSON (securesystemslib dialect)', () => {
  it.each(CASES.map((c) => [JSON.stringify(c), c]))('matches securesystemslib for %s', (text, value) => {
    const ours = canonicalJsonBytes(value);
    expect(Buffer.from(ours).toString('hex')).toBe(pythonCanonical(text).toString('hex'));
  });

  it('sorts keys, drops whitespace, escapes only quote and backslash', () => {
    expect(canonicalJsonString({ b: 'x"y', a: 'p\\q', c: 'n\nl' })).toBe('{"a":"p\\\\q","b":"x\\"y","c":"n\nl"}');
  });

  it('emits non-ASCII as raw UTF-8', () => {
    expect(Array.from(canonicalJsonBytes('é'))).toEqual([0x22, 0xc3, 0xa9, 0x22]);
  });

  it('writes -0 as 0, like Python ints', () => {
    expect(canonicalJsonString([-0])).toBe('[0]');
  });

  it.each([
    ['a float', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['an unsafe integer', 2 ** 60],
    ['undefined', { a: undefined }],
    ['a function', () => 1],
    ['a bigint', 1n],
    ['a lone high surrogate', 'x\uD800y'],
    ['a lone low surrogate key', { '\uDC00': 1 }],
    ['a Date', new Date(0)],
  ])('rejects %s', (_label, value) => {
    expect(() => canonicalJsonString(value)).toThrow(IsoVerifyError);
    try {
      canonicalJsonString(value);
    } catch (e) {
      expect((e as IsoVerifyError).code).toBe('input-invalid-value');
    }
  });

  it('rejects cycles and absurd nesting instead of overflowing the stack', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJsonString(cyclic)).toThrow(/cyclic/);
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => canonicalJsonString(deep)).toThrow(/too deep/);
  });

  it('compares by code point', () => {
    expect(compareCodePoints('\uFF5E', '\u{1F600}')).toBe(-1);
    expect('\uFF5E' < '\u{1F600}').toBe(false); // why the custom comparator exists
    expect(compareCodePoints('a', 'ab')).toBe(-1);
    expect(compareCodePoints('b', 'a')).toBe(1);
    expect(compareCodePoints('x', 'x')).toBe(0);
  });
});
