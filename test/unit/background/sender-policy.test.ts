import { describe, expect, it } from 'vitest';
import { classifySender, isAllowedRequest, type SenderPolicy } from '../../../src/background/sender-policy.js';

const policy: SenderPolicy = {
  extensionId: 'ext-id',
  extensionOrigin: 'moz-extension://1234-abcd/',
  officialSite: 'https://tails.net',
};

describe('classifySender', () => {
  it("trusts only this extension's pages", () => {
    expect(classifySender({ id: 'ext-id', url: 'moz-extension://1234-abcd/popup.html' }, policy)).toBe(
      'extension-page',
    );
    expect(classifySender({ id: 'ext-id', url: 'moz-extension://1234-abcd/verify.html?download=dl-1' }, policy)).toBe(
      'extension-page',
    );
    expect(classifySender({ id: 'other', url: 'moz-extension://1234-abcd/popup.html' }, policy)).toBe('rejected');
    expect(classifySender({ id: 'ext-id', url: 'moz-extension://9999/popup.html' }, policy)).toBe('rejected');
    expect(classifySender({ id: 'ext-id' }, policy)).toBe('rejected');
    expect(classifySender({ url: 'moz-extension://1234-abcd/popup.html' }, policy)).toBe('rejected');
  });

  it("knows the official site's content script and nobody else's", () => {
    expect(classifySender({ id: 'ext-id', url: 'https://tails.net/install/download/', tab: {} }, policy)).toBe(
      'official-site',
    );
    expect(classifySender({ id: 'ext-id', url: 'https://tails.net/install/download/' }, policy)).toBe('rejected');
    expect(classifySender({ id: 'ext-id', url: 'https://evil.example/', tab: {} }, policy)).toBe('rejected');
    expect(classifySender({ id: 'ext-id', url: 'http://tails.net/', tab: {} }, policy)).toBe('rejected');
  });
});

describe('isAllowedRequest', () => {
  it('lets pages do everything and the site only open the verify page', () => {
    const hash = {
      type: 'verify-hash' as const,
      fileName: 'tails-amd64-7.2.img',
      bytes: 1,
      states: { sha256: 'AAAA' },
      id: 'dl-1',
    };
    expect(isAllowedRequest('extension-page', hash)).toBe(true);
    expect(isAllowedRequest('official-site', { type: 'open-verify-page' })).toBe(true);
    expect(isAllowedRequest('official-site', { type: 'open-verify-page', id: 'dl-1' })).toBe(false);
    expect(isAllowedRequest('official-site', { type: 'get-state' })).toBe(false);
    // The site's pages can never hand the background a hash to decide on.
    expect(isAllowedRequest('official-site', hash)).toBe(false);
    // Nor ask what the reproducers said about a page's file.
    expect(
      isAllowedRequest('official-site', { type: 'repro-status', token: '0b6a3f1e-7c2d-4e5f-8a9b-0c1d2e3f4a5b' }),
    ).toBe(false);
    expect(isAllowedRequest('rejected', { type: 'get-state' })).toBe(false);
  });
});
