/**
 * The reproducers a person added in the options page and the k-of-n they chose, kept in
 * storage.local under STORAGE_KEYS.reproducers — apart from the profile's pinned list, which
 * they never change. Read back fail-closed (src/core/repro/person.ts).
 */
import { profileAllowsLoopbackHttp, type Profile } from '../core/profile.js';
import { EMPTY_PERSON_SETTINGS, readPersonReproSettings, type PersonReproSettings } from '../core/repro/person.js';
import { browser } from './browser-api.js';
import { STORAGE_KEYS } from './storage.js';

export async function loadPersonRepro(profile: Pick<Profile, 'officialSite'>): Promise<PersonReproSettings> {
  try {
    const stored = await browser.storage.local.get(STORAGE_KEYS.reproducers);
    return readPersonReproSettings(stored[STORAGE_KEYS.reproducers], {
      allowLoopbackHttp: profileAllowsLoopbackHttp(profile),
    });
  } catch {
    // No storage (a unit test, a torn-down page): the profile's list alone.
    return EMPTY_PERSON_SETTINGS;
  }
}

export async function savePersonRepro(settings: PersonReproSettings): Promise<void> {
  await browser.storage.local.set({ [STORAGE_KEYS.reproducers]: settings });
}
