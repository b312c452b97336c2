/** Entry of verify.html. */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { extensionT, I18nContext } from './i18n.js';
import { watchAllDownloads } from './pages/extension-glue.js';
import { useDownloadActions } from './pages/download-actions.js';
import { mountPage } from './pages/mount.js';
import { extensionVerifyDeps } from '../extension/verify-deps.js';
import { VerifyPage } from './pages/VerifyPage.js';

const deps = extensionVerifyDeps({ repro: true });

/** The page with the popup's actions; a download started again replaces the one the page is about. */
function VerifyPageInExtension() {
  const [search, setSearch] = useState(window.location.search);
  const { handlers, failure } = useDownloadActions({
    onStarted: (_old, id) => {
      const next = `?download=${encodeURIComponent(id)}`;
      history.replaceState(null, '', next);
      setSearch(next);
    },
  });
  return (
    <VerifyPage
      deps={deps}
      search={search}
      watchDownloads={watchAllDownloads}
      actions={handlers}
      actionError={failure}
    />
  );
}

mountPage(extensionT, 'verify_title', () =>
  render(
    <I18nContext.Provider value={extensionT}>
      <VerifyPageInExtension />
    </I18nContext.Provider>,
    document.getElementById('app')!,
  ),
);
