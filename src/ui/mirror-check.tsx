/**
 * Entry of mirror-check.html ("Check a mirror", linked from the options page). Wires the page to
 * the extension: host permission for the mirror's origin requested at click time (optional host
 * permissions), the page's own fetch for the mirror, capped fetches of the profile's release
 * data, and the extension's trust state (rollback protection) shared with verification.
 */
import { render } from 'preact';
import { activeProfile } from '../extension/active-profile.js';
import { browser } from '../extension/browser-api.js';
import { httpMirrorSource } from '../core/mirror/http-source.js';
import { loadMirrorRelease } from '../core/mirror/release.js';
import { createCappedFetcher, isLoopbackHost } from '../core/net/capped-fetch.js';
import { extensionT, I18nContext } from './i18n.js';
import { MirrorCheckPage, type MirrorCheckDeps } from './pages/MirrorCheckPage.js';
import { mountPage } from './pages/mount.js';
import { extensionTrustStateReadOnly } from '../extension/verify-deps.js';

/** Plain http for release data only when the profile itself is on the loopback host (tests, demo). */
function loopbackProfile(): boolean {
  try {
    const site = new URL(activeProfile.officialSite);
    return site.protocol === 'http:' && isLoopbackHost(site.hostname);
  } catch {
    return false;
  }
}

/** Match pattern for the mirror's origin (patterns carry no port). */
function originPattern(prefix: string): string {
  const url = new URL(prefix);
  return `${url.protocol}//${url.hostname}/*`;
}

const pageFetch: typeof fetch = globalThis.fetch.bind(globalThis);
const fetcher = createCappedFetcher(pageFetch, { allowLoopbackHttp: loopbackProfile() });

const deps: MirrorCheckDeps = {
  requestAccess: (prefix) => browser.permissions.request({ origins: [originPattern(prefix)] }),
  loadRelease: (signal) =>
    loadMirrorRelease(activeProfile, fetcher, { signal, trustState: extensionTrustStateReadOnly() }),
  // Browsers set their own User-Agent; the mirror sees an ordinary extension request.
  sourceFor: (prefix) => httpMirrorSource(prefix, pageFetch),
};

const initialPrefix = new URLSearchParams(window.location.search).get('prefix') ?? '';

mountPage(extensionT, 'mirror_title', () =>
  render(
    <I18nContext.Provider value={extensionT}>
      <MirrorCheckPage deps={deps} initialPrefix={initialPrefix} />
    </I18nContext.Provider>,
    document.getElementById('app')!,
  ),
);
