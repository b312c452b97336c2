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

/** Normalise substitutions to the string array that `i18n.getMessage` takes. */
export function substitutionList(substitutions?: Substitutions): string[] {
  if (substitutions === undefined) return [];
  if (typeof substitutions === 'string' || typeof substitutions === 'number') return [String(substitutions)];
  return substitutions.map(String);
}

function fillPositional(text: string, values: string[]): string {
  return text.replace(/\$(\d)/g, (_whole, digit: string) => values[Number(digit) - 1] ?? '');
}

/**
 * Fill a message the way browsers do: named `$NAME$` placeholders expand to their `content`,
 * whose `$1`…`$9` take the substitutions; `$$` is a literal dollar.
 */
export function formatMessage(entry: MessageEntry, substitutions?: Substitutions): string {
  const values = substitutionList(substitutions);
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
  return (key, substitutions) => {
    if (key === '@@ui_locale') return locale;
    const entry = messages[key];
    return entry ? formatMessage(entry, substitutions) : key;
  };
}

/** A translator over a `getMessage(key, substitutions)` function such as `browser.i18n.getMessage`. */
export function getMessageT(getMessage: (key: string, substitutions?: string | string[]) => string): Translate {
  return (key, substitutions) => {
    const text = getMessage(key, substitutionList(substitutions));
    return text === '' ? key : text;
  };
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

/** BCP 47 tag of the UI language, for number and date formatting. */
export function localeOf(t: Translate): string {
  const raw = t('@@ui_locale');
  return raw && !raw.startsWith('@@') ? raw.replace(/_/g, '-') : 'en';
}
