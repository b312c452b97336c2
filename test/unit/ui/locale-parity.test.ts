/**
 * Every locale has exactly English's keys, with the same placeholders, in English's order.
 * A failure lists what each locale lacks (the same report as `npx tsx scripts/locale-gaps.ts`).
 */
import { describe, expect, it } from 'vitest';
import { describeGaps, hasGaps, listLocales, localeGaps, readMessages } from '../../../scripts/locale-gaps.js';
import { WIDGET_LOCALES } from '../../../src/embed/locale.js';

/** The languages of tails.net. */
const TAILS_LANGUAGES = ['de', 'en', 'es', 'fr', 'it', 'pt_BR', 'ru', 'tr', 'zh_CN'];

describe('locale parity', () => {
  it('ships the languages of tails.net, and the widget offers each of them', () => {
    expect(listLocales()).toEqual(TAILS_LANGUAGES);
    expect([...WIDGET_LOCALES].sort()).toEqual(TAILS_LANGUAGES);
  });

  it("every locale has every key of en with the same placeholders, no extra key, in en's order", () => {
    const gaps = localeGaps();
    const report = describeGaps(gaps);
    if (report) console.error(`Locale gaps (fill them, or run npx tsx scripts/locale-gaps.ts):\n${report}`);
    expect(
      gaps.filter(hasGaps).map((g) => g.locale),
      report,
    ).toEqual([]);
  });

  it('every locale names its own language in locale_tag (dates and numbers follow it)', () => {
    for (const locale of listLocales()) {
      const tag = readMessages(locale).locale_tag?.message;
      expect(tag, locale).toBe(locale.replace('_', '-'));
      expect(Intl.getCanonicalLocales(tag!)[0], locale).toBe(tag);
    }
  });

  it('translations are translated: few messages equal to English apart from names and placeholders', () => {
    const en = readMessages('en');
    const allowed = new Set(['extName', 'ev_problem', 'mirror_status_ok', 'locale_tag']);
    for (const locale of listLocales().filter((l) => l !== 'en')) {
      const messages = readMessages(locale);
      const same = Object.keys(en).filter(
        (key) =>
          !allowed.has(key) &&
          messages[key]?.message === en[key]!.message &&
          /[a-z]{4}/.test(en[key]!.message.replace(/\$[A-Z_]+\$/g, '')),
      );
      // A few technical words are the same in several languages ("Status", "Hash"): at most 4.
      expect(same.length, `${locale}: ${same.join(', ')}`).toBeLessThanOrEqual(4);
    }
  });
});
