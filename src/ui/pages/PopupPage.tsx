/** The toolbar popup, wired to extension storage and the background. */
import { browser } from '../../extension/browser-api.js';
import { PopupView } from '../components/PopupView.js';
import { sendRequest, useDownloads } from '../../extension/downloads-store.js';

export function PopupPage() {
  const downloads = useDownloads();
  const openVerify = (id?: string) => {
    // The background opens (or focuses) the tab; the popup then closes, as popups do.
    void sendRequest(id === undefined ? { type: 'open-verify-page' } : { type: 'open-verify-page', id }).finally(() => window.close());
  };
  return (
    <PopupView
      downloads={downloads}
      onOpenVerify={openVerify}
      onOpenSettings={() => void browser.runtime.openOptionsPage()}
      onResume={(id) => void sendRequest({ type: 'resume-download', id })}
      onForget={(id) => void sendRequest({ type: 'forget', id })}
      onCancel={(id) => void sendRequest({ type: 'cancel', id })}
      onRetry={(id) => void sendRequest({ type: 'retry', id })}
    />
  );
}
