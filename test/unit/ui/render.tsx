/** Render a component to HTML with the real English (or German) messages. */
import { readFileSync } from 'node:fs';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { dictionaryT, I18nContext, type MessagesJson } from '../../../src/ui-kit/i18n-core.js';

export function loadMessages(locale: 'en' | 'de'): MessagesJson {
  return JSON.parse(
    readFileSync(new URL(`../../../public/_locales/${locale}/messages.json`, import.meta.url), 'utf8'),
  ) as MessagesJson;
}

export const en = loadMessages('en');
export const de = loadMessages('de');
export const tEn = dictionaryT(en, 'en');

export function render(node: VNode, locale: 'en' | 'de' = 'en'): string {
  const t = locale === 'en' ? tEn : dictionaryT(de, 'de');
  return renderToString(<I18nContext.Provider value={t}>{node}</I18nContext.Provider>);
}

/** Visible text, tags stripped and entities decoded, whitespace collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** The opening tag of the first element carrying `attribute`. */
export function tagWith(html: string, attribute: string): string | undefined {
  return html.match(new RegExp(`<[a-z]+[^>]*\\b${attribute}[^>]*>`))?.[0];
}
