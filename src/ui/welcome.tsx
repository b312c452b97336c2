/** Entry of welcome.html (Chromium without file access; src/background/chromium/file-access-welcome.ts opens it). */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from '../extension/browser-api.js';
import { extensionDetailsUrl } from '../extension/file-access.js';
import { extensionT, I18nContext } from './i18n.js';
import { mountPage } from './pages/mount.js';
import { WelcomePage } from './pages/WelcomePage.js';

function Welcome() {
  const [fileAccess, setFileAccess] = useState<boolean | 'unknown'>('unknown');
  useEffect(() => {
    const read = () =>
      void browser.extension.isAllowedFileSchemeAccess().then(setFileAccess, () => setFileAccess('unknown'));
    read();
    // Coming back from the details page: say so when the switch is on.
    window.addEventListener('focus', read);
    return () => window.removeEventListener('focus', read);
  }, []);
  return (
    <WelcomePage
      fileAccess={fileAccess}
      onOpenDetails={() => void browser.tabs.create({ url: extensionDetailsUrl(browser.runtime.id) })}
    />
  );
}

mountPage(extensionT, 'welcome_title', () =>
  render(
    <I18nContext.Provider value={extensionT}>
      <Welcome />
    </I18nContext.Provider>,
    document.getElementById('app')!,
  ),
);
