import { describe, expect, it } from 'vitest';
import { BADGE_COLORS, badgeFor, badgeForVerdict, EMPTY_BADGE, percent } from '../../../src/background/badge.js';
import { VERDICT_KINDS } from '../../../src/core/verdict.js';
import { tracked, verdict } from './fixtures.js';

describe('badgeForVerdict', () => {
  it('is ✓ only for verified, ! for proven bad, ? otherwise', () => {
    const texts = Object.fromEntries(VERDICT_KINDS.map((k) => [k, badgeForVerdict(verdict(k)).text]));
    expect(texts).toEqual({
      verified: '✓',
      mismatch: '!',
      incomplete: '!',
      oversized: '!',
      'wrong-release': '!',
      unverifiable: '?',
      'checksum-only': '?',
    });
    expect(badgeForVerdict(verdict('verified')).color).toBe(BADGE_COLORS.good);
    expect(badgeForVerdict(verdict('mismatch')).color).toBe(BADGE_COLORS.bad);
  });

  it('treats a rollback or forged signature as bad, offline as unknown', () => {
    const base = verdict('unverifiable');
    if (base.kind !== 'unverifiable') throw new Error('fixture');
    expect(badgeForVerdict({ ...base, reason: 'rollback' }).text).toBe('!');
    expect(badgeForVerdict({ ...base, reason: 'signature-bad' }).text).toBe('!');
    expect(badgeForVerdict({ ...base, reason: 'offline' }).text).toBe('?');
  });
});

describe('percent', () => {
  it('floors and never shows 100 while working', () => {
    expect(percent(0, 100)).toBe(0);
    expect(percent(505, 1000)).toBe(50);
    expect(percent(1000, 1000)).toBe(99);
    expect(percent(5, undefined)).toBeUndefined();
    expect(percent(5, 0)).toBeUndefined();
  });
});

describe('badgeFor', () => {
  it('is empty with nothing tracked or only cancelled downloads', () => {
    expect(badgeFor([])).toEqual(EMPTY_BADGE);
    expect(badgeFor([tracked({ phase: 'cancelled' })])).toEqual(EMPTY_BADGE);
  });

  it('shows progress of the newest active download before any verdict', () => {
    const done = tracked({
      id: 'dl-1',
      phase: 'done',
      verdict: verdict('verified'),
      updatedAt: '2025-01-03T00:00:00Z',
    });
    const active = tracked({
      id: 'dl-2',
      phase: 'downloading',
      receivedBytes: 250,
      totalBytes: 1000,
      updatedAt: '2025-01-02T00:00:00Z',
    });
    expect(badgeFor([done, active])).toMatchObject({
      text: '25%',
      color: BADGE_COLORS.progress,
      titleKey: 'bg_badge_downloading',
    });
    expect(badgeFor([tracked({ phase: 'downloading' })]).text).toBe('…');
    expect(badgeFor([tracked({ phase: 'verifying' })])).toMatchObject({ text: '…', titleKey: 'bg_badge_verifying' });
    expect(
      badgeFor([tracked({ phase: 'hashing', totalBytes: 1000, progress: { bytes: 900, total: 1000, rate: 1 } })]).text,
    ).toBe('90%');
  });

  it('writes the percentage as the UI language does, without spaces (the badge is tiny)', () => {
    const active = [tracked({ phase: 'downloading', receivedBytes: 250, totalBytes: 1000 })];
    expect(badgeFor(active, 'de').text).toBe('25%');
    expect(badgeFor(active, 'tr').text).toBe('%25');
    expect(badgeFor(active, 'fr').text).toBe('25%');
    expect(badgeFor(active, 'not a locale!').text).toBe('25%');
  });

  it('shows the newest outcome', () => {
    const older = tracked({
      id: 'dl-1',
      phase: 'done',
      verdict: verdict('verified'),
      updatedAt: '2025-01-01T00:00:00Z',
    });
    const newer = tracked({
      id: 'dl-2',
      phase: 'done',
      verdict: verdict('mismatch'),
      updatedAt: '2025-01-02T00:00:00Z',
    });
    expect(badgeFor([older, newer])).toMatchObject({
      text: '!',
      titleKey: 'bg_title_mismatch',
      fileName: 'tails-amd64-7.2.img',
    });
    expect(badgeFor([older])).toMatchObject({ text: '✓', titleKey: 'bg_title_verified' });
    expect(badgeFor([tracked({ phase: 'awaiting-file' })])).toMatchObject({
      text: '?',
      titleKey: 'bg_title_pick_file',
    });
    expect(badgeFor([tracked({ phase: 'interrupted' })])).toMatchObject({
      text: '?',
      titleKey: 'bg_title_interrupted',
    });
    expect(badgeFor([tracked({ phase: 'failed', error: { code: 'internal' } })])).toMatchObject({
      text: '?',
      titleKey: 'bg_title_error',
    });
  });
});
