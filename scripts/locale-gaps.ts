/**
 * What each translation lacks compared with English (public/_locales/en/messages.json, the
 * source): missing keys, keys English no longer has, placeholders that differ, and keys out of
 * English's order. `npx tsx scripts/locale-gaps.ts [locale…]` prints them per locale and exits 1
 * when there is any gap; the parity test (test/unit/ui/locale-parity.test.ts) uses the same check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const LOCALES_DIR = resolve(import.meta.dirname, '../public/_locales');

interface Entry {
  message: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
type Messages = Record<string, Entry>;

export interface LocaleGaps {
  locale: string;
  /** Keys English has and this locale does not (in English's order). */
  missing: string[];
  /** Keys this locale has and English does not. */
  extra: string[];
  /** Keys whose placeholders (names, contents, or the `$NAME$`s the message uses) differ from English's. */
  placeholders: string[];
  /** Keys present in both with an empty message. */
  empty: string[];
  /** True when the keys both have are not in English's order. */
  outOfOrder: boolean;
}

export function readMessages(locale: string, dir = LOCALES_DIR): Messages {
  return JSON.parse(readFileSync(join(dir, locale, 'messages.json'), 'utf8')) as Messages;
}

export function listLocales(dir = LOCALES_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** The `$NAME$` placeholders a message uses, lower-cased as browsers match them. */
export function usedPlaceholders(entry: Entry): string[] {
  return [...new Set([...entry.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]!.toLowerCase()))].sort();
}

/** Names and contents of the defined placeholders (examples are notes, they may differ). */
export function placeholderShape(entry: Entry): string {
  return JSON.stringify(
    Object.entries(entry.placeholders ?? {})
      .map(([name, p]) => [name.toLowerCase(), p.content])
      .sort(),
  );
}

export function gapsOf(locale: string, messages: Messages, english: Messages): LocaleGaps {
  const englishKeys = Object.keys(english);
  const own = Object.keys(messages);
  const missing = englishKeys.filter((key) => !Object.hasOwn(messages, key));
  const extra = own.filter((key) => !Object.hasOwn(english, key));
  const shared = own.filter((key) => Object.hasOwn(english, key));
  const placeholders = shared.filter((key) => {
    const mine = messages[key]!;
    const theirs = english[key]!;
    return (
      placeholderShape(mine) !== placeholderShape(theirs) ||
      usedPlaceholders(mine).join() !== usedPlaceholders(theirs).join()
    );
  });
  const empty = shared.filter(
    (key) => typeof messages[key]!.message !== 'string' || messages[key]!.message.trim() === '',
  );
  const order = englishKeys.filter((key) => Object.hasOwn(messages, key));
  return { locale, missing, extra, placeholders, empty, outOfOrder: order.join('\n') !== shared.join('\n') };
}

export function hasGaps(gaps: LocaleGaps): boolean {
  return gaps.missing.length + gaps.extra.length + gaps.placeholders.length + gaps.empty.length > 0 || gaps.outOfOrder;
}

/** Every locale's gaps against English. */
export function localeGaps(locales = listLocales(), dir = LOCALES_DIR): LocaleGaps[] {
  const english = readMessages('en', dir);
  return locales.filter((l) => l !== 'en').map((locale) => gapsOf(locale, readMessages(locale, dir), english));
}

/** A readable report, one block per locale with gaps. */
export function describeGaps(all: LocaleGaps[]): string {
  const lines: string[] = [];
  for (const g of all.filter(hasGaps)) {
    lines.push(`${g.locale}:`);
    if (g.missing.length) lines.push(`  missing (${g.missing.length}): ${g.missing.join(', ')}`);
    if (g.extra.length) lines.push(`  not in en (${g.extra.length}): ${g.extra.join(', ')}`);
    if (g.placeholders.length)
      lines.push(`  placeholders differ (${g.placeholders.length}): ${g.placeholders.join(', ')}`);
    if (g.empty.length) lines.push(`  empty (${g.empty.length}): ${g.empty.join(', ')}`);
    if (g.outOfOrder) lines.push("  keys not in en's order");
  }
  return lines.join('\n');
}

function main(): void {
  const wanted = process.argv.slice(2);
  const all = localeGaps(wanted.length ? wanted : undefined);
  const report = describeGaps(all);
  if (report) {
    console.log(report);
    process.exitCode = 1;
  } else {
    console.log(`no gaps: ${all.map((g) => g.locale).join(', ')} have every key of en`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
