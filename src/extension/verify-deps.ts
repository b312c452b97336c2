/**
 * The real pieces behind the verification page inside the extension: the hashing worker at
 * the extension root, capped fetches from the profile's official site, trust state (rollback
 * protection) in storage.local, and the profile's pinned rebuilders.
 */
import { browser } from './browser-api.js';
import { activeProfile } from './active-profile.js';
import { STORAGE_KEYS } from './storage.js';
import { KeyValueTrustState } from '../core/freshness.js';
import { createCappedFetcher, isLoopbackHost } from '../core/net/capped-fetch.js';
import type { Profile } from '../core/profile.js';
import { reproForVerdict } from '../core/repro/for-verdict.js';
import { loadPersonRepro } from './person-reproducers.js';
import { decideVerdict, fetchReleaseMaterial } from '../core/verify/index.js';
import { hashFileInWorker } from '../worker/client.js';
import type { VerifyFlowDeps } from '../ui-kit/verify-flow.js';

/** Plain http is accepted only when the profile itself points at the loopback host (tests, demo). */
function profileAllowsLoopbackHttp(profile: Profile): boolean {
  try {
    const site = new URL(profile.officialSite);
    return site.protocol === 'http:' && isLoopbackHost(site.hostname);
  } catch {
    return false;
  }
}

export function extensionTrustState(): KeyValueTrustState {
  return new KeyValueTrustState({
    read: async () => (await browser.storage.local.get(STORAGE_KEYS.trustState))[STORAGE_KEYS.trustState],
    write: (value) => browser.storage.local.set({ [STORAGE_KEYS.trustState]: value }),
  });
}

export type ExtensionMaterial = Awaited<ReturnType<typeof fetchReleaseMaterial>>;

export function extensionVerifyDeps(profile: Profile = activeProfile): VerifyFlowDeps<ExtensionMaterial> {
  const fetcher = createCappedFetcher(globalThis.fetch.bind(globalThis), { allowLoopbackHttp: profileAllowsLoopbackHttp(profile) });
  const trustState = extensionTrustState();
  const deps: VerifyFlowDeps<ExtensionMaterial> = {
    hash: (file, { onProgress, signal }) =>
      hashFileInWorker(file, { algorithms: ['sha256', 'sha512'], onProgress, signal, workerUrl: browser.runtime.getURL('hash-worker.js') }),
    fetchMaterial: (fileName, signal) => fetchReleaseMaterial(profile, fileName, fetcher, { signal }),
    decide: async (material, file, continuations) => decideVerdict({ profile, material, file, continuations, trustState, now: new Date() }),
  };
  // Always: with nobody configured the status says so in one line (and how to become one).
  deps.repro = async (verdict, signal) => reproForVerdict(profile, verdict, fetcher, { signal, person: await loadPersonRepro(profile) });
  return deps;
}
