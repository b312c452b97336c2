/**
 * How the core obtains release data. Surfaces supply an implementation (browser fetch,
 * Node fetch + local files); every call is capped in size and time.
 */
export interface FetchOptions {
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface FetchedBytes {
  /** Final URL after redirects, or the path that was read. */
  source: string;
  bytes: Uint8Array;
  fetchedAt: string;
}

export type Fetcher = (urlOrPath: string, options: FetchOptions) => Promise<FetchedBytes>;

/** Size caps for each kind of input (bytes). */
export const LIMITS = {
  description: 1 << 20,
  signature: 64 << 10,
  key: 4 << 20,
  upgradeDescription: 1 << 20,
  mirrorPool: 1 << 20,
  profile: 8 << 20,
  attestation: 1 << 20,
  rebuilderApi: 1 << 20,
  fetchTimeoutMs: 30_000,
} as const;
