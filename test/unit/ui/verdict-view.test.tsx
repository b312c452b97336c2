import { describe, expect, it } from 'vitest';
import { VERDICT_KINDS, type Verdict } from '../../../src/core/verdict.js';
import { toneOf, VerdictView } from '../../../src/ui-kit/VerdictView.js';
import { UNVERIFIABLE_REASONS } from '../../../src/ui-kit/labels.js';
import { OTHER_SHA256, RELEASE_SHA256, signatureBadVerdict, verdicts } from './fixtures.js';
import { render, tagWith, textOf } from './render.js';

const noop = () => undefined;

/** The text of the headline span. */
function headlineText(html: string): string {
  const at = html.indexOf('data-testid="verdict-headline"');
  return textOf(html.slice(html.indexOf('>', at) + 1, html.indexOf('</span>', at)));
}

describe('VerdictView', () => {
  it('marks the root with data-testid and data-verdict for every kind, with a tone class', () => {
    const tones: Record<string, string> = {};
    for (const kind of VERDICT_KINDS) {
      const html = render(<VerdictView verdict={verdicts[kind]} />);
      const root = tagWith(html, 'data-testid="verdict"')!;
      expect(root, kind).toContain(`data-verdict="${kind}"`);
      expect(root).toContain('aria-live="polite"');
      tones[kind] = root.match(/verdict--(\w+)/)![1]!;
    }
    expect(tones).toEqual({
      verified: 'good',
      mismatch: 'bad',
      incomplete: 'warn',
      oversized: 'bad',
      'wrong-release': 'bad',
      unverifiable: 'warn',
      'checksum-only': 'weak',
    });
  });

  it('verified: one line naming release, image type and signer; evidence with grouped fingerprints', () => {
    const html = render(<VerdictView verdict={verdicts.verified} />);
    // The image signature alone names no version (Tails today): the headline says what it proves.
    expect(headlineText(html)).toBe('This is the Tails USB image (IMG), exactly as Tails signed it');
    expect(html).toContain('A490 D0F4 D311 A415 3E2B  B7CA DBB8 02B2 58AC D84F');
    expect(html).toContain('CD4D 4351 AFA6 933F 574A  9AFB 90B2 B4BD 7AED 235F');
    expect(html).toContain(RELEASE_SHA256);
    expect(textOf(html)).toContain('1.56 GB (1,561,427,968 bytes)');
    expect(html).toMatch(/<details class="evidence">/);
  });

  it('mismatch: says not to use it, shows both hashes as different, offers another mirror only when safe', () => {
    const withMirror = render(
      <VerdictView
        verdict={verdicts.mismatch}
        alternativeUrl="https://mirror2.example.org/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img"
      />,
    );
    expect(textOf(withMirror)).toContain('Do not use this file: it is not the file Tails published');
    expect(withMirror).toContain(RELEASE_SHA256);
    expect(withMirror).toContain(OTHER_SHA256);
    expect(textOf(withMirror)).toContain('differs');
    expect(tagWith(withMirror, 'data-testid="other-mirror"')).toContain('href="https://mirror2.example.org/');
    expect(render(<VerdictView verdict={verdicts.mismatch} alternativeUrl="javascript:alert(1)" />)).not.toContain(
      'data-testid="other-mirror"',
    );
    expect(render(<VerdictView verdict={verdicts.mismatch} />)).not.toContain('data-testid="other-mirror"');
  });

  it('incomplete: says how much arrived, in the unit of the total, and offers resume only with a callback', () => {
    const html = render(<VerdictView verdict={verdicts.incomplete} onResume={noop} />);
    expect(textOf(html)).toContain('The download is incomplete (0.81 GB of 1.56 GB)');
    expect(tagWith(html, 'data-testid="resume"')).toMatch(/^<button type="button"/);
    expect(textOf(html)).toContain('Resume download');
    expect(render(<VerdictView verdict={verdicts.incomplete} />)).not.toContain('data-testid="resume"');
  });

  it('oversized and wrong-release explain which release and type', () => {
    expect(textOf(render(<VerdictView verdict={verdicts.oversized} />))).toContain(
      'Do not use this file: it is larger than Tails 7.2, USB image (IMG)',
    );
    const wrong = textOf(render(<VerdictView verdict={verdicts['wrong-release']} />));
    expect(wrong).toContain('tails-amd64-6.19.img is not Tails 7.2, USB image (IMG)');
    expect(wrong).toContain('older release of Tails. The current release is 7.2');
    const { expected: _expected, ...withoutExpected } = verdicts['wrong-release'];
    const noExpected: Verdict = { ...withoutExpected, reason: 'other-product' };
    expect(textOf(render(<VerdictView verdict={noExpected} />))).toContain(
      'tails-amd64-6.19.img is not an image of the current release',
    );
  });

  it('unverifiable: says which reason, the error with its detail, and what to do', () => {
    const text = textOf(render(<VerdictView verdict={verdicts.unverifiable} />));
    // Offline: the headline itself says why, so nobody has to open "Why".
    expect(text).toContain('Could not verify yet: the official site could not be reached');
    expect(text).toContain('The release data could not be downloaded.');
    expect(text).toContain('network error');
    expect(text).toContain('Check your internet connection and try again.');
    const html = render(<VerdictView verdict={verdicts.unverifiable} />);
    const explanation = textOf(html.slice(html.indexOf('verdict-explain'), html.indexOf('<details')));
    expect(explanation.match(/The release data could not be downloaded\./g)).toHaveLength(1);
    const bad = render(<VerdictView verdict={signatureBadVerdict} />);
    expect(textOf(bad)).toContain('The signature does not match');
    expect(textOf(bad)).toContain(
      'the data was changed or the signature is forged. (image signature by 90B2B4BD7AED235F)',
    );
    expect(bad).toContain('data-good="false"');
    // Evidence of tampering is red, not the amber of "could not check".
    expect(tagWith(bad, 'data-testid="verdict"')).toContain('verdict--bad');
  });

  it('each severity has its own headline: red "Do not use" for a bad signature or a rollback, amber "could not verify" otherwise', () => {
    const amber = headlineText(
      render(<VerdictView verdict={{ ...verdicts.unverifiable, reason: 'descriptor-invalid' } as Verdict} />),
    );
    const red = headlineText(render(<VerdictView verdict={signatureBadVerdict} />));
    expect(amber).toBe('Could not verify this file');
    // Offline: the headline says nothing is wrong with the file, the site could not be reached (amber too).
    expect(headlineText(render(<VerdictView verdict={verdicts.unverifiable} />))).toBe(
      'Could not verify yet: the official site could not be reached',
    );
    expect(red).toBe('Do not use this file: its signature does not match');
    const rollback: Verdict = { ...signatureBadVerdict, reason: 'rollback', error: { code: 'rollback' } } as Verdict;
    expect(headlineText(render(<VerdictView verdict={rollback} />))).toMatch(/^Do not use this file: /);
    // "Do not use" is in the headline exactly when the card is red, for every reason.
    for (const reason of UNVERIFIABLE_REASONS) {
      const verdict = { ...verdicts.unverifiable, reason } as Verdict;
      const html = render(<VerdictView verdict={verdict} />);
      const isRed = tagWith(html, 'data-testid="verdict"')!.includes('verdict--bad');
      expect(headlineText(html).startsWith('Do not use'), reason).toBe(isRed);
      expect(
        headlineText(render(<VerdictView verdict={verdict} />, 'de')).startsWith('Verwenden Sie diese Datei nicht'),
        reason,
      ).toBe(isRed);
      // An amber card does not bury a red "Do not use" in its text either.
      if (!isRed) expect(textOf(html), reason).not.toContain('Do not use');
    }
  });

  it('verified by the image signature alone says plainly what is known, and never asks the person to check', () => {
    const text = textOf(render(<VerdictView verdict={verdicts.verified} />));
    expect(text).toMatch(
      /Tails signed this file on Nov 1\d, 2025, [^,]+, and the signature is valid: you can use it\./,
    );
    // The caveat is in the evidence, in a person's words; the headline does not claim the version.
    expect(headlineText(render(<VerdictView verdict={verdicts.verified} />))).not.toContain('7.2');
    expect(text).toContain(
      "Version 7.2 according to Tails's website. Tails's signature covers every byte of this file, but not its version number; this browser has seen no image that Tails signed later.",
    );
    const explanation = render(<VerdictView verdict={verdicts.verified} />);
    expect(explanation.indexOf('data-testid="version-unsigned"')).toBeGreaterThan(
      explanation.indexOf('data-testid="evidence"'),
    );
    const overDescription: Verdict = {
      ...verdicts.verified,
      signer: { ...(verdicts.verified as Extract<Verdict, { kind: 'verified' }>).signer, over: 'description' },
      evidence: {
        ...verdicts.verified.evidence,
        facts: { release: 'description', reference: 'description', bytes: 'description' },
      },
    } as Verdict;
    const signedVersion = textOf(render(<VerdictView verdict={overDescription} />));
    expect(signedVersion).toContain('This file is exactly the image Tails published');
    // A signature names the release: the headline may say it.
    expect(headlineText(render(<VerdictView verdict={overDescription} />))).toBe(
      'This is Tails 7.2, USB image (IMG), exactly as Tails signed it',
    );
    expect(render(<VerdictView verdict={overDescription} />)).not.toContain('data-testid="version-unsigned"');
    expect(signedVersion).not.toContain('not signed');
    for (const [verdict, lang] of [
      [verdicts.verified, 'en'],
      [overDescription, 'en'],
      [verdicts.verified, 'de'],
      [overDescription, 'de'],
    ] as const) {
      const words = textOf(render(<VerdictView verdict={verdict} />, lang));
      expect(words).not.toMatch(/\bcheck that\b|\bcheck whether\b|prüfen Sie|make sure/i);
    }
  });

  it('a key problem while the key could not be downloaded asks to reconnect, not to update ISO Verify', () => {
    const base = verdicts.unverifiable;
    const keyOffline = {
      ...base,
      reason: 'key-invalid',
      error: { code: 'signature-key-expired' },
      evidence: {
        ...base.evidence,
        inputs: [
          {
            role: 'signing-key',
            source: 'https://tails.net/tails-signing.key',
            error: { code: 'fetch-failed', detail: 'network error' },
          },
        ],
      },
    } as Verdict;
    const text = textOf(render(<VerdictView verdict={keyOffline} />));
    expect(text).toContain('Check your internet connection');
    expect(text).not.toMatch(/update ISO Verify/i);
    // Fetched fine, still invalid: an update is what helps.
    const keyFetched = {
      ...keyOffline,
      evidence: {
        ...keyOffline.evidence,
        inputs: [{ role: 'signing-key', source: 'https://tails.net/tails-signing.key' }],
      },
    } as Verdict;
    expect(textOf(render(<VerdictView verdict={keyFetched} />))).toContain('Update ISO Verify');
  });

  it('verified offers the next step in one line: check the USB stick with the CLI (only verified does)', () => {
    const text = textOf(render(<VerdictView verdict={verdicts.verified} />));
    expect(text).toContain(
      'Next step: once it is written to a USB stick, the command-line tool checks the stick against the same signature: iso-verify verify /dev/…',
    );
    expect(textOf(render(<VerdictView verdict={verdicts.verified} />, 'de'))).toContain(
      'prüft das Kommandozeilenwerkzeug den Stick gegen dieselbe Signatur: iso-verify verify /dev/…',
    );
    for (const kind of ['mismatch', 'incomplete', 'checksum-only'] as const) {
      expect(render(<VerdictView verdict={verdicts[kind]} />)).not.toContain('verdict-next-usb');
    }
  });

  it('checksum-only is visibly weaker and never claims "Verified"', () => {
    const html = render(<VerdictView verdict={verdicts['checksum-only']} />);
    const text = textOf(html);
    expect(text).toContain('Matches an unsigned checksum only — not verified by signature');
    expect(text).not.toMatch(/Verified:/);
    expect(tagWith(html, 'data-testid="verdict"')).toContain('verdict--weak');
    expect(text).toContain('HTTP 404');
  });

  it('compact mode keeps the one-liner visible and moves the explanation into the details', () => {
    const html = render(<VerdictView verdict={verdicts.mismatch} compact />);
    const headlineAt = html.indexOf('data-testid="verdict-headline"');
    const detailsAt = html.indexOf('<details');
    const explainAt = html.indexOf('verdict-explain');
    expect(headlineAt).toBeLessThan(detailsAt);
    expect(explainAt).toBeGreaterThan(detailsAt);
  });

  it('renders German', () => {
    const text = textOf(render(<VerdictView verdict={verdicts.verified} />, 'de'));
    expect(text).toContain('Das ist das USB-Image (IMG) von Tails, genau so, wie Tails es signiert hat');
    expect(text).toContain('1,56 GB');
    expect(text).toContain('(1.561.427.968 Bytes)');
    expect(text).toContain('am 18.11.2025, 14:02 signiert');
  });
});

describe('what the verdict says is signed (issue #10)', () => {
  it('a verified IMG says that no signature names the release, and shows the signed-facts row and warnings', () => {
    const html = render(<VerdictView verdict={verdicts.verified} evidenceOpen />);
    expect(html).toContain('data-testid="version-unsigned"');
    expect(html).not.toContain('check that the signature date');
    expect(html).toContain('data-testid="signed-facts"');
    expect(html).toContain('NOT signed (unsigned release description)');
    expect(html).toContain('data-code="signing-key-expires-soon"');
  });

  it('a verified ISO whose version an upgrade description signs says so', () => {
    const v = {
      ...verdicts.verified,
      evidence: {
        ...verdicts.verified.evidence,
        facts: { release: 'upgrade-description', reference: 'upgrade-description', bytes: 'image' },
      },
    } as Verdict;
    const html = render(<VerdictView verdict={v} evidenceOpen />);
    expect(html).toContain('signed too');
    expect(html).toContain('signed (upgrade description signature)');
  });

  it('an incomplete file judged against unsigned data only is amber, not red, and says what was compared', () => {
    const v = {
      ...verdicts.incomplete,
      evidence: {
        ...verdicts.incomplete.evidence,
        signatures: [],
        facts: { release: 'unsigned', reference: 'unsigned' },
      },
    } as Verdict;
    expect(toneOf(v)).toBe('warn');
    expect(render(<VerdictView verdict={v} />)).toContain(
      'unsigned release description: no signature confirms those values',
    );
    const mismatch = {
      ...verdicts.mismatch,
      evidence: {
        ...verdicts.mismatch.evidence,
        signatures: [],
        facts: { release: 'unsigned', reference: 'unsigned' },
      },
    } as Verdict;
    expect(toneOf(mismatch)).toBe('warn');
  });

  it("with the pinned key's image signature contradicting the bytes it stays red, and says why", () => {
    const bad = { over: 'image' as const, good: false, error: { code: 'signature-bad' as const } };
    const v = {
      ...verdicts.mismatch,
      evidence: {
        ...verdicts.mismatch.evidence,
        signatures: [bad],
        facts: { release: 'unsigned', reference: 'unsigned' },
      },
    } as Verdict;
    expect(toneOf(v)).toBe('bad');
    expect(render(<VerdictView verdict={v} />)).toContain('does not match these bytes');
  });

  it('an unreadable signature is amber (could not verify), not red', () => {
    const v: Verdict = {
      kind: 'unverifiable',
      reason: 'signature-unreadable',
      error: { code: 'signature-malformed' },
      evidence: verdicts.unverifiable.evidence,
    };
    expect(toneOf(v)).toBe('warn');
  });
});
