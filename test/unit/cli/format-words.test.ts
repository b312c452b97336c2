/** The CLI's plain words: sizes people read, exact bytes in the evidence (issue #25). */
import { describe, expect, it } from 'vitest';
import { answerLine, formatVerdict, sizeWords } from '../../../src/cli/format.js';
import { verdicts } from '../ui/fixtures.js';

describe('sizes in the one-line answer', () => {
  it('are human-readable; the exact byte count stays in the evidence', () => {
    expect(sizeWords(1)).toBe('1 byte');
    expect(sizeWords(999)).toBe('999 bytes');
    expect(sizeWords(1_900_000_000)).toBe('1.9 GB');
    expect(sizeWords(749_027_968)).toBe('749 MB');
    const incomplete = verdicts.incomplete;
    expect(answerLine(incomplete)).toMatch(
      /^INCOMPLETE: tails-amd64-7\.2\.img is 749 MB short of Tails 7\.2 \(USB image\)/,
    );
    expect(formatVerdict(incomplete)).toContain('812400000 bytes (812 MB), expected 1561427968 (1.6 GB)');
  });
});
