/**
 * The popup's list of tracked downloads: live phase, progress, the verdict one-liner that
 * expands to its evidence, and the actions that fit each state. Data in, callbacks out.
 */
import {
  canDownloadAgain,
  canResumeDownload,
  errorOf,
  isActive,
  phaseKey,
  type TakeoverNote,
  type TrackedDownload,
} from '../../wire/download.js';
import type { HashProgress } from '../../core/hash/types.js';
import { localeOf, useT } from '../../ui-kit/i18n-core.js';
import { formatTime, hostOf } from '../../ui-kit/format.js';
import { ErrorText } from '../../ui-kit/ErrorText.js';
import { Icon } from '../../ui-kit/icons.js';
import { ProgressView } from '../../ui-kit/ProgressView.js';
import { ReproView } from '../../ui-kit/ReproView.js';
import { VerdictView } from '../../ui-kit/VerdictView.js';

export interface DownloadListProps {
  downloads: TrackedDownload[];
  /** The profile's product name ("Tails"), for the empty state. */
  product: string;
  onOpenVerify: (id: string) => void;
  onResume: (id: string) => void;
  onForget: (id: string) => void;
  onCancel?: (id: string) => void;
  onRetry?: (id: string) => void;
  /** Download the file again, from the same URL or another mirror of the pool. */
  onDownloadAgain?: (id: string, from: 'same' | 'other') => void;
}

/** Newest first: the download the user just started is the one they look for. */
export function sortDownloads(downloads: TrackedDownload[]): TrackedDownload[] {
  return [...downloads].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

function downloadProgress(download: TrackedDownload): HashProgress {
  if (download.phase === 'downloading') {
    const progress: HashProgress = { bytes: download.receivedBytes, rate: download.progress?.rate ?? 0 };
    if (download.totalBytes !== undefined) progress.total = download.totalBytes;
    if (download.progress?.etaSeconds !== undefined) progress.etaSeconds = download.progress.etaSeconds;
    return progress;
  }
  const fallback: HashProgress = {
    bytes: 0,
    rate: 0,
    ...(download.totalBytes !== undefined ? { total: download.totalBytes } : {}),
  };
  return download.phase === 'hashing' ? (download.progress ?? fallback) : fallback;
}

function DownloadItem({
  download,
  ...handlers
}: { download: TrackedDownload } & Omit<DownloadListProps, 'downloads' | 'product'>) {
  const t = useT();
  const { id, phase } = download;
  const inProgress = isActive(phase);
  const error = errorOf(download);
  const again = canDownloadAgain(download) && handlers.onDownloadAgain ? handlers.onDownloadAgain : undefined;
  // A verdict that lacked release data can be decided again from the kept hash.
  const redecide = download.phase === 'done' && download.hash !== undefined ? download.redecide : undefined;
  const canRedecide = download.phase === 'done' && download.hash !== undefined;
  return (
    <li class="download" data-testid="download" data-id={id} data-phase={phase}>
      <div class="download-head">
        <Icon name="file" class="download-icon" />
        <div class="download-title">
          <span class="filename">{download.fileName}</span>
          <span class="muted download-mirror">{t('download_from', hostOf(download.mirror || download.finalUrl))}</span>
        </div>
        {/* In the head, not the action row: with three buttons a long German label wrapped onto a line of its own. */}
        {!inProgress ? (
          <button
            type="button"
            class="button button--quiet download-forget"
            onClick={() => handlers.onForget(id)}
            data-testid="forget"
          >
            {t('action_forget')}
          </button>
        ) : null}
      </div>
      {download.inPool === false ? (
        <p class="download-status" data-testid="not-in-pool">
          {t('download_not_in_pool')}
        </p>
      ) : null}

      {download.takeover ? <TakeoverLine note={download.takeover} /> : null}
      {inProgress ? (
        <ProgressView
          compact
          progress={downloadProgress(download)}
          label={t(phaseKey(phase))}
          {...(handlers.onCancel ? { onCancel: () => handlers.onCancel!(id) } : {})}
        />
      ) : null}
      {phase === 'awaiting-file' ? <p class="download-status">{t('download_awaiting_file')}</p> : null}
      {phase === 'interrupted' ? <p class="download-status">{t('phase_interrupted')}</p> : null}
      {phase === 'cancelled' ? <p class="download-status muted">{t('phase_cancelled')}</p> : null}
      {phase === 'failed' ? <p class="download-status">{t('phase_failed')}</p> : null}
      {download.phase === 'done' ? (
        <VerdictView
          compact
          live
          verdict={download.verdict}
          {...(download.alternativeUrl ? { alternativeUrl: download.alternativeUrl } : {})}
          {...(canResumeDownload(download) ? { onResume: () => handlers.onResume(id) } : {})}
        />
      ) : null}
      {download.phase === 'done' && download.repro ? <ReproView status={download.repro} /> : null}
      {again &&
      (download.phase === 'interrupted' || (download.phase === 'done' && download.verdict.kind === 'incomplete')) ? (
        <p class="download-status" data-testid="cannot-resume">
          {t('download_cannot_resume')}
        </p>
      ) : null}
      {redecide ? (
        <p class="download-status muted" data-testid="redecide-at">
          {t('redecide_scheduled', formatTime(redecide.nextAt, localeOf(t)))}
        </p>
      ) : null}
      {error ? (
        <p class="download-error">
          <ErrorText error={error} />
        </p>
      ) : null}

      {phase !== 'downloading' && (phase !== 'cancelled' || (error && handlers.onRetry)) ? (
        <div class="actions actions--small">
          {phase === 'interrupted' && canResumeDownload(download) ? (
            <button
              type="button"
              class="button button--primary"
              onClick={() => handlers.onResume(id)}
              data-testid="resume"
            >
              {t('action_resume_download')}
            </button>
          ) : null}
          {again ? (
            <button
              type="button"
              class="button button--primary"
              onClick={() => again(id, 'other')}
              data-testid="download-other-mirror"
            >
              {t('action_download_other_mirror')}
            </button>
          ) : null}
          {again ? (
            <button type="button" class="button" onClick={() => again(id, 'same')} data-testid="download-again">
              {t('action_download_again')}
            </button>
          ) : null}
          {canRedecide && handlers.onRetry ? (
            <button
              type="button"
              class="button button--primary"
              onClick={() => handlers.onRetry!(id)}
              data-testid="try-again"
            >
              {t('action_retry')}
            </button>
          ) : null}
          {phase !== 'cancelled' ? (
            <button
              type="button"
              class={`button${phase === 'awaiting-file' ? ' button--primary' : ''}`}
              onClick={() => handlers.onOpenVerify(id)}
              data-testid="open-verify"
            >
              {t('action_open_verify_page')}
            </button>
          ) : null}
          {error && handlers.onRetry ? (
            <button type="button" class="button" onClick={() => handlers.onRetry!(id)}>
              {t('action_retry')}
            </button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

/** What became of a download the browser started by itself (Firefox takeover, src/extension/takeover.ts). */
function TakeoverLine({ note }: { note: TakeoverNote }) {
  const t = useT();
  if (note.kind === 'restarted') {
    return (
      <p class="download-status muted" data-testid="takeover" data-takeover="restarted">
        {t('takeover_restarted')}
      </p>
    );
  }
  return (
    <p class="download-status" data-testid="takeover" data-takeover="not-restarted">
      {t('takeover_not_restarted')} <ErrorText error={note.error} />
    </p>
  );
}

export function DownloadList({ downloads, product, ...handlers }: DownloadListProps) {
  const t = useT();
  if (downloads.length === 0) {
    return (
      <div class="empty" data-testid="downloads-empty">
        <p class="empty-title">{t('popup_empty_title')}</p>
        <p>{t('popup_empty_body', product)}</p>
      </div>
    );
  }
  return (
    <ul class="downloads" data-testid="downloads">
      {sortDownloads(downloads).map((download) => (
        <DownloadItem key={download.id} download={download} {...handlers} />
      ))}
    </ul>
  );
}
