/** The toolbar popup, wired to extension storage and the background. */
import { useState } from 'preact/hooks';
import type { ErrorInfo } from '../../core/errors.js';
import { activeProfile } from '../../extension/active-profile.js';
import { browser } from '../../extension/browser-api.js';
import type { BackgroundRequest } from '../../wire/messages.js';
import { PopupView } from '../components/PopupView.js';
import { askBackground, useDownloads } from './extension-glue.js';

export function PopupPage() {
  const downloads = useDownloads();
  const [failure, setFailure] = useState<ErrorInfo | undefined>(undefined);
  /** Send an action; a refusal or failure is shown in the popup, not lost. */
  const act = async (request: BackgroundRequest): Promise<boolean> => {
    setFailure(undefined);
    const reply = await askBackground(request);
    if (!reply.ok) setFailure(reply.error);
    return reply.ok;
  };
  const openVerify = (id?: string) => {
    // The background opens (or focuses) the tab; the popup then closes, as popups do — unless it failed.
    void act(id === undefined ? { type: 'open-verify-page' } : { type: 'open-verify-page', id }).then(
      (ok) => ok && window.close(),
    );
  };
  return (
    <PopupView
      downloads={downloads}
      product={activeProfile.product}
      actionError={failure}
      onOpenVerify={openVerify}
      onOpenSettings={() => void browser.runtime.openOptionsPage()}
      onResume={(id) => void act({ type: 'resume-download', id })}
      onForget={(id) => void act({ type: 'forget', id })}
      onCancel={(id) => void act({ type: 'cancel', id })}
      onRetry={(id) => void act({ type: 'retry', id })}
      onDownloadAgain={(id, from) => void act({ type: 'download-again', id, from })}
    />
  );
}
