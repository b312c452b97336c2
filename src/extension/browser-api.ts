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

/** Chrome's offscreen API (MV3, Chrome 109+) as the background uses it; webextension-polyfill does not wrap it. */
export interface OffscreenPort {
  createDocument(parameters: { url: string; reasons: string[]; justification: string }): Promise<void>;
  closeDocument(): Promise<void>;
  /** Whether the extension's offscreen document exists now. */
  hasDocument(): Promise<boolean>;
}

interface ChromeOffscreen {
  offscreen?: { createDocument?: unknown; closeDocument?: unknown; hasDocument?: unknown };
  runtime?: { getContexts?: (filter: { contextTypes: string[] }) => Promise<unknown[]> };
}

/** Chrome's offscreen API, or undefined where there is none (Firefox, old Chrome). */
export function offscreenApi(): OffscreenPort | undefined {
  const chrome = (globalThis as { chrome?: ChromeOffscreen }).chrome;
  const offscreen = chrome?.offscreen;
  const getContexts = chrome?.runtime?.getContexts;
  if (typeof offscreen?.createDocument !== 'function' || typeof offscreen.closeDocument !== 'function')
    return undefined;
  const api = offscreen as {
    createDocument(p: unknown): Promise<void>;
    closeDocument(): Promise<void>;
    hasDocument?(): Promise<boolean>;
  };
  return {
    createDocument: (parameters) => api.createDocument(parameters),
    closeDocument: () => api.closeDocument(),
    // runtime.getContexts (Chrome 116+) is the documented check; offscreen.hasDocument is its predecessor.
    hasDocument: async () =>
      typeof getContexts === 'function'
        ? (await getContexts.call(chrome!.runtime, { contextTypes: ['OFFSCREEN_DOCUMENT'] })).length > 0
        : typeof api.hasDocument === 'function'
          ? api.hasDocument()
          : false,
  };
}
