import { describe, expect, it } from 'vitest';
import { concatBytes, equalBytes, fromBase64, fromHex, toBase64, toHex } from '../../../src/core/bytes.js';
import { prngBytes } from './helpers.js';
import { codeOf } from '../../helpers/error-code.js';

describe('bytes helpers', () => {
  it('hex and base64 agree with Buffer for many lengths', () => {
    for (let n = 0; n < 70; n++) {
      const data = prngBytes(n, n + 1);
      const buf = Buffer.from(data);
      expect(toHex(data)).toBe(buf.toString('hex'));
      expect(toBase64(data)).toBe(buf.toString('base64'));
      expect(equalBytes(fromHex(buf.toString('hex').toUpperCase()), data)).toBe(true);
      expect(equalBytes(fromBase64(buf.toString('base64')), data)).toBe(true);
    }
  });

  it('rejects malformed hex and base64', () => {
    expect(codeOf(() => fromHex('abc'))).toBe('input-malformed');
    expect(codeOf(() => fromHex('zz'))).toBe('input-malformed');
    expect(codeOf(() => fromBase64('QUJD\n'))).toBe('input-malformed');
    expect(codeOf(() => fromBase64('QU=D'))).toBe('input-malformed');
    expect(codeOf(() => fromBase64('Q==='))).toBe('input-malformed');
    expect(codeOf(() => fromBase64('QR=='))).toBe('input-malformed'); // stray bits under padding
    expect(codeOf(() => fromBase64('QUJ'))).toBe('input-malformed');
    expect(codeOf(() => fromBase64('QU-_'))).toBe('input-malformed');
    expect(Array.from(fromBase64('QQ=='))).toEqual([65]);
  });

  it('concatenates and compares', () => {
    const a = new Uint8Array([1, 2]);
    const b = new Uint8Array([3]);
    expect(Array.from(concatBytes(a, new Uint8Array(0), b))).toEqual([1, 2, 3]);
    expect(equalBytes(a, new Uint8Array([1, 2]))).toBe(true);
    expect(equalBytes(a, new Uint8Array([1, 3]))).toBe(false);
    expect(equalBytes(a, b)).toBe(false);
  });
});
