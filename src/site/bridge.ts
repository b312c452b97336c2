/**
 * Content script on the profile's official site (manifest `content_scripts`, exact origin
 * match, top frame only). The same code runs in Firefox and Chrome through
 * webextension-polyfill. It lets the site's widget ask the extension three things and verify a
 * picked file in the extension's own context — see src/wire/page-protocol.ts and docs/embed.md.
 */
import { parseImageFileName } from '../core/verify/file-name.js';
import { activeProfile } from '../extension/active-profile.js';
import { browser } from '../extension/browser-api.js';
import { DownloadsReader, followDownloadChanges } from '../extension/downloads-store.js';
import { createFrameVerifier } from './frame-verifier.js';
import { startPageBridge, type BridgeWindow } from './page-bridge.js';

/** The path of the frame page in the extension package (web-accessible to the official origin only). */
export const VERIFY_FRAME_PAGE = 'verify-frame.html';

const officialOrigin = new URL(activeProfile.officialSite).origin;

// The page sees the downloads of its own kind of window only: private ones in a private window.
// (Chrome: storage.session is opened to this script by the background; Firefox cannot, so there
// a private window's page lists none: its verdict is in the popup and the notification.)
const inPrivate = browser.extension.inIncognitoContext === true;
const downloads = new DownloadsReader(
  [browser.storage.local, browser.storage.session].filter((area) => area !== undefined),
  undefined,
  {
    visible: (d) => (d.private === true) === inPrivate,
  },
);

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
    readDownloads: () => downloads.list(),
    releaseOf: (fileName) => parseImageFileName(activeProfile, fileName)?.version,
    onDownloadsChanged: (listener) => followDownloadChanges(browser.storage.onChanged, listener),
    verifier: createFrameVerifier(browser.runtime.getURL(VERIFY_FRAME_PAGE)),
  });
}
