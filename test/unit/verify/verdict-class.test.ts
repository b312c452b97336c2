/**
 * verdictClass: the one classification of a verdict the UI (colours, badge) and the CLI (exit
 * status) share. Proof needs a signed fact; unsigned data only explains.
 */
import { describe, expect, it } from 'vitest';
import { badgeForVerdict } from '../../../src/background/badge.js';
import { exitStatusFor, verdictClass, type Verdict } from '../../../src/core/verdict.js';
import { toneOf } from '../../../src/ui-kit/VerdictView.js';
import { signatureBadVerdict, verdicts } from '../ui/fixtures.js';

const unsigned = (v: Verdict): Verdict =>
  ({
    ...v,
    evidence: { ...v.evidence, signatures: [], facts: { release: 'unsigned', reference: 'unsigned' } },
  }) as Verdict;
const rollback: Verdict = {
  kind: 'unverifiable',
  reason: 'rollback',
  error: { code: 'rollback' },
  evidence: verdicts.unverifiable.evidence,
};

describe('verdictClass', () => {
  it('verified, proven not authentic by a signed fact, or unverified', () => {
    expect(verdictClass(verdicts.verified)).toBe('verified');
    expect(verdictClass(verdicts.mismatch)).toBe('not-authentic');
    expect(verdictClass(signatureBadVerdict)).toBe('not-authentic');
    expect(verdictClass(rollback)).toBe('not-authentic');
    expect(verdictClass(verdicts.unverifiable)).toBe('unverified');
    expect(verdictClass(verdicts['checksum-only'])).toBe('unverified');
  });

  it('a comparison with unsigned data only is never proof', () => {
    expect(verdictClass(unsigned(verdicts.mismatch))).toBe('unverified');
    expect(verdictClass(unsigned(verdicts.incomplete))).toBe('unverified');
  });

  it('the CLI exit status, the badge and the colour follow the class', () => {
    const all = [
      ...Object.values(verdicts),
      signatureBadVerdict,
      rollback,
      unsigned(verdicts.mismatch),
      unsigned(verdicts.incomplete),
    ];
    for (const v of all) {
      const cls = verdictClass(v);
      expect(exitStatusFor(v)).toBe({ verified: 0, 'not-authentic': 1, unverified: 2 }[cls]);
      expect(badgeForVerdict(v).text).toBe({ verified: '✓', 'not-authentic': '!', unverified: '?' }[cls]);
      if (cls === 'verified') expect(toneOf(v)).toBe('good');
      if (cls === 'unverified') expect(toneOf(v)).not.toBe('bad');
      if (cls === 'not-authentic' && v.kind !== 'incomplete') expect(toneOf(v)).toBe('bad');
    }
  });
});
