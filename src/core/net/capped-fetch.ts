/**
 * A Fetcher over the standard `fetch` that never lets release data be unbounded, slow forever,
 * insecure or ambient-credentialed:
 *  - only https:// URLs (plain http only to the loopback host, and only when allowed — tests),
 *    checked again on the final URL after redirects (an https→http downgrade is refused);
 *  - status must be 200;
 *  - `maxBytes` is enforced from Content-Length up front AND while streaming (the body is
 *    cancelled on overflow), since Content-Length can lie or be absent;
 *  - `timeoutMs` bounds the whole transfer, not just the headers;
 *  - no cookies or HTTP auth (`credentials: 'omit'`), no HTTP cache (`cache: 'no-store'`).
 */
import { IsoVerifyError } from '../errors.js';
import type { FetchedBytes, Fetcher, FetchOptions } from './types.js';

export interface CappedFetcherOptions {
  /** Allow http://127.0.0.1, http://localhost and http://[::1] (tests, local demo server). */
  allowLoopbackHttp?: boolean;
  userAgent?: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** https:, or http: to a loopback host when allowed; never with credentials in the URL. */
export function isAllowedUrl(url: string | URL, allowLoopbackHttp: boolean): boolean {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (parsed.protocol === 'https:') return parsed.hostname !== '';
  return parsed.protocol === 'http:' && allowLoopbackHttp && isLoopbackHost(parsed.hostname);
}

type Stop = 'timeout' | 'aborted';

export function createCappedFetcher(fetchImpl: typeof fetch, opts: CappedFetcherOptions = {}): Fetcher {
  const allowLoopback = opts.allowLoopbackHttp === true;

  return async function cappedFetch(url: string, options: FetchOptions): Promise<FetchedBytes> {
    if (!isAllowedUrl(url, allowLoopback)) throw new IsoVerifyError('fetch-insecure-url', url);
    if (options.signal?.aborted) throw new IsoVerifyError('aborted', url);

    // One controller aborts the request on timeout or on the caller's abort; `stopped` says which.
    const controller = new AbortController();
    let stopped: Stop | undefined;
    let rejectStop: (e: IsoVerifyError) => void = () => undefined;
    const stop = new Promise<never>((_, reject) => {
      rejectStop = reject;
    });
    stop.catch(() => undefined);
    const halt = (why: Stop) => {
      if (stopped) return;
      stopped = why;
      controller.abort();
      rejectStop(stoppedError(why, url, options));
    };
    const timer = setTimeout(() => halt('timeout'), options.timeoutMs);
    const onAbort = () => halt('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    // Race every await against `stop` so a fetch implementation that ignores the signal
    // still cannot hold us past the deadline.
    const guard = <T>(p: Promise<T>): Promise<T> => Promise.race([p, stop]);

    let body: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      const init: RequestInit = {
        method: 'GET',
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'follow',
        referrerPolicy: 'no-referrer',
        signal: controller.signal,
      };
      if (opts.userAgent) init.headers = { 'User-Agent': opts.userAgent };
      const response = await guard(fetchImpl(url, init));
      const finalUrl = response.url || url;
      if (!isAllowedUrl(finalUrl, allowLoopback)) {
        void response.body?.cancel().catch(() => undefined);
        throw new IsoVerifyError('fetch-insecure-url', `${url} redirected to ${finalUrl}`);
      }
      if (response.status !== 200) {
        void response.body?.cancel().catch(() => undefined);
        throw new IsoVerifyError('fetch-http-status', `HTTP ${response.status} for ${finalUrl}`);
      }
      const declared = response.headers.get('content-length');
      if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared.trim()) > options.maxBytes) {
        void response.body?.cancel().catch(() => undefined);
        throw new IsoVerifyError(
          'fetch-too-large',
          `${finalUrl} declares ${declared.trim()} bytes, more than ${options.maxBytes}`,
        );
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      if (response.body) {
        body = response.body.getReader();
        for (;;) {
          const { done, value } = await guard(body.read());
          if (done) break;
          total += value.byteLength;
          if (total > options.maxBytes) {
            throw new IsoVerifyError('fetch-too-large', `${finalUrl} sent more than ${options.maxBytes} bytes`);
          }
          chunks.push(value);
        }
        body = undefined;
      }
      const bytes = new Uint8Array(total);
      let offset = 0;
      for (const c of chunks) {
        bytes.set(c, offset);
        offset += c.byteLength;
      }
      return { source: finalUrl, bytes, fetchedAt: new Date().toISOString() };
    } catch (e) {
      if (body) void body.cancel().catch(() => undefined);
      if (stopped) throw stoppedError(stopped, url, options);
      if (e instanceof IsoVerifyError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      throw new IsoVerifyError('fetch-failed', `${url}: ${message}`, { cause: e });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  };
}

function stoppedError(why: Stop, url: string, options: FetchOptions): IsoVerifyError {
  return why === 'timeout'
    ? new IsoVerifyError('fetch-timeout', `${url}: no complete answer within ${options.timeoutMs} ms`)
    : new IsoVerifyError('aborted', url);
}
