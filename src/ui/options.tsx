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
  const [privateAccess, setPrivateAccess] = useState<PrivateAccess | undefined>(undefined);
  const [keepDays, setKeepDays] = useState<number | undefined>(undefined);
  useEffect(() => {
    void readPrivateAccess().then(setPrivateAccess);
    readKeepDays().then(setKeepDays, () => setKeepDays(parseHistorySettings(undefined).keepDays));
    readMirrorAccess().then(setAccess, () => setAccess({ origins: [], granted: [] }));
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
      console.warn('ISO Verify: host access for a reproducer was not granted', errorInfo(error));
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
        ? { reproducers: { settings: person, onSave: savePerson, allowLoopbackHttp: profileAllowsLoopbackHttp(activeProfile), onAddClick: askHostAccess } }
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
