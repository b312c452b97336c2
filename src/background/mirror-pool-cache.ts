/**
 * The mirror pool (which URLs are mirrors), fetched from the official site through the capped
 * fetcher and cached in storage with its fetch time. A stale or missing pool is refreshed;
 * if the refresh fails, the last good pool is used, and with none the official site alone
 * counts (downloads from unknown mirrors are then simply not tracked: fail closed).
 */
import { errorInfo, IsoVerifyError, type ErrorInfo } from '../core/errors.js';
import { LIMITS, type Fetcher } from '../core/net/types.js';
import { isOnOfficialSite, type Profile } from '../core/profile.js';
import { parseMirrorPool } from '../core/release/mirrors.js';
import type { Mirror } from '../core/release/types.js';

/** Refresh the pool at most this often. */
export const MIRROR_POOL_MAX_AGE_MS = 6 * 60 * 60 * 1000;
/** After a failed refresh, wait this long before trying again. */
export const MIRROR_POOL_RETRY_MS = 5 * 60 * 1000;

export interface CachedMirrorPool {
  fetchedAt: string;
  source: string;
  text: string;
}

export interface MirrorPoolCacheDeps {
  profile: Pick<Profile, 'mirrorPoolUrl' | 'officialSite'>;
  fetcher: Fetcher;
  read(): Promise<unknown>;
  write(value: CachedMirrorPool): Promise<void>;
  /** The background's clock (clock.ts). */
  now: () => number;
}

function readCached(value: unknown): { cached: CachedMirrorPool; pool: Mirror[] } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<CachedMirrorPool>;
  if (typeof v.fetchedAt !== 'string' || typeof v.source !== 'string' || typeof v.text !== 'string') return undefined;
  try {
    return { cached: { fetchedAt: v.fetchedAt, source: v.source, text: v.text }, pool: parseMirrorPool(v.text) };
  } catch {
    return undefined; // a corrupt cache is refetched, never trusted
  }
}

export class MirrorPoolCache {
  private pool: Mirror[] | undefined;
  private fetchedAtMs = Number.NEGATIVE_INFINITY;
  private lastFailureMs = Number.NEGATIVE_INFINITY;
  private inflight: Promise<Mirror[]> | undefined;
  private loadedFromStorage = false;
  /** Why the last refresh failed, for the UI. */
  lastError: ErrorInfo | undefined;

  constructor(private readonly deps: MirrorPoolCacheDeps) {}

  private now(): number {
    return this.deps.now();
  }

  /** The pool if it is in memory already; undefined before anything was loaded. */
  snapshot(): Mirror[] | undefined {
    return this.pool;
  }

  /** The pool from memory or storage, without touching the network (fast path for events). */
  async cached(): Promise<Mirror[]> {
    if (!this.loadedFromStorage) {
      this.loadedFromStorage = true;
      const stored = readCached(await this.deps.read());
      if (stored && (this.pool === undefined || Date.parse(stored.cached.fetchedAt) > this.fetchedAtMs)) {
        this.pool = stored.pool;
        this.fetchedAtMs = Date.parse(stored.cached.fetchedAt);
      }
    }
    return this.pool ?? [];
  }

  /** The pool, refreshed first when it is older than MIRROR_POOL_MAX_AGE_MS. */
  async get(signal?: AbortSignal): Promise<Mirror[]> {
    const current = await this.cached();
    const url = this.deps.profile.mirrorPoolUrl;
    if (url === undefined) return current;
    const now = this.now();
    if (now - this.fetchedAtMs < MIRROR_POOL_MAX_AGE_MS) return current;
    if (now - this.lastFailureMs < MIRROR_POOL_RETRY_MS) return current;
    this.inflight ??= this.refresh(url, signal).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async refresh(url: string, signal?: AbortSignal): Promise<Mirror[]> {
    try {
      const fetched = await this.deps.fetcher(url, {
        maxBytes: LIMITS.mirrorPool,
        timeoutMs: LIMITS.fetchTimeoutMs,
        signal,
      });
      // Which hosts count as mirrors decides what gets watched: only the official site may say.
      if (!isOnOfficialSite(this.deps.profile, fetched.source || url)) {
        throw new IsoVerifyError(
          'fetch-insecure-url',
          `${url} was redirected off the official site, to ${fetched.source}`,
        );
      }
      const text = new TextDecoder('utf-8', { fatal: true }).decode(fetched.bytes);
      const pool = parseMirrorPool(text);
      this.pool = pool;
      this.fetchedAtMs = this.now();
      this.lastError = undefined;
      await this.deps.write({ fetchedAt: new Date(this.fetchedAtMs).toISOString(), source: fetched.source, text });
      return pool;
    } catch (error) {
      this.lastFailureMs = this.now();
      this.lastError = errorInfo(error);
      return this.pool ?? [];
    }
  }
}
