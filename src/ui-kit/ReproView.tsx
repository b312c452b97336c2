/**
 * Whether independent rebuilders reproduced the release: one line first, the per-rebuilder
 * list on demand. Root: data-testid="repro" data-repro-met="true|false".
 */
import { useId } from 'preact/hooks';
import type { ReproStatus } from '../core/repro/types.js';
import { localeOf, useT, type Translate } from './i18n-core.js';
import { formatDate, safeHref } from './format.js';
import { Icon, type IconName } from './icons.js';
import { rebuilderStateKey, type Tone } from './labels.js';

interface ReproSummary {
  tone: Tone;
  icon: IconName;
  headline: string;
}

export function reproSummary(t: Translate, status: ReproStatus): ReproSummary {
  const total = status.rebuilders.length;
  // A rebuilder that built different bytes outweighs any number that agree.
  if (status.anyMismatch) return { tone: 'bad', icon: 'cross', headline: t('repro_mismatch') };
  if (total === 0) return { tone: 'weak', icon: 'info', headline: t('repro_none_configured') };
  if (status.met) return { tone: 'good', icon: 'check', headline: t('repro_met', [status.reproducedBy, total]) };
  if (status.reproducedBy > 0) return { tone: 'weak', icon: 'minus', headline: t('repro_partial', [status.reproducedBy, total, status.threshold]) };
  return { tone: 'weak', icon: 'minus', headline: t('repro_not_yet') };
}

export function ReproView({ status, open = false }: { status: ReproStatus; open?: boolean }) {
  const t = useT();
  const locale = localeOf(t);
  const summary = reproSummary(t, status);
  const detailsId = `repro-${useId()}`;
  // Red under a green "Verified" needs words: what it means and what to do, and the evidence
  // one click away (the list opens on its own, the link leads there).
  const explainMismatch = status.anyMismatch && status.rebuilders.length > 0;
  return (
    <section class={`repro repro--${summary.tone}`} data-testid="repro" data-repro-met={String(status.met)}>
      <p class="repro-headline">
        <Icon name={summary.icon} class="repro-icon" />
        <span>{summary.headline}</span>
      </p>
      {explainMismatch ? (
        <p class="repro-explain" data-testid="repro-mismatch-explain">
          {t('repro_mismatch_explain')}{' '}
          <a href={`#${detailsId}`} data-testid="repro-evidence-link">{t('repro_show_evidence')}</a>
        </p>
      ) : null}
      {status.rebuilders.length ? (
        <details class="repro-details" id={detailsId} open={open || explainMismatch}>
          <summary>{t('repro_show_rebuilders')}</summary>
          <ul class="rebuilders">
            {status.rebuilders.map((rebuilder) => {
              const log = safeHref(rebuilder.buildLogUrl);
              return (
                <li key={rebuilder.keyId + rebuilder.name} class="rebuilder" data-state={rebuilder.state}>
                  <span class="rebuilder-name">{rebuilder.name}</span>
                  <span class={`badge badge--${rebuilder.state === 'reproduced' ? 'good' : rebuilder.state === 'mismatch' ? 'bad' : 'neutral'}`}>
                    {t(rebuilderStateKey(rebuilder.state))}
                  </span>
                  {rebuilder.date ? <span class="muted">{formatDate(rebuilder.date, locale)}</span> : null}
                  {log ? (
                    <a href={log} rel="noopener noreferrer" target="_blank">
                      {t('repro_build_log')}
                    </a>
                  ) : null}
                  {rebuilder.state === 'mismatch' && rebuilder.attestedSha256 ? (
                    <span class="rebuilder-detail muted">{t('repro_attested_sha256', rebuilder.attestedSha256)}</span>
                  ) : null}
                  {rebuilder.detail ? <span class="rebuilder-detail muted">{rebuilder.detail}</span> : null}
                </li>
              );
            })}
          </ul>
          <p class="muted">{t('repro_checked_at', formatDate(status.checkedAt, locale))}</p>
        </details>
      ) : null}
    </section>
  );
}
