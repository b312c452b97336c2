/**
 * What the widget shows: the extension's verdicts for downloads it watched (when it is
 * installed), a file picker, progress with ETA and cancel, and the same VerdictView as the
 * extension. A picked file is verified by the extension when it answered `hello` (its own
 * profile and pinned key), otherwise here, with the verification code loaded on demand.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ErrorInfo } from '../core/errors.js';
import { errorInfo } from '../core/errors.js';
import type { HashProgress } from '../core/hash/types.js';
import type { Verdict } from '../core/verdict.js';
import { ErrorText } from '../ui-kit/ErrorText.js';
import { FilePicker } from '../ui-kit/FilePicker.js';
import { Icon } from '../ui-kit/icons.js';
import { imageTypeKey, VERDICT_TONE, type Tone } from '../ui-kit/labels.js';
import { phaseKey } from '../wire/download.js';
import { ProgressView } from '../ui-kit/ProgressView.js';
import { VerdictView } from '../ui-kit/VerdictView.js';
import { formatDate } from '../ui-kit/format.js';
import { localeOf, useT, type Translate } from '../ui-kit/i18n-core.js';
import { runVerification, type VerifyFlowDeps } from '../ui-kit/verify-flow.js';
import type { DownloadSummary, HelloInfo } from '../wire/page-protocol.js';
import type { ExtensionBridge } from './extension-bridge.js';

type Stage =
  | { step: 'idle' }
  | { step: 'loading'; fileName: string }
  | { step: 'hashing'; fileName: string; progress: HashProgress; byExtension: boolean }
  | { step: 'deciding'; fileName: string; byExtension: boolean }
  | { step: 'done'; verdict: Verdict; byExtension: boolean }
  | { step: 'failed'; error: ErrorInfo }
  | { step: 'cancelled' };

export interface WidgetProps {
  product: string;
  /** Absent when the page offers no bridge (tests) — the widget then never looks for the extension. */
  bridge?: ExtensionBridge;
  /** Loads the verification code (dynamic import in the bundle). */
  loadDeps: () => Promise<VerifyFlowDeps>;
  /** Unique per widget on the page (label/input pairing). */
  inputId: string;
  /** Initial state, for rendering tests and screenshots. */
  initial?: { extension?: HelloInfo; downloads?: DownloadSummary[]; stage?: Stage };
}

export type WidgetStage = Stage;

/** The extension gives the page one download at most (the newest of the current release). */
const MAX_SHOWN_DOWNLOADS = 1;

export function Widget({ product, bridge, loadDeps, inputId, initial }: WidgetProps) {
  const t = useT();
  const [extension, setExtension] = useState<HelloInfo | 'checking' | 'absent'>(
    initial?.extension ?? (bridge ? 'checking' : 'absent'),
  );
  const [downloads, setDownloads] = useState<DownloadSummary[]>(initial?.downloads ?? []);
  const [stage, setStage] = useState<Stage>(initial?.stage ?? { step: 'idle' });
  const controller = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    if (!bridge) return;
    let stopped = false;
    let stopWatching: (() => void) | undefined;
    void bridge.hello().then((info) => {
      if (stopped) return;
      setExtension(info ?? 'absent');
      if (info) stopWatching = bridge.watchStatus((list) => !stopped && setDownloads(list));
    });
    return () => {
      stopped = true;
      stopWatching?.();
      controller.current?.abort();
    };
  }, [bridge]);

  const byExtension = typeof extension === 'object';

  const verify = async (file: File) => {
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    const live = () => !abort.signal.aborted;
    const onProgress = (progress: HashProgress) =>
      live() && setStage({ step: 'hashing', fileName: file.name, progress, byExtension });
    try {
      let verdict: Verdict;
      if (byExtension && bridge) {
        setStage({
          step: 'hashing',
          fileName: file.name,
          progress: { bytes: 0, total: file.size, rate: 0 },
          byExtension,
        });
        verdict = await bridge.verifyFile(file, { onProgress, signal: abort.signal });
      } else {
        setStage({ step: 'loading', fileName: file.name });
        const deps = await loadDeps();
        if (!live()) return;
        setStage({
          step: 'hashing',
          fileName: file.name,
          progress: { bytes: 0, total: file.size, rate: 0 },
          byExtension,
        });
        ({ verdict } = await runVerification(file, deps, {
          signal: abort.signal,
          onProgress,
          onHashed: () => live() && setStage({ step: 'deciding', fileName: file.name, byExtension }),
          onVerdict: () => undefined,
        }));
      }
      if (live()) setStage({ step: 'done', verdict, byExtension });
    } catch (error) {
      if (controller.current !== abort) return; // replaced by a newer file
      const info = errorInfo(error);
      setStage(info.code === 'aborted' ? { step: 'cancelled' } : { step: 'failed', error: info });
    }
  };

  const busy = stage.step === 'loading' || stage.step === 'hashing' || stage.step === 'deciding';
  const shown = downloads.slice(0, MAX_SHOWN_DOWNLOADS);
  return (
    <div
      class="widget"
      part="container"
      data-testid="iso-verify-widget"
      data-extension={typeof extension === 'object' ? 'present' : extension}
    >
      <p class="lead" part="intro">
        {t('embed_intro', product)}
      </p>
      {typeof extension === 'object' ? (
        <p class="extension-note" part="extension" data-testid="extension-present">
          <Icon name="check" class="extension-note-icon" />
          <span>{t('embed_extension_present', extension.version)}</span>
        </p>
      ) : null}
      {shown.length > 0 ? (
        <ul class="extension-downloads" part="downloads" data-testid="extension-downloads">
          {shown.map((download) => (
            <DownloadLine key={download.fileName} download={download} />
          ))}
        </ul>
      ) : null}
      {/* The extension verified the download: asking to choose the file again would only
          confuse; the picker stays one click away for another file. */}
      {stage.step === 'idle' && shown.some((download) => download.verdict?.kind === 'verified') ? (
        <details part="picker" data-testid="picker-other-file">
          <summary>{t('embed_check_other_file')}</summary>
          <FilePicker onFile={(file) => void verify(file)} disabled={busy} inputId={inputId} />
        </details>
      ) : (
        <div part="picker">
          <FilePicker onFile={(file) => void verify(file)} disabled={busy} inputId={inputId} />
        </div>
      )}
      <div class="result" part="result" aria-live="polite">
        {stage.step === 'loading' ? <p class="status-line">{t('embed_loading_engine')}</p> : null}
        {stage.step === 'hashing' ? (
          <div part="progress">
            <ProgressView
              progress={stage.progress}
              label={t('verify_hashing', stage.fileName)}
              onCancel={() => controller.current?.abort()}
            />
          </div>
        ) : null}
        {stage.step === 'deciding' ? <p class="status-line">{t('verify_deciding')}</p> : null}
        {stage.step === 'cancelled' ? <p class="status-line">{t('verify_cancelled')}</p> : null}
        {stage.step === 'failed' ? (
          <p class="status-line status-line--bad" part="error" data-testid="verify-error">
            <ErrorText error={stage.error} />
          </p>
        ) : null}
        {stage.step === 'done' ? (
          <div part="verdict">
            <VerdictView verdict={stage.verdict} live={false} evidenceOpen={false} />
            {stage.byExtension ? (
              <p class="muted checked-by" part="note" data-testid="checked-by-extension">
                {t('embed_checked_by_extension')}
              </p>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** The message key of the one-line answer about a watched download. */
export function downloadLineKey(download: DownloadSummary): string {
  const kind = download.verdict?.kind;
  if (!kind) return 'embed_download_pending';
  if (kind === 'verified') return 'embed_download_verified';
  if (kind === 'incomplete') return 'embed_download_incomplete';
  if (kind === 'unverifiable') return 'embed_download_unverifiable';
  if (kind === 'checksum-only') return 'embed_download_checksum_only';
  // "Do not use it" only when a signature proves it (#20); otherwise it could not be verified.
  return download.verdict?.proven ? 'embed_download_bad' : 'embed_download_unverifiable';
}

function detailLine(t: Translate, download: DownloadSummary): string | undefined {
  const verdict = download.verdict;
  if (!verdict) return undefined;
  if (verdict.kind === 'verified' && verdict.product && verdict.type && verdict.signatureTime) {
    // No version when no signature names it (Tails' IMG): the product and image type only.
    const type = t(imageTypeKey(verdict.type));
    const release = verdict.version
      ? t('release_name', [verdict.product, verdict.version, type])
      : t('release_name_unversioned', [verdict.product, type]);
    return t('embed_download_signed', [release, formatDate(verdict.signatureTime, localeOf(t))]);
  }
  return t('embed_download_details');
}

function DownloadLine({ download }: { download: DownloadSummary }) {
  const t = useT();
  const verdict = download.verdict;
  // Red only for what a signature proves (#20): an unproven "bad" kind is amber.
  const tone: Tone | 'busy' = !verdict
    ? 'busy'
    : VERDICT_TONE[verdict.kind] === 'bad' && !verdict.proven
      ? 'warn'
      : VERDICT_TONE[verdict.kind];
  const icon =
    tone === 'good'
      ? 'check'
      : tone === 'bad'
        ? 'cross'
        : tone === 'warn'
          ? 'warning'
          : tone === 'weak'
            ? 'minus'
            : 'info';
  const state =
    download.percent !== undefined
      ? `${t(phaseKey(download.phase))} ${t('progress_percent', download.percent)}`
      : t(phaseKey(download.phase));
  const detail = detailLine(t, download);
  return (
    <li
      class={`extension-download extension-download--${tone}`}
      data-testid="extension-download"
      data-verdict={download.verdict?.kind ?? 'pending'}
    >
      <Icon name={icon} class="extension-download-icon" />
      <div>
        <p class="extension-download-headline" data-testid="extension-download-headline">
          {t(downloadLineKey(download), [download.fileName, state])}
        </p>
        {detail ? <p class="muted">{detail}</p> : null}
      </div>
    </li>
  );
}
