/**
 * The background reads the platform's time in one place (src/background/clock.ts), so a test
 * can move the clock every decision uses: verification, alarms, history expiry, cache ages.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dateOf, isoOf, MovableClock, platformClock } from '../../../src/background/clock.js';

const BACKGROUND = path.resolve(__dirname, '../../../src/background');
/** A read of the platform's wall clock: Date.now, new Date() with no argument, or Date.now passed as a function. */
const PLATFORM_TIME = /\bDate\.now\b|new Date\(\s*\)/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return /\.tsx?$/.test(name) ? [file] : [];
  });
}

describe('the background clock', () => {
  it('the pattern finds every way of reading the wall clock', () => {
    for (const line of ['x = Date.now();', 'f(Date.now)', 'new Date().toISOString()', 'new Date( )'])
      expect(line).toMatch(PLATFORM_TIME);
    for (const line of ['new Date(ms)', 'Date.parse(s)', 'clock.nowMs()']) expect(line).not.toMatch(PLATFORM_TIME);
  });

  it('nothing in src/background reads the platform clock but clock.ts', () => {
    const offenders = sources(BACKGROUND)
      .filter((file) => path.basename(file) !== 'clock.ts')
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${path.relative(BACKGROUND, file)}:${i + 1}` }))
          .filter(({ line }) => PLATFORM_TIME.test(line) && !/^\s*(\*|\/\/)/.test(line))
          .map(({ at }) => at),
      );
    expect(offenders).toEqual([]);
  });

  it('a movable clock moves; the platform clock is the real one', () => {
    const clock = new MovableClock(new Date('2019-01-01T00:00:00Z'));
    expect(isoOf(clock)).toBe('2019-01-01T00:00:00.000Z');
    clock.advance(86_400_000);
    expect(dateOf(clock).toISOString()).toBe('2019-01-02T00:00:00.000Z');
    clock.set(0);
    expect(clock.nowMs()).toBe(0);
    expect(Math.abs(platformClock.nowMs() - Date.now())).toBeLessThan(1000);
  });
});
