/**
 * Extension-side translation. Components import from i18n-core.ts (no extension APIs, so the
 * website widget can bundle them without webextension-polyfill); extension pages use
 * `extensionT`, backed by `browser.i18n.getMessage` and the `_locales` the browser picked.
 */
import { browser } from '../extension/browser-api.js';
import { getMessageT, type Translate } from '../ui-kit/i18n-core.js';

export * from '../ui-kit/i18n-core.js';

export const extensionT: Translate = getMessageT((key, substitutions) => browser.i18n.getMessage(key, substitutions));
