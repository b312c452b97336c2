/**
 * The full verification page: pick or drop a file (pre-named when it is for a tracked
 * download), hash it in the worker with progress, decide the verdict, show it with the
 * rebuilders' status. The extension's deps send the hash state to the background, which runs the
 * core pipeline (and, for a tracked download, keeps the verdict as the download's). A tracked
 * download is shown first as the popup shows it (DownloadCard: what it is, its state, and the
 * same actions: download from another mirror, download again, try again, resume).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TrackedDownload } from '../../wire/download.js';
import type { ErrorInfo } from '../../core/errors.js';
import { errorInfo } from '../../core/errors.js';
import type { HashProgress } from '../../core/hash/types.js';
import type { Verdict } from '../../core/verdict.js';
import type { ReproStatus } from '../../core/repro/types.js';
import { ErrorText } from '../../ui-kit/ErrorText.js';
import { FilePicker } from '../../ui-kit/FilePicker.js';
import { ProgressView } from '../../ui-kit/ProgressView.js';
import { ReproView } from '../../ui-kit/ReproView.js';
import { VerdictView } from '../../ui-kit/VerdictView.js';
import { useT } from '../../ui-kit/i18n-core.js';
import { runVerification, type VerifyFlowDeps } from '../../ui-kit/verify-flow.js';
import { DownloadCard, type DownloadActionHandlers } from '../components/DownloadList.js';
import { identityOf } from '../components/download-identity.js';
import { downloadIdFrom } from './verify-id.js';

type Stage =
  | { step: 'idle' }
  | { step: 'hashing'; fileName: string; progress: HashProgress }
  | { step: 'deciding'; fileName: string }
  | { step: 'done'; verdict: Verdict; repro?: ReproStatus; reproPending: boolean }
  | { step: 'failed'; error: ErrorInfo }
  | { step: 'cancelled' };

export interface VerifyPageProps {
  deps: VerifyFlowDeps;
  /** location.search; `?download=<id>` names a tracked download. */
  search: string;
  /** Follow every tracked download (the one named, and any of the same name); returns the unsubscribe function. */
  watchDownloads: (listener: (downloads: TrackedDownload[]) => void) => () => void;
  /** What the person can do with the tracked download: the popup's handlers (pages/download-actions.ts). */
  actions?: DownloadActionHandlers;
  /** The last action the background refused or failed. */
  actionError?: ErrorInfo | undefined;
  /** The clock (epoch ms) for "started today"; now by default. */
  now?: number;
}

/** The card's actions on this page: never "Forget" (the page is about this download), whatever else `actions` holds. */
function pickActions(actions: DownloadActionHandlers | undefined): DownloadActionHandlers {
  const picked: DownloadActionHandlers = {};
  if (actions?.onResume) picked.onResume = actions.onResume;
  if (actions?.onCancel) picked.onCancel = actions.onCancel;
  if (actions?.onRetry) picked.onRetry = actions.onRetry;
  if (actions?.onDownloadAgain) picked.onDownloadAgain = actions.onDownloadAgain;
  return picked;
}

/** No extension APIs here: the entry file passes them in, the UI gallery passes fakes. */
export function VerifyPage({ deps, search, watchDownloads, actions, actionError, now = Date.now() }: VerifyPageProps) {
  const t = useT();
  const downloadId = downloadIdFrom(search);
  const [all, setAll] = useState<TrackedDownload[]>([]);
  const tracked = downloadId === undefined ? undefined : all.find((download) => download.id === downloadId);
  const [stage, setStage] = useState<Stage>({ step: 'idle' });
  const [attachError, setAttachError] = useState<ErrorInfo | undefined>(undefined);
  const controller = useRef<AbortController | undefined>(undefined);

  useEffect(() => (downloadId ? watchDownloads(setAll) : undefined), [downloadId]);
  useEffect(() => () => controller.current?.abort(), []);

  const verify = async (file: File) => {
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setAttachError(undefined);
    setStage({ step: 'hashing', fileName: file.name, progress: { bytes: 0, total: file.size, rate: 0 } });
    try {
      const outcome = await runVerification(
        file,
        deps,
        {
          signal: abort.signal,
          onProgress: (progress) =>
            !abort.signal.aborted && setStage({ step: 'hashing', fileName: file.name, progress }),
          onHashed: () => !abort.signal.aborted && setStage({ step: 'deciding', fileName: file.name }),
          onVerdict: (verdict, reproPending) =>
            !abort.signal.aborted &&
            setStage({ step: 'done', verdict, reproPending: verdict.kind === 'verified' && reproPending }),
        },
        tracked
          ? {
              // The background decides and, for a tracked download, keeps the verdict as the
              // download's; it stands on this page either way, only the popup's copy may fail.
              downloadId: tracked.id,
              onAttachError: (error) => !abort.signal.aborted && setAttachError(error),
            }
          : undefined,
      );
      if (abort.signal.aborted) return;
      setStage({
        step: 'done',
        verdict: outcome.verdict,
        ...(outcome.repro ? { repro: outcome.repro } : {}),
        reproPending: false,
      });
    } catch (error) {
      const info = errorInfo(error);
      setStage(info.code === 'aborted' ? { step: 'cancelled' } : { step: 'failed', error: info });
    }
  };

  const busy = stage.step === 'hashing' || stage.step === 'deciding';
  return (
    <main class="page-main">
      <header class="page-header">
        <h1 class="page-title">{t('verify_title')}</h1>
      </header>
      {actionError ? (
        <p class="status-line status-line--bad" role="alert" data-testid="action-error">
          <ErrorText error={actionError} />
        </p>
      ) : null}
      {tracked ? (
        <DownloadCard
          as="section"
          download={tracked}
          identity={identityOf(tracked, all)}
          now={now}
          // Once this page shows its own result, the download's (the same, or older) steps aside.
          showVerdict={stage.step === 'idle' || stage.step === 'cancelled'}
          {...pickActions(actions)}
        />
      ) : null}
      <p class="lead">{t('verify_intro')}</p>
      <FilePicker
        onFile={(file) => void verify(file)}
        disabled={busy}
        {...(tracked ? { expectedName: tracked.fileName } : {})}
      />

      <div class="result" aria-live="polite">
        {stage.step === 'hashing' ? (
          <ProgressView
            progress={stage.progress}
            label={t('verify_hashing', stage.fileName)}
            onCancel={() => controller.current?.abort()}
          />
        ) : null}
        {stage.step === 'deciding' ? <p class="status-line">{t('verify_deciding')}</p> : null}
        {stage.step === 'cancelled' ? <p class="status-line">{t('verify_cancelled')}</p> : null}
        {stage.step === 'failed' ? (
          <p class="status-line status-line--bad" data-testid="verify-error">
            <ErrorText error={stage.error} />
          </p>
        ) : null}
        {stage.step === 'done' ? (
          <>
            <VerdictView verdict={stage.verdict} live={false} evidenceOpen={false} />
            {stage.repro ? <ReproView status={stage.repro} /> : null}
            {stage.reproPending ? <p class="status-line muted">{t('repro_checking')}</p> : null}
            {attachError ? (
              <p class="status-line status-line--bad" role="alert" data-testid="attach-error">
                <ErrorText error={attachError} />
              </p>
            ) : null}
          </>
        ) : null}
      </div>
    </main>
  );
}
