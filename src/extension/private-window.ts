/**
 * Whether an extension page is shown in a private window, so that lists show a private
 * window's downloads there only, as the browser's own downloads panel does.
 *
 * Firefox says so in `extension.inIncognitoContext`. Chrome runs an extension's pages
 * "spanning" — in the ordinary profile, `inIncognitoContext` false and `windows.getCurrent()`
 * an ordinary window — even for the popup of an Incognito window, and opens its tabs only in
 * ordinary windows: so a page in a tab asks its tab, and the popup (no tab) the window its
 * button was clicked in, the last focused one. Unknown counts as ordinary, so private records
 * stay hidden.
 */

/** The parts of the WebExtension API this needs (webextension-polyfill's `browser`, or a fake in tests). */
export interface PrivateWindowApi {
  extension: { inIncognitoContext?: boolean };
  tabs: { getCurrent(): Promise<{ incognito?: boolean } | undefined> };
  windows: { getLastFocused(): Promise<{ incognito?: boolean }> };
}

export async function isInPrivateWindow(api: PrivateWindowApi): Promise<boolean> {
  if (api.extension.inIncognitoContext === true) return true;
  try {
    const tab = await api.tabs.getCurrent();
    if (tab) return tab.incognito === true;
    return (await api.windows.getLastFocused()).incognito === true;
  } catch {
    return false;
  }
}
