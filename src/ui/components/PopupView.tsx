/** The popup's content, data in and callbacks out (the extension glue is pages/PopupPage.tsx). */
import type { TrackedDownload } from '../../wire/download.js';
import type { ErrorInfo } from '../../core/errors.js';
import { ErrorText } from '../../ui-kit/ErrorText.js';
import { useT } from '../../ui-kit/i18n-core.js';
import { DownloadList, type DownloadListProps } from './DownloadList.js';

export interface PopupViewProps extends Omit<DownloadListProps, 'downloads' | 'onOpenVerify'> {
  /** undefined while loading. */
  downloads: TrackedDownload[] | undefined;
  /** Open the verification page, for a tracked download or (no id) for any file. */
  onOpenVerify: (id?: string) => void;
  onOpenSettings: () => void;
  /** The last action the background refused or failed, shown until the next one. */
  actionError?: ErrorInfo | undefined;
}

export function PopupView({
  downloads,
  product,
  onOpenVerify,
  onOpenSettings,
  actionError,
  ...handlers
}: PopupViewProps) {
  const t = useT();
  return (
    <main class="popup-main">
      <header class="page-header">
        <h1 class="page-title">{t('extName')}</h1>
        <button type="button" class="button button--quiet" onClick={onOpenSettings}>
          {t('action_settings')}
        </button>
      </header>
      {actionError ? (
        <p class="status-line status-line--bad" role="alert" data-testid="action-error">
          <ErrorText error={actionError} />
        </p>
      ) : null}
      {downloads === undefined ? (
        <p class="muted">{t('loading')}</p>
      ) : (
        <DownloadList downloads={downloads} product={product} onOpenVerify={(id) => onOpenVerify(id)} {...handlers} />
      )}
      <footer class="popup-footer">
        <button type="button" class="button" onClick={() => onOpenVerify()} data-testid="verify-a-file">
          {t('action_verify_a_file')}
        </button>
      </footer>
    </main>
  );
}
