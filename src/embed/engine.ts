/**
 * The widget's verification pieces — hashing worker, capped fetches from the site, OpenPGP
 * decision — loaded with a dynamic import() only when the visitor picks a file, so the
 * widget's initial script stays small (openpgp.js alone is several hundred kB).
 *
 * Trust: the widget is the site's own code, so the site is its trust root. It still fetches
 * the key from `key-url` and keeps only the keys whose primary fingerprint the page pinned,
 * checks the description's signature before reading it, and never says "verified" without a
 * good signature by a pinned key. (The extension, in contrast, trusts nothing from the page.)
 */
import { IsoVerifyError } from '../core/errors.js';
import { KeyValueTrustState, MemoryTrustState, type TrustState } from '../core/freshness.js';
import { createCappedFetcher, isLoopbackHost } from '../core/net/capped-fetch.js';
import type { HashProgress, HashResult } from '../core/hash/types.js';
import type { Profile } from '../core/profile.js';
import { verifyImage } from '../core/verify/index.js';
import { requireSha256, type VerifyFlowDeps } from '../ui-kit/verify-flow.js';
import { hashFileInWorker, type WorkerLike } from '../worker/client.js';

/** localStorage key of the widget's rollback-protection records. */
export const TRUST_STATE_KEY = 'iso-verify-embed-trust-state';

function startHashWorker(): WorkerLike {
  // webpack turns this pattern into a separate worker chunk next to the widget's script.
  return new Worker(
    /* webpackChunkName: "iso-verify-hash-worker" */ new URL('../worker/hash-worker.ts', import.meta.url),
  ) as unknown as WorkerLike;
}

/** Rollback protection in the page's localStorage; in memory when storage is unavailable. */
export function pageTrustState(
  storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = safeLocalStorage(),
): TrustState {
  if (!storage) return new MemoryTrustState();
  return new KeyValueTrustState({
    read: async () => {
      const text = storage.getItem(TRUST_STATE_KEY);
      if (text === null) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // Corrupt state must not silently reset rollback protection: fail closed.
        throw new IsoVerifyError('input-malformed', 'the stored rollback-protection state is not JSON');
      }
    },
    write: async (value) => storage.setItem(TRUST_STATE_KEY, JSON.stringify(value)),
  });
}

function safeLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined; // blocked storage (privacy settings) throws on access
  }
}

/**
 * The profile the core decides with: no shipped key, so the key fetched from `key-url` (kept
 * only where its primary fingerprint is pinned) is the only one, and its fetch stays in the
 * evidence. Without it the core's answer is `unverifiable`/`offline`, like any missing input.
 */
export function widgetProfile(profile: Profile & { keyUrl: string }): Profile & { keyUrl: string } {
  return { ...profile, signingKey: '' };
}

export interface WidgetEngineOptions {
  trustState?: TrustState;
  pageUrl?: string;
  /** The page's fetch (tests pass their own). */
  fetch?: typeof globalThis.fetch;
  /** The clock (tests fix it). */
  now?: () => Date;
  /** How a picked file is hashed: default, in the hashing worker (tests hash in place). */
  hash?: VerifyFlowHasher;
}

export type VerifyFlowHasher = (
  file: Blob,
  options: { onProgress: (progress: HashProgress) => void; signal: AbortSignal },
) => Promise<HashResult>;

const workerHash: VerifyFlowHasher = (file, { onProgress, signal }) =>
  hashFileInWorker(file, { algorithms: ['sha256', 'sha512'], onProgress, signal, createWorker: startHashWorker });

/** The verification flow's pieces for one widget configuration: the core pipeline, run in the page. */
export function createWidgetDeps(
  profile: Profile & { keyUrl: string },
  options: WidgetEngineOptions = {},
): VerifyFlowDeps {
  const page = new URL(options.pageUrl ?? globalThis.location.href);
  const fetcher = createCappedFetcher(options.fetch ?? globalThis.fetch.bind(globalThis), {
    allowLoopbackHttp: page.protocol === 'http:' && isLoopbackHost(page.hostname),
  });
  const trustState = options.trustState ?? pageTrustState();
  const coreProfile = widgetProfile(profile);
  const hashWith = options.hash ?? workerHash;
  return {
    // The widget does not ask rebuilders (the site shows its own page for that).
    verify: async (file, { onProgress, onHashed, signal }) =>
      verifyImage({
        profile: coreProfile,
        fileName: file.name,
        material: { fetcher },
        hash: async (hashSignal) => requireSha256(await hashWith(file, { onProgress, signal: hashSignal })),
        store: { rollback: trustState },
        now: options.now,
        signal,
        onHashed,
      }),
  };
}
