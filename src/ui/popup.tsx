/** Entry of popup.html. */
import { render } from 'preact';
import { extensionT, I18nContext } from './i18n.js';
import { PopupPage } from './pages/PopupPage.js';
import { askBackground } from './pages/extension-glue.js';
import { mountPage } from './pages/mount.js';

// Any message starts a stopped background, and every start resumes unfinished work
// (a download that was being hashed when the service worker was stopped).
// A failure here is no loss: the popup reads storage itself and shows what is there.
void askBackground({ type: 'get-state' });

mountPage(extensionT, 'extName', () =>
  render(
    <I18nContext.Provider value={extensionT}>
      <PopupPage />
    </I18nContext.Provider>,
    document.getElementById('app')!,
  ),
);
