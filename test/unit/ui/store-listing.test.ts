/**
 * The store listings (store/_locales/<lang>/listing.json, issue #24 goal 4): every language of
 * the extension has one, with exactly English's keys in English's order, no empty message, the
 * stores' length limits respected, the English-only entries left as they are, the rest
 * translated, and the browser settings it quotes named exactly as the extension's own messages
 * in that language name them (both are taken from the browsers' localizations).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listLocales, readMessages } from '../../../scripts/locale-gaps.js';

const STORE_DIR = resolve(import.meta.dirname, '../../../store/_locales');

type Listing = Record<string, { message: string; description: string }>;

function readListing(lang: string): Listing {
  return JSON.parse(readFileSync(join(STORE_DIR, lang, 'listing.json'), 'utf8')) as Listing;
}

const languages = readdirSync(STORE_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const english = readListing('en');

/** Entries that stay as in English: the product name, the categories to pick and the Chrome Web Store privacy tab (its dashboard is English only). */
const untranslated = (key: string): boolean => key === 'name' || key === 'amo_categories' || key.startsWith('cws_');

/** The stores' limits: AMO name ≤ 50, Chrome Web Store summary ≤ 132, detailed description ≤ 16,000 characters. */
const LIMITS: Record<string, number> = { name: 50, summary: 132 };
const DESCRIPTION_LIMIT = 16_000;

/** Characters as the stores count them (code points, not UTF-16 units). */
const length = (text: string): number => [...text].length;

/** The limit a key's description announces to the translator ("At most 90 characters."). */
function announcedLimit(key: string): number | undefined {
  const match = /at most (\d+) characters/i.exec(english[key]!.description);
  return match ? Number(match[1]) : undefined;
}

/** The long description as it is pasted into both stores. */
function longDescription(listing: Listing): string {
  return Object.keys(listing)
    .filter((key) => key.startsWith('description_'))
    .map((key) => listing[key]!.message)
    .join('\n\n');
}

/** Text between quotation marks of any of the languages' styles: “…”, „…“, «…», « … ». */
function quoted(text: string): string[] {
  return [...text.matchAll(/[“„«]\s*([^“”„«»]+?)\s*[”“»]/g)].map((m) => m[1]!.replace(/\s+/g, ' '));
}

describe('store listings', () => {
  it('exist for every language of the extension', () => {
    expect(languages).toEqual(listLocales());
  });

  it('announce the stores’ limits to translators (summary ≤ 132, captions ≤ 90)', () => {
    expect(announcedLimit('summary')).toBe(132);
    for (const n of [1, 2, 3]) expect(announcedLimit(`screenshot_${n}`)).toBe(90);
  });

  describe.each(languages)('%s', (lang) => {
    const listing = readListing(lang);

    it('has exactly English’s keys, in English’s order', () => {
      expect(Object.keys(listing)).toEqual(Object.keys(english));
    });

    it('has no empty message or description', () => {
      const empty = Object.entries(listing)
        .filter(([, entry]) => !entry.message?.trim() || !entry.description?.trim())
        .map(([key]) => key);
      expect(empty).toEqual([]);
    });

    it('stays within the stores’ limits', () => {
      const over = Object.keys(english)
        .map((key) => ({ key, limit: LIMITS[key] ?? announcedLimit(key), length: length(listing[key]?.message ?? '') }))
        .filter((k) => k.limit !== undefined && k.length > k.limit);
      expect(over).toEqual([]);
      expect(length(longDescription(listing))).toBeLessThanOrEqual(DESCRIPTION_LIMIT);
    });

    // English is the source: there is nothing to compare it with (not a skipped test, no test).
    if (lang !== 'en')
      it('keeps the English-only entries and translates the others', () => {
        const changed = Object.keys(english).filter(
          (key) => untranslated(key) && listing[key]!.message !== english[key]!.message,
        );
        expect(changed).toEqual([]);
        const same = Object.keys(english).filter(
          (key) => !untranslated(key) && listing[key]!.message === english[key]!.message,
        );
        // A word can be the same in two languages (Italian "Privacy"): at most one.
        expect(same.length, same.join(', ')).toBeLessThanOrEqual(1);
      });

    it('names the private-window settings exactly as the extension does in this language', () => {
      const labels = quoted(listing.description_private!.message);
      expect(labels.length, 'the Firefox and the Chrome setting').toBe(2);
      const messages = readMessages(lang);
      const extension = [
        messages.options_private_not_allowed_firefox!.message,
        messages.options_private_not_allowed_chrome!.message,
      ]
        .flatMap(quoted)
        .map((label) => label.replace(/\s+/g, ' '));
      for (const label of labels) expect(extension, label).toContain(label);
    });
  });

  it('has the screenshots of every language, 1280×800 PNG', () => {
    const shots = resolve(STORE_DIR, '../screenshots');
    for (const lang of languages) {
      const dir = join(shots, lang);
      expect(existsSync(dir) ? readdirSync(dir).sort() : [], lang).toEqual(['1.png', '2.png', '3.png']);
      for (const file of ['1.png', '2.png', '3.png']) {
        const png = readFileSync(join(dir, file));
        // The IHDR chunk: width and height, big-endian, at bytes 16 and 20.
        expect([png.readUInt32BE(16), png.readUInt32BE(20)], `${lang}/${file}`).toEqual([1280, 800]);
      }
    }
  });
});
