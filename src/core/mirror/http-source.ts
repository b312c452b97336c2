/**
 * A mirror reached over HTTP(S) with the standard fetch (Node, extension pages). Mirrors may be
 * plain http: their bytes are checked against signed data, so transport security is not what
 * makes them trustworthy. Redirects are followed so that the final origin can be compared.
 */
import { IsoVerifyError } from '../errors.js';
import { iterateSource } from '../hash/source.js';
import type { MirrorResponse, MirrorSource } from './types.js';

export interface HttpMirrorSourceOptions {
  /** Sent where the platform allows it (Node); browsers set their own. */
  userAgent?: string;
}

function parseLength(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The most specific reason a fetch failed (Node puts the socket error in `cause`). */
function networkReason(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' && !current.message.includes(code) ? `${current.message} (${code})` : current.message);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}

export function httpMirrorSource(prefix: string, fetchImpl: typeof fetch, options: HttpMirrorSourceOptions = {}): MirrorSource {
  const base = new URL(prefix.endsWith('/') ? prefix : `${prefix}/`);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new TypeError(`not an http(s) URL: ${prefix}`);
  return {
    location: base.href,
    locate: (path) => new URL(path, base).href,
    async open(path, { method, signal }): Promise<MirrorResponse> {
      const url = new URL(path, base);
      const headers: Record<string, string> = {};
      if (options.userAgent) headers['User-Agent'] = options.userAgent;
      let response: Response;
      try {
        response = await fetchImpl(url.href, {
          method,
          redirect: 'follow',
          credentials: 'omit',
          cache: 'no-store',
          referrerPolicy: 'no-referrer',
          headers,
          signal,
        });
      } catch (error) {
        if (signal.aborted) throw new IsoVerifyError('aborted', url.href);
        throw new IsoVerifyError('fetch-failed', `${url.href}: ${networkReason(error)}`, { cause: error });
      }
      const finalUrl = response.url ? new URL(response.url) : url;
      const stream = response.body;
      return {
        status: response.status,
        finalLocation: finalUrl.href,
        redirectedOffsite: finalUrl.origin !== base.origin,
        contentLength: parseLength(response.headers.get('content-length')),
        contentType: response.headers.get('content-type') ?? undefined,
        body: stream ? iterateSource(stream, signal) : undefined,
        close: async () => {
          await stream?.cancel().catch(() => undefined);
        },
      };
    },
  };
}
