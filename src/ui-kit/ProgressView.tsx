/**
 * Progress of a download or hash: bar, bytes, percent, rate, time left, and a cancel button.
 * Screen readers get the bar's aria values plus a polite live region that only changes every
 * 10 %, so they are told about progress without being flooded.
 */
import type { HashProgress } from '../core/hash/types.js';
import { localeOf, useT } from './i18n-core.js';
import { formatBytes, formatDuration, formatRate, percentOf, unitFor } from './format.js';

export interface ProgressViewProps {
  progress: HashProgress;
  /** What is in progress, e.g. "Checking the file…". */
  label: string;
  onCancel?: () => void;
  compact?: boolean;
}

export function ProgressView({ progress, label, onCancel, compact = false }: ProgressViewProps) {
  const t = useT();
  const locale = localeOf(t);
  const percent = percentOf(progress.bytes, progress.total);
  const unit = unitFor(progress.total ?? progress.bytes);
  const amount =
    progress.total !== undefined
      ? t('progress_amount', [formatBytes(progress.bytes, locale, unit), formatBytes(progress.total, locale, unit)])
      : formatBytes(progress.bytes, locale);
  const facts = [
    amount,
    percent !== undefined ? t('progress_percent', percent) : undefined,
    progress.rate > 0 ? formatRate(progress.rate, locale) : undefined,
    progress.etaSeconds !== undefined && progress.rate > 0
      ? t('progress_eta', formatDuration(progress.etaSeconds))
      : undefined,
  ].filter((fact): fact is string => fact !== undefined);
  const announced = percent !== undefined ? t('progress_announce', [label, Math.floor(percent / 10) * 10]) : label;

  return (
    <div class={`progress${compact ? ' progress--compact' : ''}`} data-testid="progress">
      <p class="progress-label">{label}</p>
      <div
        class={`progress-track${percent === undefined ? ' progress-track--indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={facts.join(', ')}
      >
        <div class="progress-fill" style={{ width: `${percent ?? 0}%` }} />
      </div>
      <p class="progress-facts">{facts.join(' · ')}</p>
      <p class="visually-hidden" aria-live="polite" data-testid="progress-live">
        {announced}
      </p>
      {onCancel ? (
        <div class="actions">
          <button type="button" class="button" onClick={onCancel} data-testid="cancel">
            {t('action_cancel')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
