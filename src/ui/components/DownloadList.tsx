/**
 * A tracked download as a card — what it is (name, where from, when, how big), its live phase,
 * progress, the verdict one-liner that expands to its evidence, and the actions that fit each
 * state — and the popup's list of them. The verification page shows the same card for the
 * download it is about, with the same actions. Data in, callbacks out.
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
import { Fragment } from 'preact';
import type { HashProgress } from '../../core/hash/types.js';
import { localeOf, useT } from '../../ui-kit/i18n-core.js';
import { formatBytes, formatStarted, formatTime } from '../../ui-kit/format.js';
import { ErrorText } from '../../ui-kit/ErrorText.js';
import { Icon } from '../../ui-kit/icons.js';
import { ProgressView } from '../../ui-kit/ProgressView.js';
import { ReproView } from '../../ui-kit/ReproView.js';
import { VerdictView } from '../../ui-kit/VerdictView.js';
import { identityOf, type DownloadIdentity } from './download-identity.js';

/**
 * What a person can do with a tracked download, wherever it is shown (popup, verification
 * page): one set of handlers, sent to the background by src/ui/pages/download-actions.ts.
 */
export interface DownloadActionHandlers {
  onResume?: (id: string) => void;
  onCancel?: (id: string) => void;
  onRetry?: (id: string) => void;
  /** Download the file again, from the same URL or another mirror of the pool. */
  onDownloadAgain?: (id: string, from: 'same' | 'other') => void;
}

export interface DownloadListProps extends DownloadActionHandlers {
  downloads: TrackedDownload[];
  /** The profile's product name ("Tails"), for the empty state. */
  product: string;
  onResume: (id: string) => void;
  onOpenVerify: (id: string) => void;
  onForget: (id: string) => void;
  /** The clock (epoch ms) that says whether a download started today; now by default. */
  now?: number;
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

/**
 * The quiet lines under the file name: "from mirror.example.net", then "started 9:10 AM ·
 * 1.56 GB", with "· SHA-256 3f2a9c1e…" where another download has the same name. Each fact stays
 * on one line; a narrow popup wraps between them, the separator ending the line.
 */
export function IdentityLines({ identity, now }: { identity: DownloadIdentity; now: number }) {
  const t = useT();
  const locale = localeOf(t);
  const facts: [string, string][] = [
    ['started', t('download_started', formatStarted(identity.startedAt, now, locale))],
  ];
  if (identity.size !== undefined) facts.push(['size', formatBytes(identity.size, locale)]);
  if (identity.hashPrefix !== undefined) facts.push(['hash', t('download_hash_prefix', identity.hashPrefix)]);
  return (
    <>
      <span class="muted download-mirror">{t('download_from', identity.host)}</span>
      <span class="muted download-facts" data-testid="download-identity">
        {facts.map(([name, text], index) => (
          <Fragment key={name}>
            <span class="download-fact" data-fact={name}>
              {text}
            </span>
            {/* The dot stays with the fact before it; the line may break after it. */}
            {index < facts.length - 1 ? '\u00a0· ' : ''}
          </Fragment>
        ))}
      </span>
    </>
  );
}

export interface DownloadCardProps extends DownloadActionHandlers {
  download: TrackedDownload;
  identity: DownloadIdentity;
  now: number;
  /** The popup's "Open verification page"; absent on that page itself. */
  onOpenVerify?: (id: string) => void;
  /** The popup's "Forget"; absent where the card is the page's subject. */
  onForget?: (id: string) => void;
  /** Whether to show the download's verdict (the verification page hides it once it shows its own result). */
  showVerdict?: boolean;
  /** The list item (popup) or a section of its own (verification page). */
  as?: 'li' | 'section';
}

export function DownloadCard({
  download,
  identity,
  now,
  showVerdict = true,
  as: Tag = 'li',
  ...handlers
}: DownloadCardProps) {
  const t = useT();
  const { id, phase } = download;
  const inProgress = isActive(phase);
  const error = errorOf(download);
  const again = canDownloadAgain(download) && handlers.onDownloadAgain ? handlers.onDownloadAgain : undefined;
  // A verdict that lacked release data can be decided again from the kept hash.
  const redecide = download.phase === 'done' && download.hash !== undefined ? download.redecide : undefined;
  const canRedecide = download.phase === 'done' && download.hash !== undefined;
  const { onForget, onOpenVerify, onResume, onRetry } = handlers;
  const actions = [
    phase === 'interrupted' && canResumeDownload(download) && onResume ? (
      <button
        key="resume"
        type="button"
        class="button button--primary"
        onClick={() => onResume(id)}
        data-testid="resume"
      >
        {t('action_resume_download')}
      </button>
    ) : null,
    again ? (
      <button
        key="other"
        type="button"
        class="button button--primary"
        onClick={() => again(id, 'other')}
        data-testid="download-other-mirror"
      >
        {t('action_download_other_mirror')}
      </button>
    ) : null,
    again ? (
      <button key="again" type="button" class="button" onClick={() => again(id, 'same')} data-testid="download-again">
        {t('action_download_again')}
      </button>
    ) : null,
    canRedecide && onRetry ? (
      <button
        key="try-again"
        type="button"
        class="button button--primary"
        onClick={() => onRetry(id)}
        data-testid="try-again"
      >
        {t('action_retry')}
      </button>
    ) : null,
    // Not beside "download again": the short file is no use there, and a third button pushed
    // the row past the popup's edge in German.
    onOpenVerify && phase !== 'cancelled' && phase !== 'downloading' && !again ? (
      <button
        key="open-verify"
        type="button"
        class={`button${phase === 'awaiting-file' ? ' button--primary' : ''}`}
        onClick={() => onOpenVerify(id)}
        data-testid="open-verify"
      >
        {t('action_open_verify_page')}
      </button>
    ) : null,
    error && onRetry ? (
      <button key="retry" type="button" class="button" onClick={() => onRetry(id)} data-testid="retry">
        {t('action_retry')}
      </button>
    ) : null,
  ].filter((action) => action !== null);
  return (
    <Tag class="download" data-testid="download" data-id={id} data-phase={phase}>
      <div class="download-head">
        <Icon name="file" class="download-icon" />
        <div class="download-title">
          <span class="filename">{download.fileName}</span>
          <IdentityLines identity={identity} now={now} />
        </div>
        {/* In the head, not the action row: with three buttons a long German label wrapped onto a line of its own. */}
        {!inProgress && onForget ? (
          <button
            type="button"
            class="button button--quiet download-forget"
            onClick={() => onForget(id)}
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
      {/* (On the verification page its picker, right below, is the answer.) */}
      {phase === 'awaiting-file' && onOpenVerify ? <p class="download-status">{t('download_awaiting_file')}</p> : null}
      {phase === 'interrupted' ? <p class="download-status">{t('phase_interrupted')}</p> : null}
      {phase === 'cancelled' ? <p class="download-status muted">{t('phase_cancelled')}</p> : null}
      {phase === 'failed' ? <p class="download-status">{t('phase_failed')}</p> : null}
      {download.phase === 'done' && showVerdict ? (
        <VerdictView
          compact
          live
          verdict={download.verdict}
          {...(download.alternativeUrl ? { alternativeUrl: download.alternativeUrl } : {})}
          {...(canResumeDownload(download) && onResume ? { onResume: () => onResume(id) } : {})}
        />
      ) : null}
      {download.phase === 'done' && showVerdict && download.repro ? <ReproView status={download.repro} /> : null}
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
      {actions.length > 0 ? <div class="actions actions--small">{actions}</div> : null}
    </Tag>
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

export function DownloadList({ downloads, product, now = Date.now(), ...handlers }: DownloadListProps) {
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
        <DownloadCard
          key={download.id}
          download={download}
          identity={identityOf(download, downloads)}
          now={now}
          {...handlers}
        />
      ))}
    </ul>
  );
}
