/**
 * Whether independent rebuilders reproduced the release: one line first, the per-rebuilder
 * list on demand. Root: data-testid="repro" data-repro-met="true|false" data-repro-state=
 * "none|not-enough|mismatch|met|partial|not-yet". Reproducers the person added are labelled as
 * theirs. A status never changes the verdict shown above it.
 */
import { useId } from 'preact/hooks';
import type { RebuilderResult, ReproStatus } from '../core/repro/types.js';
import { localeOf, useT, type Translate } from './i18n-core.js';
import { formatDate, safeHref } from './format.js';
import { Icon, type IconName } from './icons.js';
import { ErrorText } from './ErrorText.js';
import { rebuilderReasonKey, rebuilderStateKey, type Tone } from './labels.js';

/** docs/reproduce.md as the build ships it in the extension (build/manifest.js REPRODUCE_DOC). */
export const REPRODUCE_DOC_URL = 'reproduce.txt';

type ReproState = 'none' | 'not-enough' | 'mismatch' | 'met' | 'partial' | 'not-yet';

interface ReproSummary {
  state: ReproState;
  tone: Tone;
  icon: IconName;
  headline: string;
}

export function reproSummary(t: Translate, status: ReproStatus): ReproSummary {
  const total = status.rebuilders.length;
  // A rebuilder that built different bytes outweighs any number that agree.
  if (status.anyMismatch) return { state: 'mismatch', tone: 'bad', icon: 'cross', headline: t('repro_mismatch') };
  if (total === 0) return { state: 'none', tone: 'weak', icon: 'info', headline: t('repro_none_configured') };
  if (status.enoughReproducers === false) {
    return {
      state: 'not-enough',
      tone: 'weak',
      icon: 'info',
      headline: t('repro_not_enough', [status.reproducedBy, status.distinctKeys ?? 0, status.threshold]),
    };
  }
  if (status.met)
    return { state: 'met', tone: 'good', icon: 'check', headline: t('repro_met', [status.reproducedBy, total]) };
  if (status.reproducedBy > 0) {
    return {
      state: 'partial',
      tone: 'weak',
      icon: 'minus',
      headline: t('repro_partial', [status.reproducedBy, total, status.threshold]),
    };
  }
  return { state: 'not-yet', tone: 'weak', icon: 'minus', headline: t('repro_not_yet') };
}

export function ReproView({
  status,
  open = false,
  howToUrl = REPRODUCE_DOC_URL,
}: {
  status: ReproStatus;
  open?: boolean;
  howToUrl?: string;
}) {
  const t = useT();
  const locale = localeOf(t);
  const summary = reproSummary(t, status);
  const detailsId = `repro-${useId()}`;
  // Red under a green "Verified" needs words: what it means and what to do, and the evidence
  // one click away (the list opens on its own, the link leads there).
  const explainMismatch = status.anyMismatch && status.rebuilders.length > 0;
  return (
    <section
      class={`repro repro--${summary.tone}`}
      data-testid="repro"
      data-repro-met={String(status.met)}
      data-repro-state={summary.state}
    >
      <p class="repro-headline">
        <Icon name={summary.icon} class="repro-icon" />
        <span>
          {summary.headline}
          {summary.state === 'none' ? (
            <>
              {' '}
              <a
                class="repro-howto"
                data-testid="repro-howto"
                href={howToUrl}
                target="_blank"
                rel="noopener noreferrer"
              >
                {t('repro_how_to')}
              </a>
            </>
          ) : null}
        </span>
      </p>
      {explainMismatch ? (
        <p class="repro-explain" data-testid="repro-mismatch-explain">
          {t('repro_mismatch_explain')}{' '}
          <a href={`#${detailsId}`} data-testid="repro-evidence-link">
            {t('repro_show_evidence')}
          </a>
        </p>
      ) : null}
      {status.rebuilders.length ? (
        <details class="repro-details" id={detailsId} open={open || explainMismatch}>
          <summary>{t('repro_show_rebuilders')}</summary>
          <ul class="rebuilders">
            {status.rebuilders.map((rebuilder) => {
              const log = safeHref(rebuilder.buildLogUrl);
              const link = safeHref(rebuilder.attestationUrl);
              const mine = rebuilder.source === 'person';
              return (
                <li
                  key={rebuilder.keyId + rebuilder.name + (rebuilder.source ?? '')}
                  class="rebuilder"
                  data-state={rebuilder.state}
                  data-source={rebuilder.source ?? 'profile'}
                >
                  <span class="rebuilder-name">{rebuilder.name}</span>
                  {mine ? <span class="badge badge--mine">{t('repro_added_by_you')}</span> : null}
                  <span
                    class={`badge badge--${rebuilder.state === 'reproduced' ? 'good' : rebuilder.state === 'mismatch' ? 'bad' : 'neutral'}`}
                  >
                    {t(rebuilderStateKey(rebuilder.state))}
                  </span>
                  {rebuilder.date ? <span class="muted">{formatDate(rebuilder.date, locale)}</span> : null}
                  {log ? (
                    <a href={log} rel="noopener noreferrer" target="_blank">
                      {t('repro_build_log')}
                    </a>
                  ) : null}
                  {link ? (
                    <a href={link} rel="noopener noreferrer" target="_blank">
                      {t('repro_attestation')}
                    </a>
                  ) : null}
                  {rebuilder.state === 'mismatch' && rebuilder.attestedSha256 ? (
                    <span class="rebuilder-detail muted">{t('repro_attested_sha256', rebuilder.attestedSha256)}</span>
                  ) : null}
                  <RebuilderReasonText rebuilder={rebuilder} />
                </li>
              );
            })}
          </ul>
          {status.thresholdSource === 'person' ? (
            <p class="muted">{t('repro_threshold_yours', [status.threshold])}</p>
          ) : null}
          <p class="muted">{t('repro_checked_at', formatDate(status.checkedAt, locale))}</p>
        </details>
      ) : null}
    </section>
  );
}

/**
 * Why a rebuilder is in its state, in the UI language: the core gives a reason code (and the
 * typed error or the release an attestation names); `detail` is the CLI's English and shows
 * only for a status stored by an older version that has no reason.
 */
function RebuilderReasonText({ rebuilder }: { rebuilder: RebuilderResult }) {
  const t = useT();
  const { reason } = rebuilder;
  if (reason === 'error' && rebuilder.error)
    return <ErrorText class="rebuilder-detail muted" error={rebuilder.error} />;
  if (reason === 'other-release') {
    const named = [rebuilder.attestedRelease?.product, rebuilder.attestedRelease?.version].filter(Boolean).join(' ');
    return <span class="rebuilder-detail muted">{t(rebuilderReasonKey(reason), named || '?')}</span>;
  }
  if (reason !== undefined && reason !== 'error')
    return <span class="rebuilder-detail muted">{t(rebuilderReasonKey(reason))}</span>;
  return rebuilder.detail ? <span class="rebuilder-detail muted">{rebuilder.detail}</span> : null;
}
