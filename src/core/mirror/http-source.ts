/**
 * A mirror reached over HTTP(S) with the standard fetch (Node, extension pages). Mirrors may be
 * plain http: their bytes are checked against signed data, so transport security is not what
 * makes them trustworthy. Redirects are followed so that the final origin can be compared.
 */
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
      const response = await fetchImpl(url.href, {
        method,
        redirect: 'follow',
        credentials: 'omit',
        cache: 'no-store',
        headers,
        signal,
      });
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
