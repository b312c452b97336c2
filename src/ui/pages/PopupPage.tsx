/** The toolbar popup: every tracked download with live state, or what the extension does. */
import { DownloadList } from '../components/DownloadList.js';
import { useT } from '../i18n-core.js';
import { browser } from '../../background/browser-api.js';
import { sendRequest, useDownloads } from './extension-state.js';

export function PopupPage() {
  const t = useT();
  const downloads = useDownloads();
  const openVerify = (id?: string) => {
    // The background opens (or focuses) the tab; the popup closes itself like browsers expect.
    void sendRequest(id === undefined ? { type: 'open-verify-page' } : { type: 'open-verify-page', id }).finally(() => window.close());
  };
  return (
    <main class="popup-main">
      <header class="page-header">
        <h1 class="page-title">{t('extName')}</h1>
        <button type="button" class="button button--quiet" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('action_settings')}
        </button>
      </header>
      {downloads === undefined ? (
        <p class="muted">{t('loading')}</p>
      ) : (
        <DownloadList
          downloads={downloads}
          onOpenVerify={openVerify}
          onResume={(id) => void sendRequest({ type: 'resume-download', id })}
          onForget={(id) => void sendRequest({ type: 'forget', id })}
          onCancel={(id) => void sendRequest({ type: 'cancel', id })}
          onRetry={(id) => void sendRequest({ type: 'retry', id })}
        />
      )}
      <footer class="popup-footer">
        <button type="button" class="button" onClick={() => openVerify()} data-testid="verify-a-file">
          {t('action_verify_a_file')}
        </button>
      </footer>
    </main>
  );
}
