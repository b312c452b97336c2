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
    parts.push(
      typeof code === 'string' && !current.message.includes(code) ? `${current.message} (${code})` : current.message,
    );
    current = (current as { cause?: unknown }).cause;
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}

/** A directory listing is small; more than this is not one worth reading for a hint. */
const MAX_LISTING_BYTES = 512 * 1024;
const MAX_LISTING_ENTRIES = 5000;

/**
 * The names a directory listing page (Apache/nginx autoindex and the like) links to, as direct
 * children of `dirUrl`. Text only, no DOM: href attributes, resolved and filtered.
 */
export function listingNames(html: string, dirUrl: URL): string[] {
  const names = new Set<string>();
  for (const m of html.matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    let target: URL;
    try {
      target = new URL(m[1] ?? m[2] ?? '', dirUrl);
    } catch {
      continue;
    }
    if (target.origin !== dirUrl.origin || target.search || !target.pathname.startsWith(dirUrl.pathname)) continue;
    const rest = target.pathname.slice(dirUrl.pathname.length).replace(/\/$/, '');
    if (rest === '' || rest.includes('/')) continue;
    try {
      names.add(decodeURIComponent(rest));
    } catch {
      continue;
    }
    if (names.size >= MAX_LISTING_ENTRIES) break;
  }
  return [...names];
}

export function httpMirrorSource(
  prefix: string,
  fetchImpl: typeof fetch,
  options: HttpMirrorSourceOptions = {},
): MirrorSource {
  const base = new URL(prefix.endsWith('/') ? prefix : `${prefix}/`);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new TypeError(`not an http(s) URL: ${prefix}`);
  const headers: Record<string, string> = options.userAgent ? { 'User-Agent': options.userAgent } : {};
  return {
    kind: 'http',
    async list(dir, { signal }) {
      const url = new URL(dir, base);
      const response = await fetchImpl(url.href, {
        redirect: 'follow',
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
        headers,
        signal,
      });
      const type = response.headers.get('content-type') ?? '';
      if (
        response.status !== 200 ||
        !/^text\/html\b/i.test(type) ||
        !response.body ||
        new URL(response.url || url.href).origin !== base.origin
      ) {
        await response.body?.cancel().catch(() => undefined);
        return undefined;
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of iterateSource(response.body, signal)) {
        chunks.push(chunk.slice());
        size += chunk.length;
        if (size > MAX_LISTING_BYTES) break;
      }
      await response.body.cancel().catch(() => undefined);
      const bytes = new Uint8Array(Math.min(size, MAX_LISTING_BYTES));
      let at = 0;
      for (const chunk of chunks) {
        const part = chunk.subarray(0, bytes.length - at);
        bytes.set(part, at);
        at += part.length;
      }
      return listingNames(new TextDecoder().decode(bytes), url);
    },
    location: base.href,
    locate: (path) => new URL(path, base).href,
    async open(path, { method, signal }): Promise<MirrorResponse> {
      const url = new URL(path, base);
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
