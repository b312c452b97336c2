import { describe, expect, it } from 'vitest';
import { DAY_MS, HISTORY_DAYS_DEFAULT, isExpired, parseHistorySettings } from '../../../src/extension/history.js';
import { tracked, verdict } from '../background/fixtures.js';
import type { TrackedDownload } from '../../../src/wire/download.js';

const NOW = Date.parse('2025-03-01T12:00:00.000Z');
const at = (ms: number) => new Date(ms).toISOString();
const done = (updatedAt: string) =>
  tracked({ phase: 'done', verdict: verdict('verified'), updatedAt } as never) as TrackedDownload;

describe('history settings', () => {
  it('default a week; any invalid stored value falls back to it', () => {
    expect(HISTORY_DAYS_DEFAULT).toBe(7);
    expect(parseHistorySettings(undefined)).toEqual({ keepDays: 7 });
    for (const bad of [null, 'x', { keepDays: -1 }, { keepDays: 1.5 }, { keepDays: 366 }, { keepDays: '3' }])
      expect(parseHistorySettings(bad)).toEqual({ keepDays: 7 });
    expect(parseHistorySettings({ keepDays: 0 })).toEqual({ keepDays: 0 });
    expect(parseHistorySettings({ keepDays: 30 })).toEqual({ keepDays: 30 });
  });
});

describe('isExpired (injected clock)', () => {
  it('a record is due once unchanged for longer than the kept days', () => {
    expect(isExpired(done(at(NOW - 7 * DAY_MS)), NOW, 7)).toBe(false);
    expect(isExpired(done(at(NOW - 7 * DAY_MS - 1)), NOW, 7)).toBe(true);
    expect(isExpired(done(at(NOW - 1 * DAY_MS)), NOW, 1)).toBe(false);
    expect(isExpired(done(at(NOW - 2 * DAY_MS)), NOW, 1)).toBe(true);
  });

  it('a time that cannot be read, or far in the future (a wrong clock), does not keep a record forever', () => {
    expect(isExpired(done('not a time'), NOW, 7)).toBe(true);
    expect(isExpired(done(at(NOW + 30 * DAY_MS)), NOW, 7)).toBe(true);
    expect(isExpired(done(at(NOW + 1 * DAY_MS)), NOW, 7)).toBe(false);
  });

  it('keep no history (0 days): every record not being worked on is due at once', () => {
    expect(isExpired(done(at(NOW)), NOW, 0)).toBe(true);
    expect(isExpired(tracked({ phase: 'hashing', updatedAt: at(NOW) }), NOW, 0)).toBe(false);
    expect(isExpired(tracked({ phase: 'interrupted', updatedAt: at(NOW) } as never), NOW, 0)).toBe(true);
  });
});
