/**
 * Firefox only (build/manifest.js adds it to the Firefox manifest; exact origin checked here):
 * content script on the profile's official site, top frame. A person's plain click on a link
 * to an image of the profile is replaced by the same download started by the background with
 * downloads.download(): Firefox cannot filter a page load that turns into a download, so only
 * such a download can be hashed while it arrives (src/background/firefox/firefox-stream.ts).
 *
 * The page's own script cannot use this: synthetic clicks (isTrusted false) are left alone,
 * and the background accepts only an image URL on a pool mirror or the official site
 * (src/background/link-download.ts). When the background declines, the link is followed as
 * the browser would have.
 */
import { activeProfile } from '../extension/active-profile.js';
import { browser } from '../extension/browser-api.js';
import { clickedImageLink } from '../extension/link-download.js';
import { sendRequest } from '../extension/background-client.js';
import { log } from '../extension/log.js';

const officialOrigin = new URL(activeProfile.officialSite).origin;

/** The nearest HTML link (a or area with an href) on the click's path. */
function linkOf(event: MouseEvent): HTMLAnchorElement | HTMLAreaElement | undefined {
  for (const node of event.composedPath()) {
    const element = node as Partial<HTMLAnchorElement>;
    if (
      (element.localName === 'a' || element.localName === 'area') &&
      typeof element.href === 'string' &&
      element.hasAttribute?.('href')
    ) {
      return node as HTMLAnchorElement | HTMLAreaElement;
    }
  }
  return undefined;
}

function onClick(event: MouseEvent): void {
  const link = linkOf(event);
  const url = clickedImageLink(activeProfile, {
    isTrusted: event.isTrusted,
    button: event.button,
    ctrlKey: event.ctrlKey,
    shiftKey: event.shiftKey,
    altKey: event.altKey,
    metaKey: event.metaKey,
    defaultPrevented: event.defaultPrevented,
    href: link?.href,
    // Unknown counts as private: the link is then left to the browser.
    incognito: browser.extension.inIncognitoContext !== false,
  });
  if (url === undefined || link === undefined) return;
  event.preventDefault();
  void sendRequest(browser.runtime, { type: 'start-download', url }).then((reply) => {
    if (reply.ok) return;
    log.info('following the link as usual', reply.error.code, reply.error.detail ?? '');
    // An untrusted click: this listener lets it pass, the browser follows the link.
    link.click();
  });
}

// A second lock besides the manifest's match pattern (Firefox patterns carry no port).
if (window.location.origin === officialOrigin && window.top === window) {
  // Bubble phase on window: the page's own handlers have run, so a link they cancelled stays cancelled.
  window.addEventListener('click', onClick);
}
