/**
 * The one place that touches the WebExtension namespace: `browser` is Firefox's native
 * object, or Chrome's `chrome` wrapped by webextension-polyfill so both return promises.
 * Background and pages import it from here, never `chrome` directly. Code that should be
 * unit-tested takes the narrow `BrowserPort` instead, and the entry points pass `browser`.
 */
import browser from 'webextension-polyfill';
import type { Action, Downloads, Extension, I18n, Notifications, Runtime, Tabs } from 'webextension-polyfill';

export { browser };
export type { Browser, Downloads, Permissions, Runtime, WebRequest } from 'webextension-polyfill';

/** Firefox has webRequest.filterResponseData (and so hashes while downloading); Chrome does not. */
export function canFilterResponses(): boolean {
  const webRequest = (browser as { webRequest?: { filterResponseData?: unknown } }).webRequest;
  return typeof webRequest?.filterResponseData === 'function';
}

/** The browser APIs the background's controller uses (tests pass a fake). */
export interface BrowserPort {
  downloads: Pick<Downloads.Static, 'search' | 'resume' | 'download'>;
  notifications: Pick<Notifications.Static, 'create' | 'clear'>;
  action: Pick<Action.Static, 'setBadgeText' | 'setBadgeBackgroundColor' | 'setTitle'>;
  i18n: Pick<I18n.Static, 'getMessage'>;
  runtime: Pick<Runtime.Static, 'getURL'>;
  tabs: Pick<Tabs.Static, 'create'>;
  extension: Pick<Extension.Static, 'isAllowedFileSchemeAccess'>;
}
