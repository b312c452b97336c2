import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, messageKey } from '../../../src/core/errors.js';
import { dictionaryT, formatMessage, getMessageT, localeOf, type MessageEntry } from '../../../src/ui-kit/i18n-core.js';
import {
  IMAGE_TYPES,
  INPUT_ROLES,
  imageTypeKey,
  inputRoleKey,
  REBUILDER_STATES,
  rebuilderReasonKey,
  rebuilderStateKey,
  SIGNATURE_OVER,
  signatureOverKey,
  UNVERIFIABLE_REASONS,
  unverifiableReasonKey,
  unverifiableTodoKey,
  WRONG_RELEASE_REASONS,
  wrongReleaseReasonKey,
  WARNING_CODES,
  warningKey,
  FACT_SOURCES,
  factSourceKey,
} from '../../../src/ui-kit/labels.js';
import { DOWNLOAD_PHASES, phaseKey } from '../../../src/wire/download.js';
import { REBUILDER_REASONS } from '../../../src/core/repro/types.js';
import { de, en } from './render.js';

/** `$NAME$` references in a message, lower-cased as browsers match them. */
function referencedPlaceholders(entry: MessageEntry): string[] {
  return [...entry.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]!.toLowerCase()).sort();
}

function placeholderShape(entry: MessageEntry): string {
  return JSON.stringify(
    Object.entries(entry.placeholders ?? {})
      .map(([name, p]) => [name.toLowerCase(), p.content])
      .sort(),
  );
}

describe('locales', () => {
  it('en and de have exactly the same keys', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
  });

  it('every message is a non-empty string in both languages', () => {
    for (const messages of [en, de]) {
      for (const [key, entry] of Object.entries(messages)) {
        expect(typeof entry.message, key).toBe('string');
        expect(entry.message.trim().length, key).toBeGreaterThan(0);
      }
    }
  });

  it('placeholders match between en and de and every reference is defined', () => {
    for (const [key, entry] of Object.entries(en)) {
      const german = de[key]!;
      expect(placeholderShape(german), key).toBe(placeholderShape(entry));
      expect(referencedPlaceholders(german), key).toEqual(referencedPlaceholders(entry));
      const defined = Object.keys(entry.placeholders ?? {}).map((name) => name.toLowerCase());
      for (const name of referencedPlaceholders(entry)) expect(defined, `${key} uses $${name}$`).toContain(name);
    }
  });

  it('German is translated, not copied (apart from names and pure placeholders)', () => {
    const same = Object.keys(en).filter(
      (key) => en[key]!.message === de[key]!.message && /[a-z]{3}/.test(en[key]!.message.replace(/\$[A-Z_]+\$/g, '')),
    );
    expect(same.filter((key) => !['extName', 'ev_problem'].includes(key))).toEqual([]);
  });

  it('every ERROR_CODE has an err_* message', () => {
    for (const code of ERROR_CODES) {
      expect(en[messageKey(code)], code).toBeDefined();
      expect(de[messageKey(code)], code).toBeDefined();
    }
  });

  it('every enum label the components ask for exists', () => {
    const keys = [
      ...UNVERIFIABLE_REASONS.flatMap((r) => [unverifiableReasonKey(r), unverifiableTodoKey(r)]),
      ...WRONG_RELEASE_REASONS.map(wrongReleaseReasonKey),
      ...INPUT_ROLES.map(inputRoleKey),
      ...SIGNATURE_OVER.map(signatureOverKey),
      ...REBUILDER_STATES.map(rebuilderStateKey),
      ...REBUILDER_REASONS.filter((r) => r !== 'error').map(rebuilderReasonKey),
      ...DOWNLOAD_PHASES.map(phaseKey),
      ...IMAGE_TYPES.map(imageTypeKey),
      ...WARNING_CODES.map(warningKey),
      ...FACT_SOURCES.map(factSourceKey),
    ];
    expect(keys.filter((key) => !(key in en))).toEqual([]);
  });

  it("every literal t('key') in src/ui exists in en", () => {
    const root = new URL('../../../src/ui/', import.meta.url).pathname;
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.tsx?$/.test(name)) files.push(path);
      }
    };
    walk(root);
    const used = new Set<string>();
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      // t('key'…) and keys chosen by a ternary inside t(…)
      for (const m of source.matchAll(/\bt\(\s*'([A-Za-z0-9_]+)'/g)) used.add(m[1]!);
      for (const m of source.matchAll(/\bt\([^)]*?\?\s*'([A-Za-z0-9_]+)'\s*:\s*'([A-Za-z0-9_]+)'/g)) {
        used.add(m[1]!);
        used.add(m[2]!);
      }
    }
    expect(used.size).toBeGreaterThan(60);
    expect([...used].filter((key) => !(key in en))).toEqual([]);
  });
});

describe('message formatting', () => {
  it('fills named placeholders from positional substitutions', () => {
    const entry: MessageEntry = {
      message: 'Verified: $RELEASE$, signed by $Signer$',
      placeholders: { release: { content: '$1' }, signer: { content: '$2' } },
    };
    expect(formatMessage(entry, ['Tails 7.2', 'Tails'])).toBe('Verified: Tails 7.2, signed by Tails');
  });

  it('does not re-interpret substituted text and keeps $$ as a dollar', () => {
    const entry: MessageEntry = { message: 'Cost $$5 for $NAME$', placeholders: { name: { content: '$1' } } };
    expect(formatMessage(entry, '$NAME$ $1')).toBe('Cost $5 for $NAME$ $1');
  });

  it('dictionaryT returns the key for a missing message and answers @@ui_locale', () => {
    const t = dictionaryT(en, 'de_DE');
    expect(t('no_such_key')).toBe('no_such_key');
    expect(t('@@ui_locale')).toBe('de_DE');
    expect(t('verdict_mismatch', 'Tails')).toBe('Do not use this file: it is not the file Tails published');
  });

  it('getMessageT passes string substitutions and falls back to the key on ""', () => {
    const calls: unknown[] = [];
    const t = getMessageT((key, subs) => {
      calls.push([key, subs]);
      return key === 'known' ? 'yes' : '';
    });
    expect(t('known', [2, 'x'])).toBe('yes');
    expect(calls).toContainEqual(['known', ['2', 'x']]);
    expect(t('unknown')).toBe('unknown');
  });

  it("writes number substitutions in the messages' language (locale_tag), not the browser's", () => {
    const calls: unknown[] = [];
    const t = getMessageT((key, subs) => {
      calls.push([key, subs]);
      if (key === 'locale_tag') return 'de';
      if (key === '@@ui_locale') return 'en_US';
      return 'x';
    });
    t('count', [1234567, '1234']);
    expect(calls).toContainEqual(['count', ['1.234.567', '1234']]);
    expect(localeOf(t)).toBe('de');
    expect(localeOf(getMessageT((key) => (key === '@@ui_locale' ? 'pt_BR' : '')))).toBe('pt-BR');
    expect(localeOf(dictionaryT({ locale_tag: { message: 'ru' } }, 'en'))).toBe('ru');
    expect(dictionaryT({ n: { message: '$1 Dateien' }, locale_tag: { message: 'de' } })('n', 12345)).toBe(
      '12.345 Dateien',
    );
  });
});
