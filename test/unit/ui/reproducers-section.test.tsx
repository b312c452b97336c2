/** The options page's reproducers section: a fresh install greets with no warning (issue #25). */
import { describe, expect, it } from 'vitest';
import { ReproducersSection } from '../../../src/ui/components/ReproducersSection.js';
import { render, textOf } from './render.js';

const save = async () => undefined;

describe('ReproducersSection', () => {
  it('a fresh install (no reproducer, the profile threshold) shows no "not enough" warning', () => {
    const html = render(
      <ReproducersSection
        profile={{ id: 'tails', rebuilders: [], reproThreshold: 1 }}
        settings={{ reproducers: [] }}
        onSave={save}
        allowLoopbackHttp={false}
      />,
    );
    expect(html).not.toContain('data-testid="reproducer-not-enough"');
    expect(textOf(html)).not.toContain('Not enough reproducers');
    expect(html).toContain('data-testid="reproducer-none-yet"');
  });

  it('a threshold the person set above the keys they have is still named', () => {
    const html = render(
      <ReproducersSection
        profile={{ id: 'tails', rebuilders: [], reproThreshold: 1 }}
        settings={{ reproducers: [], threshold: 2 }}
        onSave={save}
        allowLoopbackHttp={false}
      />,
    );
    expect(textOf(html)).toContain('Not enough reproducers: you require 2, but only 0 distinct keys are configured');
    expect(html).not.toContain('data-testid="reproducer-none-yet"');
  });
});
