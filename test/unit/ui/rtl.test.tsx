/**
 * Right-to-left readiness, proven with a test-only pseudo-locale (test/helpers/pseudo-rtl.ts):
 * the direction comes from the messages' locale, the stylesheets use logical properties only,
 * and the components render every verdict in it with placeholders, dates and sizes intact.
 * The gallery (npm run ui:gallery) screenshots the same locale.
 */
import { readFileSync } from 'node:fs';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { VERDICT_KINDS } from '../../../src/core/verdict.js';
import { WIDGET_CSS } from '../../../src/embed/styles.js';
import { dictionaryT, dirOf, directionOf, I18nContext, localeOf } from '../../../src/ui-kit/i18n-core.js';
import { VerdictView } from '../../../src/ui-kit/VerdictView.js';
import { ProgressView } from '../../../src/ui-kit/ProgressView.js';
import { PSEUDO_RTL_LOCALE, pseudoRtlMessages, pseudoRtlText } from '../../helpers/pseudo-rtl.js';
import { hashingProgress, verdicts } from './fixtures.js';
import { en, textOf } from './render.js';

const rtl = pseudoRtlMessages(en);
const t = dictionaryT(rtl, PSEUDO_RTL_LOCALE);

/** Physical (left/right) properties that do not follow the writing direction. */
const PHYSICAL =
  /(?:margin|padding|border)-(?:left|right)\b|(?:^|[\s;{])(?:left|right)\s*:|text-align\s*:\s*(?:left|right)|float\s*:\s*(?:left|right)|border-(?:top|bottom)-(?:left|right)-radius/m;

describe('right to left', () => {
  it("takes the direction from the messages' language", () => {
    expect(localeOf(t)).toBe('ar-XB');
    expect(dirOf(t)).toBe('rtl');
    expect(dirOf(dictionaryT(en, 'en'))).toBe('ltr');
    for (const tag of ['ar', 'he', 'fa', 'ur', 'ar-XB']) expect(directionOf(tag), tag).toBe('rtl');
    for (const tag of ['en', 'de', 'ru', 'zh-CN', 'tr', 'pt-BR']) expect(directionOf(tag), tag).toBe('ltr');
    expect(directionOf('not a tag!')).toBe('ltr');
  });

  it('the pseudo-locale keeps placeholders and only mirrors words', () => {
    expect(pseudoRtlText('Checking $FILE$…')).toBe('\u202EChecking\u202C $FILE$…');
    expect(t('verify_hashing', 'tails-amd64-7.2.img')).toContain('tails-amd64-7.2.img');
  });

  it("stylesheets use logical properties only (public/ui.css and the widget's)", () => {
    const css = readFileSync(new URL('../../../public/ui.css', import.meta.url), 'utf8').replace(
      /\/\*[\s\S]*?\*\//g,
      '',
    );
    const offending = css.split('\n').filter((line) => PHYSICAL.test(line));
    expect(offending).toEqual([]);
    expect(
      WIDGET_CSS.replace(/\/\*[\s\S]*?\*\//g, '')
        .split('\n')
        .filter((line) => PHYSICAL.test(line)),
    ).toEqual([]);
  });

  it('renders every verdict with dates and sizes formatted for the locale, no key shown raw', () => {
    for (const kind of VERDICT_KINDS) {
      const html = renderToString(
        <I18nContext.Provider value={t}>
          <VerdictView verdict={verdicts[kind]} evidenceOpen />
        </I18nContext.Provider>,
      );
      const text = textOf(html);
      expect(text, kind).not.toMatch(/\b(?:verdict|ev|err|unverifiable)_[a-z_]+\b/);
      expect(text, kind).toContain('\u202E');
    }
    const verified = textOf(
      renderToString(
        <I18nContext.Provider value={t}>
          <VerdictView verdict={verdicts.verified} evidenceOpen />
        </I18nContext.Provider>,
      ),
    );
    const signed = new Date(verdicts.verified.kind === 'verified' ? verdicts.verified.signer.signatureTime : '');
    const arabicDate = new Intl.DateTimeFormat(PSEUDO_RTL_LOCALE, { dateStyle: 'medium', timeStyle: 'short' }).format(
      signed,
    );
    expect(verified).toContain(arabicDate);
    const progress = textOf(
      renderToString(
        <I18nContext.Provider value={t}>
          <ProgressView progress={hashingProgress} label="x" />
        </I18nContext.Provider>,
      ),
    );
    expect(progress).toContain(
      new Intl.NumberFormat(PSEUDO_RTL_LOCALE, {
        style: 'unit',
        unit: 'megabyte-per-second',
        unitDisplay: 'short',
        maximumFractionDigits: 1,
      })
        .formatToParts(1)
        .find((p) => p.type === 'unit')!.value,
    );
  });
});
