/**
 * Options page: the independent reproducers that are asked about a verified release. The
 * profile's pinned list is shown read-only; the person's own list (name, URL, key) and the
 * number they require (k of n) are edited here and stored apart from it. Root:
 * data-testid="reproducers".
 */
import { useEffect, useState } from 'preact/hooks';
import { errorInfo, type ErrorInfo } from '../../core/errors.js';
import type { Profile } from '../../core/profile.js';
import { importRebuilderKey } from '../../core/repro/keys.js';
import { checkThreshold, newPersonReproducer, type PersonReproSettings } from '../../core/repro/person.js';
import { useT } from '../../ui-kit/i18n-core.js';
import { ErrorText } from '../../ui-kit/ErrorText.js';
import { REPRODUCE_DOC_URL } from '../../ui-kit/ReproView.js';

export interface ReproducersSectionProps {
  profile: Pick<Profile, 'id' | 'rebuilders' | 'reproThreshold'>;
  settings: PersonReproSettings;
  /** Persist the person's settings (storage.local). */
  onSave: (settings: PersonReproSettings) => Promise<void>;
  /** Plain-http URLs only where the profile itself is on loopback (the demo). */
  allowLoopbackHttp: boolean;
  /** Called first thing on "Add" (a user gesture): ask for host access to the typed URL. */
  onAddClick?: (baseUrl: string) => void;
}

/** keyids of every valid key, or undefined for an invalid one (it cannot count). */
async function keyIds(pems: string[]): Promise<(string | undefined)[]> {
  return Promise.all(
    pems.map((pem) =>
      importRebuilderKey(pem).then(
        (k) => k.keyId,
        () => undefined,
      ),
    ),
  );
}

export function ReproducersSection({
  profile,
  settings,
  onSave,
  allowLoopbackHttp,
  onAddClick,
}: ReproducersSectionProps) {
  const t = useT();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [pem, setPem] = useState('');
  const [error, setError] = useState<ErrorInfo | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [ids, setIds] = useState<{ profile: (string | undefined)[]; mine: (string | undefined)[] }>({
    profile: [],
    mine: [],
  });
  const [wanted, setWanted] = useState(String(settings.threshold ?? profile.reproThreshold));

  useEffect(() => {
    let live = true;
    void Promise.all([
      keyIds(profile.rebuilders.map((r) => r.publicKeyPem)),
      keyIds(settings.reproducers.map((r) => r.publicKeyPem)),
    ]).then(([p, m]) => live && setIds({ profile: p, mine: m }));
    return () => {
      live = false;
    };
  }, [profile, settings]);
  useEffect(
    () => setWanted(String(settings.threshold ?? profile.reproThreshold)),
    [settings.threshold, profile.reproThreshold],
  );

  const distinct = new Set([...ids.profile, ...ids.mine].filter((id): id is string => id !== undefined)).size;
  const threshold = settings.threshold ?? profile.reproThreshold;
  const noneYet =
    profile.rebuilders.length === 0 && settings.reproducers.length === 0 && settings.threshold === undefined;

  const add = async () => {
    setError(undefined);
    setNotice(undefined);
    try {
      const entry = await newPersonReproducer({ name, baseUrl: url, publicKeyPem: pem }, { allowLoopbackHttp });
      const [id] = await keyIds([entry.publicKeyPem]);
      if (id !== undefined && [...ids.profile, ...ids.mine].includes(id)) setNotice(t('options_repro_duplicate'));
      await onSave({ ...settings, reproducers: [...settings.reproducers, entry] });
      setName('');
      setUrl('');
      setPem('');
    } catch (e) {
      setError(errorInfo(e));
    }
  };
  const remove = (index: number) => {
    setNotice(undefined);
    void onSave({ ...settings, reproducers: settings.reproducers.filter((_, i) => i !== index) });
  };
  const saveThreshold = () => {
    setError(undefined);
    try {
      void onSave({ ...settings, threshold: checkThreshold(Number(wanted)) });
    } catch (e) {
      setError(errorInfo(e));
    }
  };
  const useProfileThreshold = () => {
    const { threshold: _dropped, ...rest } = settings;
    void onSave(rest);
  };

  return (
    <section
      class="card"
      data-testid="reproducers"
      data-distinct-keys={String(distinct)}
      data-threshold={String(threshold)}
    >
      <h2>{t('options_repro_heading')}</h2>
      <p class="muted">{t('options_repro_intro')}</p>

      <h3>
        {t('options_repro_profile')} ({profile.id})
      </h3>
      <ul class="rebuilders" data-testid="reproducers-profile">
        {profile.rebuilders.length === 0 ? <li class="rebuilder muted">{t('options_repro_none')}</li> : null}
        {profile.rebuilders.map((r, i) => (
          <li key={`p${i}`} class="rebuilder" data-source="profile">
            <span class="rebuilder-name">{r.name}</span>
            <span class="muted">{r.baseUrl}</span>
            <code class="rebuilder-detail muted">{ids.profile[i]?.slice(0, 16) ?? '—'}</code>
          </li>
        ))}
      </ul>

      <h3>{t('options_repro_mine')}</h3>
      <ul class="rebuilders" data-testid="reproducers-mine">
        {settings.reproducers.length === 0 ? <li class="rebuilder muted">{t('options_repro_none')}</li> : null}
        {settings.reproducers.map((r, i) => (
          <li key={`m${i}`} class="rebuilder" data-source="person">
            <span class="rebuilder-name">{r.name}</span>
            <span class="badge badge--mine">{t('repro_added_by_you')}</span>
            <span class="muted">{r.baseUrl}</span>
            <button
              type="button"
              class="button button--quiet"
              data-testid={`reproducer-remove-${i}`}
              onClick={() => remove(i)}
            >
              {t('options_repro_remove')}
            </button>
            <code class="rebuilder-detail muted">{ids.mine[i]?.slice(0, 16) ?? '—'}</code>
          </li>
        ))}
      </ul>

      <form
        class="repro-form"
        onSubmit={(event) => {
          event.preventDefault();
          onAddClick?.(url);
          void add();
        }}
      >
        <h3>{t('options_repro_add_heading')}</h3>
        <p>
          <label for="reproducer-name">{t('options_repro_name')}</label>
          <br />
          <input
            id="reproducer-name"
            data-testid="reproducer-name"
            value={name}
            maxLength={128}
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />
        </p>
        <p>
          <label for="reproducer-url">{t('options_repro_url')}</label>
          <br />
          <input
            id="reproducer-url"
            data-testid="reproducer-url"
            type="url"
            class="mirror-input"
            placeholder="https://someone.example/attestations"
            value={url}
            onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
          />
        </p>
        <p>
          <label for="reproducer-key">{t('options_repro_key')}</label>
          <br />
          <textarea
            id="reproducer-key"
            data-testid="reproducer-key"
            class="repro-key-input"
            rows={3}
            placeholder={'-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----'}
            value={pem}
            onInput={(e) => setPem((e.target as HTMLTextAreaElement).value)}
          />
        </p>
        <p class="actions">
          <button type="submit" class="button button--primary" data-testid="reproducer-add">
            {t('options_repro_add')}
          </button>
        </p>
        {error ? (
          <p class="verdict-error" data-testid="reproducer-error">
            {t('options_repro_invalid', '')}
            <ErrorText error={error} />
          </p>
        ) : null}
        {notice ? (
          <p class="muted" data-testid="reproducer-notice">
            {notice}
          </p>
        ) : null}
      </form>

      <form
        class="repro-threshold"
        onSubmit={(event) => {
          event.preventDefault();
          saveThreshold();
        }}
      >
        <p>
          <label for="reproducer-threshold">{t('options_repro_threshold')}</label>{' '}
          <input
            id="reproducer-threshold"
            data-testid="reproducer-threshold"
            type="number"
            min={1}
            max={1000}
            step={1}
            class="repro-threshold-input"
            value={wanted}
            onInput={(e) => setWanted((e.target as HTMLInputElement).value)}
          />{' '}
          {t('options_repro_threshold_of', [distinct])}{' '}
          <button type="submit" class="button" data-testid="reproducer-threshold-save">
            {t('options_repro_threshold_save')}
          </button>
          {settings.threshold !== undefined ? (
            <>
              {' '}
              <button
                type="button"
                class="button button--quiet"
                data-testid="reproducer-threshold-default"
                onClick={useProfileThreshold}
              >
                {t('options_repro_threshold_default', [profile.reproThreshold])}
              </button>
            </>
          ) : null}
        </p>
        <p class="muted" data-testid="reproducer-threshold-source">
          {settings.threshold !== undefined
            ? t('options_repro_threshold_yours', [profile.reproThreshold])
            : t('options_repro_threshold_profile')}
        </p>
        {/* A fresh install (no reproducer anywhere, the profile's threshold): nothing is wrong
            that the person caused or must fix, so no warning, only what they can do. */}
        {noneYet ? (
          <p class="muted" data-testid="reproducer-none-yet">
            {t('options_repro_none_yet')}
          </p>
        ) : threshold > distinct ? (
          <p class="repro-warning" data-testid="reproducer-not-enough">
            {t('options_repro_not_enough', [threshold, distinct])}
          </p>
        ) : null}
      </form>
      <p>
        <a href={REPRODUCE_DOC_URL} target="_blank" rel="noopener noreferrer" data-testid="reproducer-howto">
          {t('options_repro_howto')}
        </a>
      </p>
    </section>
  );
}
