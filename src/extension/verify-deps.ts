/**
 * The real pieces behind the verification page inside the extension: the hashing worker at
 * the extension root, capped fetches from the profile's official site, trust state (rollback
 * protection) in storage.local, and the profile's pinned rebuilders.
 */
import { browser } from './browser-api.js';
import { activeProfile } from './active-profile.js';
import { STORAGE_KEYS } from './storage.js';
import { IsoVerifyError } from '../core/errors.js';
import { KeyValueTrustState, type TrustState } from '../core/freshness.js';
import { saveHashStates } from '../core/hash/restore.js';
import { createCappedFetcher } from '../core/net/capped-fetch.js';
import { profileAllowsLoopbackHttp, type Profile } from '../core/profile.js';
import { reproForVerdict } from '../core/repro/for-verdict.js';
import { sendRequest, type MessageSender } from './background-client.js';
import type { BackgroundRequest } from './messages.js';
import { parseVerdict } from './verdict-schema.js';
import { loadPersonRepro } from './person-reproducers.js';
import { hashFileInWorker } from '../worker/client.js';
import type { VerifyFlowDeps } from '../ui-kit/verify-flow.js';


/**
 * The trust state as pages see it: they read it (the mirror check refuses rolled-back release
 * data) but never write it — the background is its only writer (src/background/page-verification.ts).
 */
export function extensionTrustStateReadOnly(): TrustState {
  const state = new KeyValueTrustState({
    read: async () => (await browser.storage.local.get(STORAGE_KEYS.trustState))[STORAGE_KEYS.trustState],
    write: async () => undefined,
  });
  return { get: (key) => state.get(key), put: async () => undefined };
}

/**
 * The verification flow of the extension's pages (verification page, the official site's
 * verify frame): hash in the worker, then send only the hash state to the background, which
 * fetches the release data, decides and stores the rollback records. Rebuilders are asked
 * from here (reading only).
 */
export function extensionVerifyDeps(profile: Profile = activeProfile, runtime: MessageSender = browser.runtime): VerifyFlowDeps<null> {
  // cache 'no-store': release data fetched for a verification never reaches the disk cache.
  const fetcher = createCappedFetcher((input, init) => globalThis.fetch(input, { ...init, cache: 'no-store' }), { allowLoopbackHttp: profileAllowsLoopbackHttp(profile) });
  const deps: VerifyFlowDeps<null> = {
    hash: (file, { onProgress, signal }) =>
      hashFileInWorker(file, { algorithms: ['sha256', 'sha512'], onProgress, signal, workerUrl: browser.runtime.getURL('hash-worker.js') }),
    // The background fetches (and caches) the release data itself.
    fetchMaterial: async () => null,
    decide: async (_material, fileName, hash, context) => {
      const states = saveHashStates(hash);
      const request: Extract<BackgroundRequest, { type: 'verify-hash' }> = {
        type: 'verify-hash',
        fileName,
        bytes: hash.bytes,
        states: { sha256: states.sha256!, ...(states.sha512 ? { sha512: states.sha512 } : {}) },
        ...(context?.downloadId ? { id: context.downloadId } : {}),
      };
      const reply = await sendRequest(runtime, request);
      if (!reply.ok) throw new IsoVerifyError(reply.error.code, reply.error.detail);
      if (reply.value.attachError) context?.onAttachError?.(reply.value.attachError);
      return parseVerdict(reply.value.verdict);
    },
  };
  // Always: with nobody configured the status says so in one line (and how to become one).
  deps.repro = async (verdict, signal) => reproForVerdict(profile, verdict, fetcher, { signal, person: await loadPersonRepro(profile) });
  return deps;
}
