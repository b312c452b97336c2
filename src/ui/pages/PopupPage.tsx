/** The toolbar popup, wired to extension storage and the background. */
import { activeProfile } from '../../extension/active-profile.js';
import { browser } from '../../extension/browser-api.js';
import { PopupView } from '../components/PopupView.js';
import { useDownloads } from './extension-glue.js';
import { useDownloadActions } from './download-actions.js';

export function PopupPage() {
  const downloads = useDownloads();
  const { handlers, failure, act } = useDownloadActions();
  const openVerify = (id?: string) => {
    // The background opens (or focuses) the tab; the popup then closes, as popups do — unless it failed.
    void act(id === undefined ? { type: 'open-verify-page' } : { type: 'open-verify-page', id }).then(
      (reply) => reply.ok && window.close(),
    );
  };
  return (
    <PopupView
      downloads={downloads}
      product={activeProfile.product}
      actionError={failure}
      onOpenVerify={openVerify}
      onOpenSettings={() => void browser.runtime.openOptionsPage()}
      {...handlers}
    />
  );
}
