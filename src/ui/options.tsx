/** Entry of options.html. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { activeProfile } from '../extension/active-profile.js';
import { browser } from '../extension/browser-api.js';
import { mirrorOriginPatternsFromCache } from '../extension/mirror-origins.js';
import { STORAGE_KEYS } from '../extension/storage.js';
import { extensionT, I18nContext } from './i18n.js';
import { askBackground } from './pages/extension-glue.js';
import { mountPage } from './pages/mount.js';
import { OptionsPage, type MirrorAccess } from './pages/OptionsPage.js';

async function readMirrorAccess(): Promise<MirrorAccess> {
  const stored = await browser.storage.local.get(STORAGE_KEYS.mirrorPool);
  const origins = mirrorOriginPatternsFromCache(stored[STORAGE_KEYS.mirrorPool]);
  const granted: string[] = [];
  for (const origin of origins) {
    if (await browser.permissions.contains({ origins: [origin] })) granted.push(origin);
  }
  return { origins, granted };
}

function Options() {
  const [access, setAccess] = useState<MirrorAccess | undefined>(undefined);
  useEffect(() => {
    readMirrorAccess().then(setAccess, () => setAccess({ origins: [], granted: [] }));
  }, []);
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
