/**
 * A right-to-left pseudo-locale for tests and the UI gallery only (never shipped): English
 * messages whose words are wrapped in RIGHT-TO-LEFT OVERRIDE … POP DIRECTIONAL FORMATTING, so
 * they render mirrored like a right-to-left script while staying recognisable (the idea of
 * Chromium's "ar-XB"). Placeholders (`$NAME$`, `$1`) are left alone, so substituted file names,
 * URLs and fingerprints show as they really would inside right-to-left text. Its locale_tag is
 * "ar-XB": dates and numbers are formatted as Arabic, and the direction is right to left.
 */
import type { MessagesJson } from '../../src/ui-kit/i18n-core.js';

export const PSEUDO_RTL_LOCALE = 'ar-XB';
const RLO = '\u202E';
const PDF = '\u202C';

/** Wrap every run of letters outside placeholders in RLO…PDF. */
export function pseudoRtlText(text: string): string {
  return text
    .split(/(\$[A-Za-z0-9_@]+\$|\$\d|\$\$)/)
    .map((part, index) =>
      index % 2 === 1 ? part : part.replace(/[\p{L}][\p{L}\p{M}'’-]*/gu, (word) => `${RLO}${word}${PDF}`),
    )
    .join('');
}

export function pseudoRtlMessages(english: MessagesJson): MessagesJson {
  const out: MessagesJson = {};
  for (const [key, entry] of Object.entries(english)) {
    out[key] =
      key === 'locale_tag' ? { message: PSEUDO_RTL_LOCALE } : { ...entry, message: pseudoRtlText(entry.message) };
  }
  return out;
}
