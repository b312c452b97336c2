import { describe, expect, it } from 'vitest';
import {
  dueRedecides,
  nextRedecide,
  nextRedecideAt,
  redecideDelayMs,
  REDECIDE_FIRST_DELAY_MS,
  REDECIDE_MAX_ATTEMPTS,
  REDECIDE_MAX_DELAY_MS,
} from '../../../src/background/redecide.js';
import { tracked, verdict } from './fixtures.js';

const kept = { engine: 'hash-wasm', bytes: 1, digests: {}, states: {}, url: 'u', finishedAt: 't' };

describe('deciding again with back-off', () => {
  it('doubles from 30 s up to 30 min, and stops after the last attempt', () => {
    expect([0, 1, 2, 3].map(redecideDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(redecideDelayMs(40)).toBe(REDECIDE_MAX_DELAY_MS);
    expect(nextRedecide(0, 0)).toEqual({ attempts: 0, nextAt: new Date(REDECIDE_FIRST_DELAY_MS).toISOString() });
    expect(nextRedecide(REDECIDE_MAX_ATTEMPTS, 0)).toBeUndefined();
  });

  it('finds due downloads and the next alarm time; only kept hashes count', () => {
    const a = tracked({
      id: 'dl-1',
      phase: 'done',
      verdict: verdict('unverifiable'),
      hash: kept,
      redecide: { attempts: 0, nextAt: '2025-01-01T00:00:30.000Z' },
    });
    const b = tracked({
      id: 'dl-2',
      phase: 'done',
      verdict: verdict('unverifiable'),
      hash: kept,
      redecide: { attempts: 3, nextAt: '2025-01-01T00:10:00.000Z' },
    });
    const c = tracked({
      id: 'dl-3',
      phase: 'done',
      verdict: verdict('unverifiable'),
      redecide: { attempts: 0, nextAt: '2025-01-01T00:00:00.000Z' },
    });
    const now = Date.parse('2025-01-01T00:01:00.000Z');
    expect(dueRedecides([a, b, c], now)).toEqual(['dl-1']);
    expect(nextRedecideAt([a, b, c])).toBe(Date.parse('2025-01-01T00:00:30.000Z'));
    expect(nextRedecideAt([c])).toBeUndefined();
  });
});
