/**
 * The real pieces behind the verification page inside the extension: the hashing worker at
 * the extension root and the background, which verifies (release data, trust state, rollback
 * protection in storage.local, the reproducers).
 */
import { browser } from './browser-api.js';
import { STORAGE_KEYS } from './storage.js';
import { IsoVerifyError } from '../core/errors.js';
import { KeyValueTrustState, type TrustState } from '../core/freshness.js';
import { saveHashStates } from '../core/hash/restore.js';
import type { ReproStatus } from '../core/repro/types.js';
import { sendRequest, type MessageSender } from './background-client.js';
import { parseRepro } from '../wire/download.js';
import type { BackgroundRequest } from '../wire/messages.js';
import { parseVerdict } from '../wire/verdict-schema.js';
import { hashFileInWorker } from '../worker/client.js';
import { requireSha256, type VerifyFlowDeps } from '../ui-kit/verify-flow.js';

/**
 * The trust state as pages see it: they read it (the mirror check refuses rolled-back release
 * data) but never write it — the background is its only writer (src/background/page-verification.ts).
 */
export function extensionTrustStateReadOnly(): TrustState {
  const state = new KeyValueTrustState(
    {
      read: async () => (await browser.storage.local.get(STORAGE_KEYS.trustState))[STORAGE_KEYS.trustState],
      write: async () => undefined,
    },
    {
      read: async () => (await browser.storage.local.get(STORAGE_KEYS.signingKeys))[STORAGE_KEYS.signingKeys],
      write: async () => undefined,
    },
  );
  return { get: (key) => state.get(key), getSigningKey: (id) => state.getSigningKey(id), put: async () => undefined };
}

/**
 * The verification flow of the extension's pages (verification page, the official site's
 * verify frame): hash in the worker, then send only the hash state to the background, which
 * runs the core pipeline — fetches the release data, decides, stores the rollback records and,
 * when `repro` is asked, asks the reproducers (the background is their one owner, for
 * downloads and picked files alike); the page then fetches their status with the token.
 */
export function extensionVerifyDeps(
  options: { repro: boolean },
  runtime: MessageSender = browser.runtime,
): VerifyFlowDeps {
  return {
    verify: async (file, { onProgress, onHashed, signal }, context) => {
      const hash = requireSha256(
        await hashFileInWorker(file, {
          algorithms: ['sha256', 'sha512'],
          onProgress,
          signal,
          workerUrl: browser.runtime.getURL('hash-worker.js'),
        }),
      );
      onHashed();
      const states = saveHashStates(hash);
      const request: Extract<BackgroundRequest, { type: 'verify-hash' }> = {
        type: 'verify-hash',
        fileName: file.name,
        bytes: hash.bytes,
        states: { sha256: states.sha256!, ...(states.sha512 ? { sha512: states.sha512 } : {}) },
        ...(context?.downloadId ? { id: context.downloadId } : {}),
        ...(options.repro ? { repro: true as const } : {}),
      };
      const reply = await sendRequest(runtime, request);
      if (!reply.ok) throw new IsoVerifyError(reply.error.code, reply.error.detail);
      if (reply.value.attachError) context?.onAttachError?.(reply.value.attachError);
      const verdict = parseVerdict(reply.value.verdict);
      const token = reply.value.reproToken;
      return token === undefined ? { verdict } : { verdict, repro: reproStatus(runtime, token) };
    },
  };
}

/** The reproducers' status the background found for a page's verification; undefined when none. */
async function reproStatus(runtime: MessageSender, token: string): Promise<ReproStatus | undefined> {
  const reply = await sendRequest(runtime, { type: 'repro-status', token });
  return reply.ok ? parseRepro(reply.value) : undefined;
}
