/**
 * The reproducers a person added in the options page and the k-of-n they chose, kept in
 * storage.local under STORAGE_KEYS.reproducers — apart from the profile's pinned list, which
 * they never change. Read back fail-closed (src/core/repro/person.ts).
 */
import { isLoopbackHost } from '../core/net/capped-fetch.js';
import type { Profile } from '../core/profile.js';
import { EMPTY_PERSON_SETTINGS, readPersonReproSettings, type PersonReproSettings } from '../core/repro/person.js';
import { browser } from './browser-api.js';
import { STORAGE_KEYS } from './storage.js';

/** Plain-http reproducers only where the profile itself is on loopback (the demo), as for every fetch. */
export function allowsLoopbackHttp(profile: Pick<Profile, 'officialSite'>): boolean {
  try {
    const site = new URL(profile.officialSite);
    return site.protocol === 'http:' && isLoopbackHost(site.hostname);
  } catch {
    return false;
  }
}

export async function loadPersonRepro(profile: Pick<Profile, 'officialSite'>): Promise<PersonReproSettings> {
  try {
    const stored = await browser.storage.local.get(STORAGE_KEYS.reproducers);
    return readPersonReproSettings(stored[STORAGE_KEYS.reproducers], { allowLoopbackHttp: allowsLoopbackHttp(profile) });
  } catch {
    // No storage (a unit test, a torn-down page): the profile's list alone.
    return EMPTY_PERSON_SETTINGS;
  }
}

export async function savePersonRepro(settings: PersonReproSettings): Promise<void> {
  await browser.storage.local.set({ [STORAGE_KEYS.reproducers]: settings });
}
