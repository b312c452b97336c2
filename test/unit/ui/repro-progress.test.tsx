import { describe, expect, it } from 'vitest';
import { ProgressView } from '../../../src/ui-kit/ProgressView.js';
import { ReproView } from '../../../src/ui-kit/ReproView.js';
import { hashingProgress, repro } from './fixtures.js';
import { render, tagWith, textOf } from './render.js';

describe('ReproView', () => {
  it('met: says how many rebuilders reproduced it, and lists them on demand', () => {
    const html = render(<ReproView status={repro.met} />);
    expect(tagWith(html, 'data-testid="repro"')).toContain('data-repro-met="true"');
    expect(textOf(html)).toContain('Independently reproduced by 2 of 3 rebuilders');
    expect(html).toMatch(/<details class="repro-details" id="[^"]+">[\s\S]*rebuilder\.riseup\.example/);
    expect(html).toContain('href="https://rebuilder.riseup.example/api/v1/builds/4411/log"');
    expect(textOf(html)).toContain('not built yet');
  });

  it('not reproduced yet', () => {
    const html = render(<ReproView status={repro.notYet} />);
    expect(tagWith(html, 'data-testid="repro"')).toContain('data-repro-met="false"');
    expect(textOf(html)).toContain('Not reproduced yet');
    expect(textOf(html)).toContain('The server took too long to answer. (no answer within 20000 ms)');
  });

  it('a mismatch is red and outweighs a rebuilder that agreed; unsafe log links are not linked', () => {
    const html = render(<ReproView status={repro.mismatch} />);
    expect(tagWith(html, 'data-testid="repro"')).toContain('repro--bad');
    expect(textOf(html)).toContain('A rebuilder got different bytes');
    expect(html).not.toContain('javascript:');
  });

  it('a mismatch under a verdict says in one sentence what it means and what to do, and links the evidence', () => {
    const html = render(<ReproView status={repro.mismatch} />);
    const explain = textOf(
      tagWith(html, 'data-testid="repro-mismatch-explain"')
        ? html.slice(
            html.indexOf('data-testid="repro-mismatch-explain"'),
            html.indexOf('</p>', html.indexOf('data-testid="repro-mismatch-explain"')),
          )
        : '',
    );
    expect(explain).toContain(
      'Your file is still the one the project signed, but a rebuild of the same source by an independent rebuilder came out different',
    );
    expect(explain).toContain('wait for the project to explain it before you install');
    const sentence = explain.slice(0, explain.indexOf('See what the rebuilder reported')).trim();
    expect(sentence.split(/[.!?] [A-Z]/)).toHaveLength(1);
    // The link leads to the rebuilder list, which is open, with the other bytes' hash in it.
    const link = tagWith(html, 'data-testid="repro-evidence-link"')!;
    const target = /href="#([^"]+)"/.exec(link)![1]!;
    expect(tagWith(html, `id="${target}"`)).toMatch(/^<details class="repro-details" id="[^"]+" open/);
    expect(textOf(html)).toContain(`Their SHA-256: ${repro.mismatch.rebuilders[1]!.attestedSha256}`);
    // Agreement needs no such sentence.
    expect(render(<ReproView status={repro.met} />)).not.toContain('repro-mismatch-explain');
  });

  it('partial reproduction names the threshold', () => {
    const partial = {
      ...repro.notYet,
      reproducedBy: 1,
      rebuilders: [{ ...repro.met.rebuilders[0]! }, repro.notYet.rebuilders[1]!],
    };
    expect(textOf(render(<ReproView status={partial} />))).toContain('Reproduced by 1 of 2 rebuilders (2 needed)');
  });
});

describe("ReproView: nobody configured, not enough reproducers, the person's own", () => {
  it('with no reproducer configured: one line, linking to how to reproduce and publish', () => {
    const html = render(<ReproView status={repro.none} />);
    expect(tagWith(html, 'data-testid="repro"')).toContain('data-repro-state="none"');
    expect(textOf(html)).toBe(
      'No independent reproducer is configured for this release. How to reproduce it and publish an attestation',
    );
    expect(tagWith(html, 'data-testid="repro-howto"')).toContain('href="reproduce.txt"');
    expect(html).not.toContain('<details');
  });

  it('a threshold above the distinct keys says "not enough reproducers", not a failure', () => {
    const html = render(<ReproView status={repro.notEnough} />);
    expect(tagWith(html, 'data-testid="repro"')).toContain('data-repro-state="not-enough"');
    expect(tagWith(html, 'data-testid="repro"')).not.toContain('repro--bad');
    expect(textOf(html)).toContain('Not enough reproducers: 2 of 2 reproduced it, but 3 are required');
    expect(textOf(html)).toContain('You require 3 independent reproducers.');
  });

  it('labels a reproducer the person added as theirs, and links a static link', () => {
    const html = render(<ReproView status={repro.notEnough} />);
    const mine = html.match(/<li[^>]*data-source="person"[\s\S]*?<\/li>/)?.[0] ?? '';
    expect(textOf(mine)).toContain('Alice added by you');
    expect(mine).toContain('href="https://alice.example/attestations/Tails/7.2/tails-amd64-7.2.img.link"');
    const theirs = html.match(/<li[^>]*data-source="profile"[\s\S]*?<\/li>/)?.[0] ?? '';
    expect(textOf(theirs)).not.toContain('added by you');
  });

  it('says it in German too', () => {
    expect(textOf(render(<ReproView status={repro.none} />, 'de'))).toContain(
      'Für diese Version ist kein unabhängiger Nachbauer eingerichtet.',
    );
  });

  it("translates why a rebuilder is where it is (a code from the core), never the core's English", () => {
    const german = textOf(render(<ReproView status={repro.notYet} open />, 'de'));
    expect(german).toContain('Noch nicht nachgebaut.');
    expect(german).toContain('Der Server hat zu lange nicht geantwortet. (no answer within 20000 ms)');
    expect(german).not.toContain('not rebuilt yet');
    expect(german).toContain('Abgefragt am 20.11.2025');
    const other = {
      ...repro.notYet,
      rebuilders: [
        {
          ...repro.notYet.rebuilders[0]!,
          state: 'bad-attestation' as const,
          reason: 'other-release' as const,
          attestedRelease: { product: 'Tails', version: '7.1' },
        },
      ],
    };
    expect(textOf(render(<ReproView status={other} open />, 'de'))).toContain(
      'Die Bestätigung gilt für Tails 7.1, nicht für diese Version.',
    );
  });
});

describe('ProgressView', () => {
  it('exposes a progressbar with aria values, facts and a cancel button', () => {
    const html = render(
      <ProgressView progress={hashingProgress} label="Checking the file…" onCancel={() => undefined} />,
    );
    const bar = tagWith(html, 'role="progressbar"')!;
    expect(bar).toContain('aria-valuenow="57"');
    expect(bar).toContain('aria-valuemin="0"');
    expect(bar).toContain('aria-valuemax="100"');
    expect(bar).toContain('aria-label="Checking the file…"');
    const text = textOf(html);
    expect(text).toContain('0.91 GB of 1.56 GB');
    expect(text).toContain('57%');
    expect(text).toContain('612 MB/s');
    expect(text).toContain('0:02 left');
    expect(html).toContain('data-testid="cancel"');
  });

  it('announces politely in 10 % steps only', () => {
    const html = render(<ProgressView progress={hashingProgress} label="Checking" />);
    const live = html.match(/<p[^>]*aria-live="polite"[^>]*>([^<]*)<\/p>/)!;
    expect(live[1]).toBe('Checking 50%');
    expect(html).not.toContain('data-testid="cancel"');
  });

  it('without a total the bar is indeterminate and has no aria-valuenow', () => {
    const html = render(<ProgressView progress={{ bytes: 5_000_000, rate: 0 }} label="Downloading…" />);
    const bar = tagWith(html, 'role="progressbar"')!;
    expect(bar).not.toContain('aria-valuenow');
    expect(bar).toContain('progress-track--indeterminate');
    expect(textOf(html)).toContain('5.00 MB');
  });
});
