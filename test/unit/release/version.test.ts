import { describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import { compareVersions, isValidVersion, maxVersion, parseVersion } from '../../../src/core/version.js';

describe('compareVersions (Debian-style ordering)', () => {
  // Each list is strictly ascending.
  const ascending = [
    '4.9',
    '4.10',
    '4.19',
    '4.20~alpha1',
    '4.20~beta1',
    '4.20~rc1',
    '4.20~rc2',
    '4.20',
    '4.20.1',
    '4.20.10',
    '4.21',
    '5.0~beta1',
    '5.0~rc1',
    '5.0',
    '5.0a',
    '5.0+1',
    '5.0.1',
    '6.19',
    '7.2',
    '7.10',
    '10.0',
  ];
  it('orders a realistic ascending list', () => {
    for (let i = 0; i < ascending.length; i++) {
      for (let j = 0; j < ascending.length; j++) {
        const got = Math.sign(compareVersions(ascending[i]!, ascending[j]!));
        expect(got, `${ascending[i]} vs ${ascending[j]}`).toBe(Math.sign(i - j));
      }
    }
  });
  it('treats leading zeros as numerically equal and ~~ before ~', () => {
    expect(compareVersions('4.09', '4.9')).toBe(0);
    expect(compareVersions('1.0~~a', '1.0~a')).toBeLessThan(0);
    expect(compareVersions('1.0~', '1.0')).toBeLessThan(0);
  });
  it('rejects invalid versions', () => {
    for (const bad of ['', 'v4.19', '4.19 ', '../4.19', '4.19/x', '４.19', '.4', `${'1'.repeat(65)}`]) {
      expect(isValidVersion(bad), bad).toBe(false);
      expect(() => parseVersion(bad)).toThrow(IsoVerifyError);
      expect(() => compareVersions(bad, '4.19')).toThrow(IsoVerifyError);
    }
    expect(isValidVersion(4.19)).toBe(false);
    expect(parseVersion('4.20~rc1')).toBe('4.20~rc1');
  });
  it('maxVersion picks the highest', () => {
    expect(maxVersion(['4.19', '4.20~rc1', '4.2'])).toBe('4.20~rc1');
    expect(maxVersion([])).toBeUndefined();
  });
});
