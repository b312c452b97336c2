/** Entry of options.html. */
import { render } from 'preact';
import { activeProfile } from '../background/active-profile.js';
import type { StateResponse } from '../background/protocol.js';
import { extensionT, I18nContext } from './i18n.js';
import { sendRequest } from './pages/extension-state.js';
import { mountPage } from './pages/mount.js';
import { OptionsPage } from './pages/OptionsPage.js';

mountPage(extensionT, 'options_title', () =>
  render(
    <I18nContext.Provider value={extensionT}>
      <OptionsPage profile={activeProfile} loadState={() => sendRequest<StateResponse>({ type: 'get-state' })} />
    </I18nContext.Provider>,
    document.getElementById('app')!,
  ),
);
