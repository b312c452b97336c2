import { describe, expect, it } from 'vitest';
import { isInPrivateWindow, type PrivateWindowApi } from '../../../src/extension/private-window.js';

/** A fake API: the page's context flag, its tab (undefined for a popup) and the last focused window. */
function api(options: {
  inIncognitoContext?: boolean;
  tab?: { incognito: boolean };
  lastFocused?: { incognito: boolean };
  fails?: boolean;
}): PrivateWindowApi {
  return {
    extension: { inIncognitoContext: options.inIncognitoContext ?? false },
    tabs: { getCurrent: async () => (options.fails ? Promise.reject(new Error('no')) : options.tab) },
    windows: {
      getLastFocused: async () =>
        options.fails || !options.lastFocused ? Promise.reject(new Error('no')) : options.lastFocused,
    },
  };
}

describe('isInPrivateWindow', () => {
  it('Firefox: a page in a private window says so itself', async () => {
    expect(await isInPrivateWindow(api({ inIncognitoContext: true }))).toBe(true);
  });

  it('Chrome: the popup of an Incognito window (no tab, spanning) is private: the window its button was clicked in', async () => {
    expect(await isInPrivateWindow(api({ lastFocused: { incognito: true } }))).toBe(true);
    expect(await isInPrivateWindow(api({ lastFocused: { incognito: false } }))).toBe(false);
  });

  it('a page in a tab asks its tab, not the last focused window', async () => {
    expect(await isInPrivateWindow(api({ tab: { incognito: false }, lastFocused: { incognito: true } }))).toBe(false);
    expect(await isInPrivateWindow(api({ tab: { incognito: true }, lastFocused: { incognito: false } }))).toBe(true);
  });

  it('unknown counts as ordinary: private records stay hidden', async () => {
    expect(await isInPrivateWindow(api({ fails: true }))).toBe(false);
  });
});
