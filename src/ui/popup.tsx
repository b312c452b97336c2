/** Entry of popup.html. */
import { render } from 'preact';
import { extensionT, I18nContext } from './i18n.js';
import { PopupPage } from './pages/PopupPage.js';
import { mountPage } from './pages/mount.js';

mountPage(extensionT, 'extName', () =>
  render(
    <I18nContext.Provider value={extensionT}>
      <PopupPage />
    </I18nContext.Provider>,
    document.getElementById('app')!,
  ),
);
