import { describe, expect, it } from 'vitest';
import {
  checkLinkDownload,
  clickedImageLink,
  senderIncognito,
  type LinkClick,
} from '../../../src/extension/link-download.js';
import { MAX_LINK_URL_CHARS } from '../../../src/wire/messages.js';
import { isAllowedRequest } from '../../../src/background/sender-policy.js';
import { parseBackgroundRequest } from '../../../src/wire/messages.js';
import { pool, profile } from '../background/fixtures.js';
import { codeOf } from '../../helpers/error-code.js';

const IMG = 'https://mirror.example.org/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img';

function click(overrides: Partial<LinkClick> = {}): LinkClick {
  return {
    isTrusted: true,
    button: 0,
    ctrlKey: false,
    shiftKey: false,
    altKey: false,
    metaKey: false,
    defaultPrevented: false,
    href: IMG,
    incognito: false,
    ...overrides,
  };
}

describe('clickedImageLink (content script)', () => {
  it('takes a plain primary click by a person on an image link', () => {
    expect(clickedImageLink(profile, click())).toBe(IMG);
    expect(clickedImageLink(profile, click({ href: 'https://any.example/x/tails-amd64-7.2.iso' }))).toBe(
      'https://any.example/x/tails-amd64-7.2.iso',
    );
  });

  it('hands over a click in a private window too (the download is then started private)', () => {
    expect(clickedImageLink(profile, click({ incognito: true }))).toBe(click().href);
  });

  it('leaves synthetic, cancelled and modified clicks alone', () => {
    expect(clickedImageLink(profile, click({ isTrusted: false }))).toBeUndefined();
    expect(clickedImageLink(profile, click({ defaultPrevented: true }))).toBeUndefined();
    expect(clickedImageLink(profile, click({ button: 1 }))).toBeUndefined();
    expect(clickedImageLink(profile, click({ button: 2 }))).toBeUndefined();
    for (const key of ['ctrlKey', 'shiftKey', 'altKey', 'metaKey'] as const) {
      expect(clickedImageLink(profile, click({ [key]: true }))).toBeUndefined();
    }
  });

  it('leaves links to anything but an image of the profile alone', () => {
    expect(clickedImageLink(profile, click({ href: undefined }))).toBeUndefined();
    expect(
      clickedImageLink(
        profile,
        click({ href: 'https://mirror.example.org/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img.sig' }),
      ),
    ).toBeUndefined();
    expect(clickedImageLink(profile, click({ href: 'https://tails.net/install/' }))).toBeUndefined();
    expect(clickedImageLink(profile, click({ href: 'ftp://mirror.example.org/tails-amd64-7.2.img' }))).toBeUndefined();
    expect(
      clickedImageLink(
        profile,
        click({ href: `https://mirror.example.org/${'a'.repeat(MAX_LINK_URL_CHARS)}/tails-amd64-7.2.img` }),
      ),
    ).toBeUndefined();
  });
});

describe('checkLinkDownload (background)', () => {
  it('accepts an image on a pool mirror or on the official site (and its subdomains)', () => {
    expect(checkLinkDownload(profile, pool, IMG)).toEqual({
      url: IMG,
      fileName: 'tails-amd64-7.2.img',
      source: 'https://mirror.example.org/tails/',
    });
    expect(
      checkLinkDownload(profile, pool, 'http://plain.example.net/pub/tails/stable/tails-amd64-7.2/tails-amd64-7.2.iso')
        .source,
    ).toBe('http://plain.example.net/pub/tails/');
    const official = checkLinkDownload(
      profile,
      [],
      'https://download.tails.net/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img',
    );
    expect(official.source).toBe('https://download.tails.net/');
  });

  it('drops the fragment, which never reaches the server', () => {
    expect(checkLinkDownload(profile, pool, `${IMG}#x`).url).toBe(IMG);
  });

  it('refuses other hosts, other files and odd URLs', () => {
    expect(codeOf(() => checkLinkDownload(profile, pool, 'https://evil.example/tails/tails-amd64-7.2.img'))).toBe(
      'input-invalid-value',
    );
    // Same host as a mirror, outside its prefix.
    expect(codeOf(() => checkLinkDownload(profile, pool, 'https://mirror.example.org/other/tails-amd64-7.2.img'))).toBe(
      'input-invalid-value',
    );
    // The official site's scheme must match: http:// is not https://tails.net.
    expect(codeOf(() => checkLinkDownload(profile, pool, 'http://tails.net/tails-amd64-7.2.img'))).toBe(
      'input-invalid-value',
    );
    expect(codeOf(() => checkLinkDownload(profile, pool, 'https://mirror.example.org/tails/stable/setup.exe'))).toBe(
      'input-invalid-value',
    );
    expect(codeOf(() => checkLinkDownload(profile, pool, 'https://mirror.example.org/tails/stable/'))).toBe(
      'input-invalid-value',
    );
    expect(
      codeOf(() => checkLinkDownload(profile, pool, 'https://user:pw@mirror.example.org/tails/tails-amd64-7.2.img')),
    ).toBe('input-invalid-value');
    expect(codeOf(() => checkLinkDownload(profile, pool, 'javascript:alert(1)//tails-amd64-7.2.img'))).toBe(
      'input-invalid-value',
    );
    expect(codeOf(() => checkLinkDownload(profile, pool, 'not a url'))).toBe('input-invalid-value');
    expect(codeOf(() => checkLinkDownload(profile, pool, `${IMG}?${'a'.repeat(MAX_LINK_URL_CHARS)}`))).toBe(
      'input-too-large',
    );
  });
});

describe('senderIncognito', () => {
  it('reads only an explicit answer: private, not private, or unknown', () => {
    expect(senderIncognito({ id: 3, incognito: false })).toBe(false);
    expect(senderIncognito({ id: 3, incognito: true })).toBe(true);
    expect(senderIncognito({ id: 3 })).toBeUndefined();
    expect(senderIncognito({ id: 3, incognito: 'yes' })).toBeUndefined();
    expect(senderIncognito(undefined)).toBeUndefined();
  });
});

describe('start-download message', () => {
  it('is parsed in its exact shape', () => {
    expect(parseBackgroundRequest({ type: 'start-download', url: IMG })).toEqual({ type: 'start-download', url: IMG });
    expect(codeOf(() => parseBackgroundRequest({ type: 'start-download' }))).toBe('input-missing-field');
    expect(codeOf(() => parseBackgroundRequest({ type: 'start-download', url: 7 }))).toBe('input-missing-field');
    expect(codeOf(() => parseBackgroundRequest({ type: 'start-download', url: IMG, filename: 'x.img' }))).toBe(
      'input-malformed',
    );
    expect(
      codeOf(() => parseBackgroundRequest({ type: 'start-download', url: `${IMG}?${'a'.repeat(MAX_LINK_URL_CHARS)}` })),
    ).toBe('input-too-large');
  });

  it('is allowed from the official site and extension pages, not from strangers', () => {
    const request = { type: 'start-download', url: IMG } as const;
    expect(isAllowedRequest('official-site', request)).toBe(true);
    expect(isAllowedRequest('extension-page', request)).toBe(true);
    expect(isAllowedRequest('rejected', request)).toBe(false);
    // The site still gets nothing else.
    expect(isAllowedRequest('official-site', { type: 'get-state' })).toBe(false);
  });
});
