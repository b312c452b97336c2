import { describe, expect, it } from 'vitest';
import { readWidgetConfig, splitFingerprints, type WidgetAttribute } from '../../../src/embed/config.js';
import { pickLocale, englishT, loadTranslate } from '../../../src/embed/locale.js';
import { dirOf, localeOf } from '../../../src/ui-kit/i18n-core.js';
import { formatDate } from '../../../src/ui-kit/format.js';

const PAGE = 'http://127.0.0.1:8470/install/';
const FPR = '0099E3EB76222469F6AA643F8A14A0B7A189E99C';
const PATTERN = '^tails-amd64-(?<version>[0-9][0-9a-z.~+-]*)\\.(?<type>img|iso)$';

const demoAttributes: Partial<Record<WidgetAttribute, string>> = {
  product: 'Tails',
  'description-url': '/install/v2/Tails/amd64/stable/latest.json',
  'signature-url': '/install/v2/Tails/amd64/stable/latest.json.sig',
  'image-signature-url': '/torrents/files/{file}.sig',
  'key-url': '/demo-signing.key',
  fingerprints: FPR,
  'image-pattern': PATTERN,
};

function read(attrs: Partial<Record<WidgetAttribute, string>>, page = PAGE) {
  return readWidgetConfig((name) => attrs[name] ?? null, page);
}

describe('widget configuration', () => {
  it('builds a profile of the page’s own site with absolute URLs', () => {
    const { profile, lang } = read(demoAttributes);
    expect(lang).toBeUndefined();
    expect(profile).toMatchObject({
      id: 'site',
      product: 'Tails',
      officialSite: 'http://127.0.0.1:8470',
      channel: 'stable',
      architecture: 'amd64',
      descriptionUrl: 'http://127.0.0.1:8470/install/v2/Tails/amd64/stable/latest.json',
      descriptionSignatureUrl: 'http://127.0.0.1:8470/install/v2/Tails/amd64/stable/latest.json.sig',
      imageSignatureUrl: 'http://127.0.0.1:8470/torrents/files/{file}.sig',
      keyUrl: 'http://127.0.0.1:8470/demo-signing.key',
      pinnedFingerprints: [FPR],
      imagePattern: PATTERN,
      rebuilders: [],
    });
  });

  it('takes several fingerprints, channel, architecture and lang', () => {
    const other = 'A'.repeat(40);
    const { profile, lang } = read({
      ...demoAttributes,
      fingerprints: ` ${FPR.toLowerCase()}  ${other},${FPR} `,
      channel: 'alpha',
      architecture: 'arm64',
      lang: 'de',
    });
    expect(profile.pinnedFingerprints).toEqual([FPR, other]);
    expect(profile).toMatchObject({ channel: 'alpha', architecture: 'arm64' });
    expect(lang).toBe('de');
    expect(splitFingerprints('a, b  c')).toEqual(['a', 'b', 'c']);
  });

  it('refuses URLs on another origin: the site is the widget’s trust root', () => {
    for (const name of ['description-url', 'signature-url', 'image-signature-url', 'key-url'] as const) {
      expect(() => read({ ...demoAttributes, [name]: 'https://evil.example/x' }), name).toThrow(
        new RegExp(`profile-invalid: ${name}`),
      );
    }
    expect(() => read({ ...demoAttributes, 'key-url': '//evil.example/key' })).toThrow(/key-url/);
  });

  it('refuses missing or malformed attributes with the attribute’s name', () => {
    for (const name of ['product', 'description-url', 'key-url', 'fingerprints', 'image-pattern'] as const) {
      const attrs = { ...demoAttributes };
      delete attrs[name];
      expect(() => read(attrs), name).toThrow(new RegExp(`attribute ${name} is missing`));
    }
    expect(() => read({ ...demoAttributes, fingerprints: 'F00' })).toThrow(/fingerprints/);
    expect(() => read({ ...demoAttributes, 'image-pattern': 'tails.*' })).toThrow(/imagePattern|anchored/);
    expect(() => read({ ...demoAttributes, 'image-signature-url': '/sig/{path}' })).toThrow(/image-signature-url/);
  });

  it('refuses a page that is neither https nor loopback http', () => {
    expect(() => read(demoAttributes, 'http://tails.example/install/')).toThrow(/profile-invalid/);
    expect(read(demoAttributes, 'https://tails.example/install/').profile.descriptionUrl).toBe(
      'https://tails.example/install/v2/Tails/amd64/stable/latest.json',
    );
  });
});

describe('widget language', () => {
  it('picks the first supported language', () => {
    expect(pickLocale(undefined, 'de-CH', 'en')).toBe('de');
    expect(pickLocale('nl', 'de_DE')).toBe('de');
    expect(pickLocale('nl', '', null)).toBe('en');
    expect(pickLocale('EN-us', 'de')).toBe('en');
    // The languages of tails.net, by primary language.
    expect(pickLocale('fr-CA')).toBe('fr');
    expect(pickLocale('es-AR')).toBe('es');
    expect(pickLocale('it')).toBe('it');
    expect(pickLocale('pt-BR')).toBe('pt_BR');
    expect(pickLocale('pt')).toBe('pt_BR');
    expect(pickLocale('ru-RU')).toBe('ru');
    expect(pickLocale('tr')).toBe('tr');
    expect(pickLocale('zh-Hans-CN')).toBe('zh_CN');
    expect(pickLocale('zh_CN')).toBe('zh_CN');
  });

  it('loads each language as its own translation, with dates and numbers in it and its direction', async () => {
    const signed = '2025-11-18T14:02:00.000Z';
    for (const [locale, tag] of [
      ['fr', 'fr'],
      ['pt_BR', 'pt-BR'],
      ['ru', 'ru'],
      ['zh_CN', 'zh-CN'],
      ['tr', 'tr'],
      ['es', 'es'],
      ['it', 'it'],
    ] as const) {
      const t = await loadTranslate(locale);
      expect(localeOf(t), locale).toBe(tag);
      expect(dirOf(t), locale).toBe('ltr');
      expect(t('verify_pick_button'), locale).not.toBe(englishT('verify_pick_button'));
      expect(t('embed_download_signed', ['Tails 7.2', formatDate(signed, localeOf(t), 'UTC')]), locale).toContain(
        new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(
          new Date(signed),
        ),
      );
    }
  });

  it('loads German and falls back to English for a missing key', async () => {
    const de = await loadTranslate('de');
    expect(de('verify_pick_button')).not.toBe(englishT('verify_pick_button'));
    expect(de('@@ui_locale')).toBe('de');
    expect(englishT('embed_download_verified', 'tails-amd64-7.2.img')).toBe(
      'Your download tails-amd64-7.2.img was verified by the ISO Verify extension',
    );
    expect(de('no_such_key')).toBe('no_such_key');
  });
});
