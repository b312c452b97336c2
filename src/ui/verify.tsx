/** Entry of verify.html. */
import { render } from 'preact';
import { extensionT, I18nContext } from './i18n.js';
import { readDownloads } from './pages/extension-glue.js';
import { mountPage } from './pages/mount.js';
import { extensionVerifyDeps } from '../extension/verify-deps.js';
import { VerifyPage } from './pages/VerifyPage.js';

mountPage(extensionT, 'verify_title', () =>
  render(
    <I18nContext.Provider value={extensionT}>
      <VerifyPage
        deps={extensionVerifyDeps({ repro: true })}
        search={window.location.search}
        findDownload={async (id) => (await readDownloads()).find((download) => download.id === id)}
      />
    </I18nContext.Provider>,
    document.getElementById('app')!,
  ),
);
