import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDuration,
  formatExactBytes,
  formatRate,
  groupFingerprint,
  percentOf,
  safeHref,
  unitFor,
} from '../../../src/ui-kit/format.js';

describe('format', () => {
  it('groups a fingerprint by four with the GnuPG middle gap', () => {
    expect(groupFingerprint('A490D0F4D311A4153E2BB7CADBB802B258ACD84F')).toBe(
      'A490 D0F4 D311 A415 3E2B  B7CA DBB8 02B2 58AC D84F',
    );
    expect(groupFingerprint('90b2b4bd7aed235f')).toBe('90B2 B4BD 7AED 235F');
  });

  it('formats sizes in decimal units, optionally in a fixed unit', () => {
    expect(unitFor(1_561_427_968)).toBe('GB');
    expect(formatBytes(1_561_427_968)).toBe('1.56 GB');
    expect(formatBytes(812_400_000, 'en', 'GB')).toBe('0.81 GB');
    expect(formatBytes(812_400_000)).toBe('812.4 MB');
    expect(formatBytes(512)).toBe('512 bytes');
    // Intl keeps number and unit together with a no-break space where the language does.
    const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
    expect(plain(formatBytes(812_400_000, 'fr'))).toBe('812,4 Mo');
    expect(plain(formatBytes(1_561_427_968, 'ru'))).toBe('1,56 ГБ');
    expect(plain(formatRate(11_400_000, 'ru'))).toBe('11,4 МБ/c');
    expect(formatExactBytes(134_217_728, 'de')).toBe('134.217.728');
    expect(plain(formatBytes(1_561_427_968, 'de'))).toBe('1,56 GB');
    expect(formatExactBytes(1_176_215_552)).toBe('1,176,215,552');
  });

  it('formats rates and durations', () => {
    expect(formatRate(612_000_000)).toBe('612 MB/s');
    expect(formatRate(11_400_000)).toBe('11.4 MB/s');
    expect(formatDuration(75.4)).toBe('1:16');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(Number.NaN)).toBe('?');
  });

  it('computes a clamped percentage only with a known total', () => {
    expect(percentOf(50, 200)).toBe(25);
    expect(percentOf(300, 200)).toBe(100);
    expect(percentOf(5, undefined)).toBeUndefined();
    expect(percentOf(5, 0)).toBeUndefined();
  });

  it('only links http(s) URLs', () => {
    expect(safeHref('https://tails.net/x')).toBe('https://tails.net/x');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,hi')).toBeUndefined();
    expect(safeHref('not a url')).toBeUndefined();
  });
});

describe('one unit system in every surface', () => {
  it('popup, pages and widget format sizes and rates only through src/ui-kit/format.ts (decimal MB/GB)', () => {
    const root = new URL('../../../src/', import.meta.url);
    const offenders: string[] = [];
    for (const dir of ['ui', 'ui-kit', 'embed', 'site']) {
      for (const name of readdirSync(new URL(`${dir}/`, root), { recursive: true }) as string[]) {
        if (!/\.tsx?$/.test(name) || `${dir}/${name}` === 'ui-kit/format.ts') continue;
        const text = readFileSync(new URL(`${dir}/${name}`, root), 'utf8');
        // Binary units, or a number divided and suffixed by hand.
        if (
          /\b[KMGT]iB\b|1024\s*\*\s*1024|toFixed\([^)]*\)\s*\}?\s*[kMG]B\b|\/\s*1e[369]\b|\/\s*1_000_000\b/.test(text)
        )
          offenders.push(`${dir}/${name}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(formatBytes(128 * 1024 * 1024)).toBe('134.2 MB');
    expect(formatBytes(810_000_000, 'en', 'GB')).toBe('0.81 GB');
  });
});
