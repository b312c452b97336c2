/**
 * The one place that touches the WebExtension namespace: `browser` is Firefox's native
 * object, or Chrome's `chrome` wrapped by webextension-polyfill so both return promises.
 * Background and pages import it from here, never `chrome` directly.
 */
import browser from 'webextension-polyfill';

export { browser };
export type { Browser, Downloads, Runtime, WebRequest } from 'webextension-polyfill';

/** Firefox has webRequest.filterResponseData (and so hashes while downloading); Chrome does not. */
export function canFilterResponses(): boolean {
  const webRequest = (browser as { webRequest?: { filterResponseData?: unknown } }).webRequest;
  return typeof webRequest?.filterResponseData === 'function';
}
