/**
 * The widget speaks the page's language where the extension has a translation: the `lang`
 * attribute, else `<html lang>`, else English. English is bundled (it is also the fallback for
 * a missing key); other languages are separate chunks loaded on demand.
 */
import enMessages from '../../public/_locales/en/messages.json';
import { dictionaryT, LOCALE_TAG_KEY, type MessagesJson, type Translate } from '../ui-kit/i18n-core.js';

/** The languages of tails.net, as public/_locales names them. */
export const WIDGET_LOCALES = ['en', 'de', 'es', 'fr', 'it', 'pt_BR', 'ru', 'tr', 'zh_CN'] as const;
export type WidgetLocale = (typeof WIDGET_LOCALES)[number];

const en = enMessages as unknown as MessagesJson;

/**
 * The first supported language among the candidates (BCP 47 tags): by primary language, so
 * "de-CH" → de, "pt" and "pt-PT" → pt_BR, any "zh" (zh-Hans, zh-TW, zh-CN) → zh_CN (the one
 * Chinese tails.net has).
 */
export function pickLocale(...candidates: Array<string | null | undefined>): WidgetLocale {
  for (const candidate of candidates) {
    const primary = candidate?.trim().toLowerCase().split(/[-_]/)[0];
    const match = WIDGET_LOCALES.find((locale) => locale.toLowerCase().split('_')[0] === primary);
    if (match) return match;
  }
  return 'en';
}

/** A translator that falls back to English for keys the language lacks. */
export function withFallback(messages: MessagesJson, locale: string): Translate {
  const own = dictionaryT(messages, locale);
  // English words for a missing key, but numbers still in the page's language.
  const fallback = dictionaryT(
    messages[LOCALE_TAG_KEY] ? { ...en, [LOCALE_TAG_KEY]: messages[LOCALE_TAG_KEY] } : en,
    locale,
  );
  return (key, substitutions) =>
    Object.hasOwn(messages, key) ? own(key, substitutions) : fallback(key, substitutions);
}

export const englishT: Translate = withFallback(en, 'en');

/** Each language is its own chunk (iso-verify-embed-<locale>.js), fetched only when the page speaks it. */
function loadMessages(locale: Exclude<WidgetLocale, 'en'>): Promise<{ default: unknown }> {
  switch (locale) {
    case 'de':
      return import(/* webpackChunkName: "iso-verify-embed-de" */ '../../public/_locales/de/messages.json');
    case 'es':
      return import(/* webpackChunkName: "iso-verify-embed-es" */ '../../public/_locales/es/messages.json');
    case 'fr':
      return import(/* webpackChunkName: "iso-verify-embed-fr" */ '../../public/_locales/fr/messages.json');
    case 'it':
      return import(/* webpackChunkName: "iso-verify-embed-it" */ '../../public/_locales/it/messages.json');
    case 'pt_BR':
      return import(/* webpackChunkName: "iso-verify-embed-pt_BR" */ '../../public/_locales/pt_BR/messages.json');
    case 'ru':
      return import(/* webpackChunkName: "iso-verify-embed-ru" */ '../../public/_locales/ru/messages.json');
    case 'tr':
      return import(/* webpackChunkName: "iso-verify-embed-tr" */ '../../public/_locales/tr/messages.json');
    case 'zh_CN':
      return import(/* webpackChunkName: "iso-verify-embed-zh_CN" */ '../../public/_locales/zh_CN/messages.json');
  }
}

export async function loadTranslate(locale: WidgetLocale): Promise<Translate> {
  if (locale === 'en') return englishT;
  const module = await loadMessages(locale);
  return withFallback(module.default as MessagesJson, locale.replace('_', '-'));
}
