/**
 * Translation for UI components, free of extension APIs so the website widget can reuse the
 * components. Components call `useT()`; the page decides where strings come from:
 * `dictionaryT(messagesJson)` outside the extension, `extensionT` (src/ui/i18n.ts) inside it.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Substitutions = string | number | ReadonlyArray<string | number>;

/** Look up a message by key; `$1`…`$9` and named placeholders are filled from substitutions. */
export type Translate = (key: string, substitutions?: Substitutions) => string;

/** One entry of a WebExtension `messages.json`. */
export interface MessageEntry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
export type MessagesJson = Record<string, MessageEntry>;

/**
 * Normalise substitutions to the string array that `i18n.getMessage` takes. Numbers are
 * written for `locale` (grouping, digits) when it is given, so "3 von 12" and "1 234" read as
 * the UI language writes them.
 */
export function substitutionList(substitutions?: Substitutions, locale?: string): string[] {
  if (substitutions === undefined) return [];
  const list = typeof substitutions === 'string' || typeof substitutions === 'number' ? [substitutions] : substitutions;
  const numbers = locale === undefined ? undefined : new Intl.NumberFormat(locale);
  return list.map((value) =>
    typeof value === 'number' && numbers && Number.isFinite(value) ? numbers.format(value) : String(value),
  );
}

function fillPositional(text: string, values: string[]): string {
  return text.replace(/\$(\d)/g, (_whole, digit: string) => values[Number(digit) - 1] ?? '');
}

/**
 * Fill a message the way browsers do: named `$NAME$` placeholders expand to their `content`,
 * whose `$1`…`$9` take the substitutions; `$$` is a literal dollar.
 */
export function formatMessage(entry: MessageEntry, substitutions?: Substitutions, locale?: string): string {
  const values = substitutionList(substitutions, locale);
  const placeholders = new Map<string, string>();
  for (const [name, placeholder] of Object.entries(entry.placeholders ?? {})) {
    placeholders.set(name.toLowerCase(), fillPositional(placeholder.content, values));
  }
  // One pass over the message so substituted text is never re-interpreted.
  return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$|\$(\d)/g, (whole, name?: string, digit?: string) => {
    if (whole === '$$') return '$';
    if (name !== undefined) return placeholders.get(name.toLowerCase()) ?? '';
    return values[Number(digit) - 1] ?? '';
  });
}

/**
 * A translator over a parsed messages.json, for pages outside the extension. A missing key
 * returns the key itself so a gap is visible instead of silently blank.
 * `@@ui_locale` answers `locale`, as it does in extensions.
 */
export function dictionaryT(messages: MessagesJson, locale = 'en'): Translate {
  const numbersIn = tagOf(messages[LOCALE_TAG_KEY]?.message) ?? canonical(locale) ?? 'en';
  return (key, substitutions) => {
    if (key === '@@ui_locale') return locale;
    if (key === '@@bidi_dir') return directionOf(numbersIn);
    const entry = messages[key];
    return entry ? formatMessage(entry, substitutions, numbersIn) : key;
  };
}

/** A translator over a `getMessage(key, substitutions)` function such as `browser.i18n.getMessage`. */
export function getMessageT(getMessage: (key: string, substitutions?: string | string[]) => string): Translate {
  let locale: string | undefined;
  const translate: Translate = (key, substitutions) => {
    const numeric =
      typeof substitutions === 'number' ||
      (Array.isArray(substitutions) && substitutions.some((v) => typeof v === 'number'));
    if (numeric) locale ??= localeOf(translate);
    const text = getMessage(key, substitutionList(substitutions, numeric ? locale : undefined));
    return text === '' ? key : text;
  };
  return translate;
}

/** Used when no provider is mounted: shows keys, which makes a missing provider obvious. */
const keysOnly: Translate = (key, substitutions) => {
  const values = substitutionList(substitutions);
  return values.length ? `${key}(${values.join(', ')})` : key;
};

export const I18nContext = createContext<Translate>(keysOnly);

export function useT(): Translate {
  return useContext(I18nContext);
}

/**
 * Every messages.json names its own language in this key ("de", "pt-BR", …). Dates and
 * numbers follow it, so they are always in the language of the text around them: the
 * browser's `@@ui_locale` is the browser's language, which differs from the messages' when
 * the extension has no translation for it (English text, French dates) or when the browser
 * picked a translation for a language its own interface does not use.
 */
export const LOCALE_TAG_KEY = 'locale_tag';

function canonical(tag: string | undefined): string | undefined {
  if (!tag || tag.startsWith('@@')) return undefined;
  try {
    return Intl.getCanonicalLocales(tag.replace(/_/g, '-'))[0];
  } catch {
    return undefined;
  }
}

function tagOf(message: string | undefined): string | undefined {
  return message === LOCALE_TAG_KEY ? undefined : canonical(message?.trim());
}

/** BCP 47 tag of the UI language (the messages' own), for number and date formatting. */
export function localeOf(t: Translate): string {
  return tagOf(t(LOCALE_TAG_KEY)) ?? canonical(t('@@ui_locale')) ?? 'en';
}

/** Scripts written right to left, for engines without `Intl.Locale` text info. */
const RTL_SCRIPTS = new Set(['Arab', 'Hebr', 'Thaa', 'Syrc', 'Nkoo', 'Adlm', 'Rohg', 'Mand', 'Samr']);
const RTL_LANGUAGES = new Set(['ar', 'he', 'iw', 'fa', 'ur', 'ps', 'sd', 'ug', 'yi', 'dv', 'ckb', 'ku', 'syr', 'ks']);

/** Writing direction of a language: `Intl.Locale` text info where the engine has it, else a table. */
export function directionOf(locale: string): 'ltr' | 'rtl' {
  try {
    const info = new Intl.Locale(locale) as Intl.Locale & {
      getTextInfo?: () => { direction?: string };
      textInfo?: { direction?: string };
    };
    const direction = info.getTextInfo?.().direction ?? info.textInfo?.direction;
    if (direction === 'rtl' || direction === 'ltr') return direction;
    const maximized = info.maximize();
    if (maximized.script) return RTL_SCRIPTS.has(maximized.script) ? 'rtl' : 'ltr';
    return RTL_LANGUAGES.has(info.language) ? 'rtl' : 'ltr';
  } catch {
    return 'ltr';
  }
}

/** `dir` for the UI: the direction of the messages' language. */
export function dirOf(t: Translate): 'ltr' | 'rtl' {
  return directionOf(localeOf(t));
}
