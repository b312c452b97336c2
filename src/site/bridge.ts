/**
 * Content script on the profile's official site (manifest `content_scripts`, exact origin
 * match, top frame only). The same code runs in Firefox and Chrome through
 * webextension-polyfill. It lets the site's widget ask the extension three things and verify a
 * picked file in the extension's own context — see src/extension/page-protocol.ts and docs/embed.md.
 */
import { activeProfile } from '../extension/active-profile.js';
import { browser } from '../extension/browser-api.js';
import { STORAGE_KEYS } from '../extension/download.js';
import { createFrameVerifier } from './frame-verifier.js';
import { startPageBridge, type BridgeWindow } from './page-bridge.js';

/** The path of the frame page in the extension package (web-accessible to the official origin only). */
export const VERIFY_FRAME_PAGE = 'verify-frame.html';

const officialOrigin = new URL(activeProfile.officialSite).origin;

async function readDownloads(): Promise<unknown[]> {
  const stored = (await browser.storage.local.get(STORAGE_KEYS.downloads))[STORAGE_KEYS.downloads];
  if (typeof stored !== 'object' || stored === null) return [];
  return Object.values(stored as Record<string, unknown>);
}

function onDownloadsChanged(listener: () => void): () => void {
  const onChanged = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && STORAGE_KEYS.downloads in changes) listener();
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => browser.storage.onChanged.removeListener(onChanged);
}

// A second lock besides the manifest's match pattern: never run anywhere else.
if (window.location.origin === officialOrigin && window.top === window) {
  startPageBridge({
    window: window as unknown as BridgeWindow,
    officialOrigin,
    hello: {
      extension: 'iso-verify',
      version: browser.runtime.getManifest().version,
      profile: activeProfile.id,
      product: activeProfile.product,
    },
    readDownloads,
    onDownloadsChanged,
    verifier: createFrameVerifier(browser.runtime.getURL(VERIFY_FRAME_PAGE)),
  });
}
