/** Entry of options.html. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { errorInfo } from '../core/errors.js';
import { activeProfile } from '../extension/active-profile.js';
import { browser, canFilterResponses } from '../extension/browser-api.js';
import { parseHistorySettings } from '../extension/history.js';
import { mirrorOriginPatternsFromCache } from '../extension/mirror-origins.js';
import { STORAGE_KEYS } from '../extension/storage.js';
import { extensionT, I18nContext } from './i18n.js';
import { askBackground } from './pages/extension-glue.js';
import { mountPage } from './pages/mount.js';
import { OptionsPage, type MirrorAccess, type PrivateAccess } from './pages/OptionsPage.js';
import { loadPersonRepro, savePersonRepro } from '../extension/person-reproducers.js';
import { profileAllowsLoopbackHttp } from '../core/profile.js';
import type { PersonReproSettings } from '../core/repro/person.js';
import { log } from '../extension/log.js';
import { readStoredSigningKey } from '../core/freshness.js';
import { latestSigningEnd } from '../core/openpgp/expiry.js';
import { loadPinnedKeyring, mergeKeyRefresh } from '../core/openpgp/index.js';
import { signingKeyId } from '../core/verify/index.js';
import type { SigningKeyFacts } from './pages/OptionsPage.js';

/** The key in use: the built-in copy merged with the one kept from the last refresh (as the background does). */
async function readSigningKey(): Promise<SigningKeyFacts> {
  const stored = (await browser.storage.local.get(STORAGE_KEYS.signingKeys))[STORAGE_KEYS.signingKeys] as
    { signingKeys?: Record<string, unknown> } | undefined;
  const id = signingKeyId(activeProfile);
  const raw = stored?.signingKeys && Object.hasOwn(stored.signingKeys, id) ? stored.signingKeys[id] : undefined;
  const kept = raw === undefined ? undefined : readStoredSigningKey(raw, id);
  if (activeProfile.signingKey.trim() === '')
    return kept ? { signingUntil: kept.signingUntil, refreshedAt: kept.refreshedAt } : {};
  let keyring = await loadPinnedKeyring([activeProfile.signingKey], activeProfile.pinnedFingerprints);
  for (const armored of kept?.keys ?? []) keyring = await mergeKeyRefresh(keyring, armored, 'kept refreshed key');
  const end = await latestSigningEnd(keyring);
  return { signingUntil: end === null ? null : end.toISOString(), ...(kept ? { refreshedAt: kept.refreshedAt } : {}) };
}

/** Host access for a reproducer's origin (match patterns carry no port). */
function originPattern(baseUrl: string): string | undefined {
  try {
    const url = new URL(baseUrl.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? `${url.protocol}//${url.hostname}/*` : undefined;
  } catch {
    return undefined;
  }
}

async function readMirrorAccess(): Promise<MirrorAccess> {
  // The mirror pool is cached in session memory (background.ts), fetched again in each browser session.
  const stored = await browser.storage.session.get(STORAGE_KEYS.mirrorPool);
  const origins = mirrorOriginPatternsFromCache(stored[STORAGE_KEYS.mirrorPool]);
  const granted: string[] = [];
  for (const origin of origins) {
    if (await browser.permissions.contains({ origins: [origin] })) granted.push(origin);
  }
  return { origins, granted };
}

async function readPrivateAccess(): Promise<PrivateAccess> {
  const kind = canFilterResponses() ? 'firefox' : 'chrome';
  try {
    return { allowed: await browser.extension.isAllowedIncognitoAccess(), browser: kind };
  } catch {
    return { allowed: undefined, browser: kind };
  }
}

async function readKeepDays(): Promise<number> {
  return parseHistorySettings((await browser.storage.local.get(STORAGE_KEYS.history))[STORAGE_KEYS.history]).keepDays;
}

function Options() {
  const [access, setAccess] = useState<MirrorAccess | undefined>(undefined);
  const [person, setPerson] = useState<PersonReproSettings | undefined>(undefined);
  const [signingKey, setSigningKey] = useState<SigningKeyFacts | undefined>(undefined);
  const [privateAccess, setPrivateAccess] = useState<PrivateAccess | undefined>(undefined);
  const [keepDays, setKeepDays] = useState<number | undefined>(undefined);
  useEffect(() => {
    readSigningKey().then(setSigningKey, (error: unknown) => {
      log.warn('signing key facts not read', errorInfo(error));
      setSigningKey({});
    });
    void readPrivateAccess().then(setPrivateAccess);
    readKeepDays().then(setKeepDays, () => setKeepDays(parseHistorySettings(undefined).keepDays));
  }, []);
  useEffect(() => {
    // Mirror host access matters only where downloads are hashed while they arrive (Firefox);
    // Chrome reads the finished file, so it shows no such section and makes no such claim.
    if (!canFilterResponses()) return;
    const reread = () => readMirrorAccess().then(setAccess, () => setAccess({ origins: [], granted: [] }));
    void reread();
    // A fresh install: the background loads the pool (kept in session storage) when this page asks for the state.
    const onChanged = (changes: Record<string, unknown>, area: string) => {
      if ((area === 'session' || area === 'local') && STORAGE_KEYS.mirrorPool in changes) void reread();
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, []);
  useEffect(() => {
    loadPersonRepro(activeProfile).then(setPerson, () => setPerson({ reproducers: [] }));
  }, []);
  const savePerson = async (settings: PersonReproSettings) => {
    await savePersonRepro(settings);
    setPerson(await loadPersonRepro(activeProfile));
  };
  // permissions.request must be the first thing the click does. Without the grant a host that
  // sends Access-Control-Allow-Origin still works; the reproducer is added either way.
  const askHostAccess = (baseUrl: string) => {
    const pattern = originPattern(baseUrl);
    if (!pattern) return;
    browser.permissions.request({ origins: [pattern] }).catch((error: unknown) => {
      // Declined or unsupported: the reproducer is still added; its host may send CORS headers.
      log.warn('host access for a reproducer was not granted', errorInfo(error));
    });
  };
  const request = () => {
    if (!access) return;
    const missing = access.origins.filter((o) => !access.granted.includes(o));
    // permissions.request must be the first thing the click does (a user gesture, no await before it).
    browser.permissions
      .request({ origins: missing })
      .then(() => readMirrorAccess())
      .then(setAccess, () => undefined);
  };
  return (
    <OptionsPage
      profile={activeProfile}
      loadState={() => askBackground({ type: 'get-state' })}
      mirrorAccess={access}
      signingKey={signingKey}
      onRequestMirrorAccess={request}
      privateAccess={privateAccess}
      history={{
        keepDays,
        // The background applies a new setting at once (src/background/history-keeper.ts).
        onChange: async (days) => {
          await browser.storage.local.set({ [STORAGE_KEYS.history]: { keepDays: days } });
          setKeepDays(await readKeepDays());
        },
      }}
      {...(person
        ? {
            reproducers: {
              settings: person,
              onSave: savePerson,
              allowLoopbackHttp: profileAllowsLoopbackHttp(activeProfile),
              onAddClick: askHostAccess,
            },
          }
        : {})}
    />
  );
}

mountPage(extensionT, 'options_title', () =>
  render(
    <I18nContext.Provider value={extensionT}>
      <Options />
    </I18nContext.Provider>,
    document.getElementById('app')!,
  ),
);
