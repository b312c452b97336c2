/**
 * axe's `heading-order` rule, applied to the rendered popup and verification-page content:
 * a heading may be at most one level deeper than the heading before it (h1 → h3 is a skip).
 */
import { describe, expect, it } from 'vitest';
import { VERDICT_KINDS } from '../../../src/core/verdict.js';
import { PopupView } from '../../../src/ui/components/PopupView.js';
import { VerdictView } from '../../../src/ui-kit/VerdictView.js';
import { downloads, signatureBadVerdict, verdicts } from './fixtures.js';
import { render } from './render.js';

/** Every place where a heading is more than one level deeper than the one before it. */
export function headingOrderProblems(html: string): string[] {
  const levels = [...html.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
  const problems: string[] = [];
  for (let i = 1; i < levels.length; i++) {
    if (levels[i]! > levels[i - 1]! + 1) problems.push(`h${levels[i - 1]} → h${levels[i]}`);
  }
  return problems;
}

const noop = () => undefined;

describe('heading order (axe heading-order)', () => {
  it('the check itself finds a skipped level', () => {
    expect(headingOrderProblems('<h1>a</h1><h3>b</h3>')).toEqual(['h1 → h3']);
    expect(headingOrderProblems('<h1>a</h1><h2>b</h2><h3>c</h3><h2>d</h2><h1>e</h1>')).toEqual([]);
  });

  it('the popup with expanded evidence never skips from h1 to h3', () => {
    const html = render(
      <PopupView
        downloads={downloads}
        product="Tails"
        onOpenVerify={noop}
        onOpenSettings={noop}
        onResume={noop}
        onForget={noop}
      />,
    );
    expect(html).toContain('<h1');
    expect(html).toContain('class="ev-heading"');
    expect(headingOrderProblems(html)).toEqual([]);
  });

  it('the verification page (h1, then the verdict with its evidence open) never skips a level, for every verdict', () => {
    for (const verdict of [...VERDICT_KINDS.map((kind) => verdicts[kind]), signatureBadVerdict]) {
      const html = render(
        <main>
          <h1 class="page-title">Verify a file</h1>
          <VerdictView verdict={verdict} evidenceOpen />
        </main>,
      );
      expect(headingOrderProblems(html), verdict.kind).toEqual([]);
    }
  });
});
