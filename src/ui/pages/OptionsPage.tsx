/** Settings and facts: which profile is trusted, its pinned keys, Chrome file access, private windows, history. */
import { useEffect, useState } from 'preact/hooks';
import { HISTORY_DAYS_DEFAULT } from '../../extension/history.js';
import type { Reply, StateResponse } from '../../wire/messages.js';
import type { Profile } from '../../core/profile.js';
import { localeOf, useT } from '../../ui-kit/i18n-core.js';
import { formatDate, groupFingerprint, safeHref } from '../../ui-kit/format.js';
import { ReproducersSection, type ReproducersSectionProps } from '../components/ReproducersSection.js';
import { log } from '../../extension/log.js';

export function FileAccessText({ fileAccess }: { fileAccess: StateResponse['fileAccess'] | undefined }) {
  const t = useT();
  if (fileAccess === true)
    return (
      <p data-testid="file-access" data-allowed="true">
        {t('options_file_access_yes')}
      </p>
    );
  if (fileAccess === false) {
    return (
      <div data-testid="file-access" data-allowed="false">
        <p>{t('options_file_access_no')}</p>
        <ol class="steps">
          <li>{t('options_file_access_step1')}</li>
          <li>{t('options_file_access_step2')}</li>
          <li>{t('options_file_access_step3')}</li>
        </ol>
      </div>
    );
  }
  // Not known until the background answers: say nothing rather than something that may be
  // false in this browser. 'unknown' is Firefox's answer (it hashes while the download runs).
  if (fileAccess === undefined)
    return (
      <p data-testid="file-access" class="muted">
        {t('loading')}
      </p>
    );
  return (
    <p data-testid="file-access" data-allowed="unknown">
      {t('options_file_access_unknown')}
    </p>
  );
}

/** Whether the extension runs in private windows (extension.isAllowedIncognitoAccess), and how to allow it. */
export interface PrivateAccess {
  allowed: boolean | undefined;
  browser: 'firefox' | 'chrome';
}

export function PrivateWindowsSection({ access }: { access: PrivateAccess | undefined }) {
  const t = useT();
  if (!access) return null;
  const text =
    access.allowed === true
      ? t('options_private_allowed')
      : access.allowed === false
        ? t(access.browser === 'firefox' ? 'options_private_not_allowed_firefox' : 'options_private_not_allowed_chrome')
        : t('options_private_unknown');
  return (
    <section class="card" data-testid="private-windows" data-allowed={String(access.allowed)}>
      <h2>{t('options_private_heading')}</h2>
      <p>{text}</p>
    </section>
  );
}

/** Choices of the history select; a stored value not among them is added. 0: keep no history. */
export const HISTORY_CHOICES = [0, 1, HISTORY_DAYS_DEFAULT, 30, 90, 365];

export function HistorySection({
  keepDays,
  onChange,
}: {
  keepDays: number | undefined;
  onChange: (days: number) => Promise<void>;
}) {
  const t = useT();
  const [saved, setSaved] = useState(false);
  if (keepDays === undefined) return null;
  const choices = HISTORY_CHOICES.includes(keepDays)
    ? HISTORY_CHOICES
    : [...HISTORY_CHOICES, keepDays].sort((a, b) => a - b);
  const label = (days: number) =>
    days === 0 ? t('options_history_none') : days === 1 ? t('options_history_day') : t('options_history_days', [days]);
  return (
    <section class="card" data-testid="history" data-keep-days={String(keepDays)}>
      <h2>{t('options_history_heading')}</h2>
      <p>{t('options_history_explain')}</p>
      <p>
        <label for="history-days">{t('options_history_label')}</label>{' '}
        <select
          id="history-days"
          value={String(keepDays)}
          onChange={(event) => {
            setSaved(false);
            void onChange(Number((event.currentTarget as HTMLSelectElement).value)).then(() => setSaved(true));
          }}
        >
          {choices.map((days) => (
            <option key={days} value={String(days)}>
              {label(days)}
            </option>
          ))}
        </select>{' '}
        <span role="status" aria-live="polite">
          {saved ? t('options_history_saved') : ''}
        </span>
      </p>
      <p class="muted">{t('options_history_kept')}</p>
    </section>
  );
}

/** Which mirror origins the user has let the extension read (Firefox hashes downloads as they arrive). */
export interface MirrorAccess {
  origins: string[];
  granted: string[];
}

export function MirrorAccessSection({
  access,
  onRequest,
}: {
  access: MirrorAccess | undefined;
  onRequest: () => void;
}) {
  const t = useT();
  if (!access) return null;
  const missing = access.origins.filter((o) => !access.granted.includes(o));
  return (
    <section class="card" data-testid="mirror-access" data-missing={String(missing.length)}>
      <h2>{t('options_mirror_access_heading')}</h2>
      {access.origins.length === 0 ? (
        <p>{t('options_mirror_access_unknown')}</p>
      ) : missing.length === 0 ? (
        <p>
          {access.origins.length === 1
            ? t('options_mirror_access_one')
            : t('options_mirror_access_all', [access.origins.length])}
        </p>
      ) : (
        <>
          <p>{t('options_mirror_access_some', [access.origins.length - missing.length, access.origins.length])}</p>
          <p>
            <button type="button" class="button button--primary" onClick={onRequest}>
              {t('options_mirror_access_request')}
            </button>
          </p>
        </>
      )}
    </section>
  );
}

/** The pinned signing key as this browser knows it (src/core/freshness.ts StoredSigningKey). */
export interface SigningKeyFacts {
  /** Until when the key in use can sign (ISO date; null: no end; undefined: unknown). */
  signingUntil?: string | null | undefined;
  /** When it was last refreshed from the official site; undefined: never (the built-in copy is used). */
  refreshedAt?: string | undefined;
}

export function SigningKeyRow({ facts }: { facts: SigningKeyFacts | undefined }) {
  const t = useT();
  if (!facts) return null;
  const locale = localeOf(t);
  // A key's end is a day (UTC, as the key states it), not a moment.
  const day = (iso: string) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime())
      ? iso
      : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
  };
  return (
    <div class="ev-row" data-testid="signing-key">
      <dt>{t('options_signing_key')}</dt>
      <dd>
        {facts.signingUntil === null
          ? t('options_signing_key_no_end')
          : facts.signingUntil
            ? t('options_signing_key_until', [day(facts.signingUntil)])
            : null}
        <br />
        <span data-testid="signing-key-refreshed" data-refreshed={facts.refreshedAt ?? ''}>
          {facts.refreshedAt
            ? t('options_signing_key_refreshed', [formatDate(facts.refreshedAt, locale)])
            : t('options_signing_key_not_refreshed')}
        </span>
      </dd>
    </div>
  );
}

/** `loadState` asks the background (get-state); passed in so the page has no extension APIs. */
export function OptionsPage({
  profile,
  loadState,
  mirrorAccess,
  onRequestMirrorAccess,
  reproducers,
  signingKey,
  privateAccess,
  history,
}: {
  profile: Profile;
  /** Until when the key can sign and when it was last refreshed; absent until read. */
  signingKey?: SigningKeyFacts | undefined;
  loadState: () => Promise<Reply<StateResponse>>;
  mirrorAccess?: MirrorAccess | undefined;
  onRequestMirrorAccess?: () => void;
  /** The person's reproducers section; absent until their settings are loaded. */
  reproducers?: Omit<ReproducersSectionProps, 'profile'>;
  privateAccess?: PrivateAccess | undefined;
  /** The history setting (days, 0: none) and how to save a new one; keepDays undefined until read. */
  history?: { keepDays: number | undefined; onChange: (days: number) => Promise<void> };
}) {
  const t = useT();
  const [state, setState] = useState<StateResponse | undefined>(undefined);
  useEffect(() => {
    loadState().then(
      (reply) => (reply.ok ? setState(reply.value) : log.warn('state not loaded', reply.error)),
      (error: unknown) => log.warn('state not loaded', error),
    );
  }, []);
  const site = safeHref(profile.officialSite);
  return (
    <main class="page-main">
      <header class="page-header">
        <h1 class="page-title">{t('options_title')}</h1>
      </header>
      <section class="card">
        <h2>{t('options_profile_heading')}</h2>
        <dl class="ev-list">
          <div class="ev-row">
            <dt>{t('options_profile')}</dt>
            <dd data-testid="profile-id">{profile.id}</dd>
          </div>
          <div class="ev-row">
            <dt>{t('options_official_site')}</dt>
            <dd>
              {site ? (
                <a href={site} target="_blank" rel="noopener noreferrer">
                  {profile.officialSite}
                </a>
              ) : (
                profile.officialSite
              )}
            </dd>
          </div>
          <div class="ev-row">
            <dt>{t('options_pinned_keys')}</dt>
            <dd>
              <ul class="plain-list">
                {profile.pinnedFingerprints.map((fingerprint) => (
                  <li key={fingerprint}>
                    <code class="fingerprint">{groupFingerprint(fingerprint)}</code>
                  </li>
                ))}
              </ul>
            </dd>
          </div>
          <SigningKeyRow facts={signingKey} />
          <div class="ev-row">
            <dt>{t('options_rebuilders')}</dt>
            <dd>
              {profile.rebuilders.length
                ? t('options_rebuilders_value', [
                    profile.rebuilders.map((r) => r.name).join(', '),
                    profile.reproThreshold,
                  ])
                : t('options_rebuilders_none')}
            </dd>
          </div>
        </dl>
        <p class="muted">{t('options_pinned_explain')}</p>
      </section>
      {reproducers ? <ReproducersSection profile={profile} {...reproducers} /> : null}
      <section class="card">
        <h2>{t('options_file_access_heading')}</h2>
        <FileAccessText fileAccess={state?.fileAccess} />
      </section>
      <MirrorAccessSection access={mirrorAccess} onRequest={() => onRequestMirrorAccess?.()} />
      <PrivateWindowsSection access={privateAccess} />
      {history ? <HistorySection keepDays={history.keepDays} onChange={history.onChange} /> : null}
      <section class="card">
        <h2>{t('options_tools_heading')}</h2>
        <p>
          <a class="button" href="verify.html">
            {t('action_verify_a_file')}
          </a>{' '}
          <a class="button" href="mirror-check.html">
            {t('options_check_mirror')}
          </a>
        </p>
      </section>
    </main>
  );
}
