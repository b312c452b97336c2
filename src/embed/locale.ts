/**
 * The widget speaks the page's language where the extension has a translation: the `lang`
 * attribute, else `<html lang>`, else English. English is bundled (it is also the fallback for
 * a missing key); other languages are separate chunks loaded on demand.
 */
import enMessages from '../../public/_locales/en/messages.json';
import { dictionaryT, type MessagesJson, type Translate } from '../ui-kit/i18n-core.js';

export const WIDGET_LOCALES = ['en', 'de'] as const;
export type WidgetLocale = (typeof WIDGET_LOCALES)[number];

const en = enMessages as unknown as MessagesJson;

/** The first supported language among the candidates (BCP 47 tags, e.g. "de-CH" → de). */
export function pickLocale(...candidates: Array<string | null | undefined>): WidgetLocale {
  for (const candidate of candidates) {
    const primary = candidate?.trim().toLowerCase().split(/[-_]/)[0];
    const match = WIDGET_LOCALES.find((locale) => locale === primary);
    if (match) return match;
  }
  return 'en';
}

/** A translator that falls back to English for keys the language lacks. */
export function withFallback(messages: MessagesJson, locale: string): Translate {
  const own = dictionaryT(messages, locale);
  const fallback = dictionaryT(en, locale);
  return (key, substitutions) => (Object.hasOwn(messages, key) ? own(key, substitutions) : fallback(key, substitutions));
}

export const englishT: Translate = withFallback(en, 'en');

export async function loadTranslate(locale: WidgetLocale): Promise<Translate> {
  if (locale === 'en') return englishT;
  const module = (await import(/* webpackChunkName: "iso-verify-embed-de" */ '../../public/_locales/de/messages.json')) as { default: unknown };
  return withFallback(module.default as MessagesJson, locale);
}
