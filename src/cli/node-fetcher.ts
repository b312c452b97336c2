/**
 * The Fetcher the CLI gives the core: every input may be a local path (so the tool runs
 * offline) or a URL. Paths are read with the same size cap as downloads. URLs go through the
 * core's capped fetcher; plain http is allowed only to the loopback host (local test servers).
 */
import { fileURLToPath } from 'node:url';
import { IsoVerifyError } from '../core/errors.js';
import { createCappedFetcher, isLoopbackHost } from '../core/net/capped-fetch.js';
import type { FetchedBytes, Fetcher, FetchOptions } from '../core/net/types.js';
import { readLocalFile, resolvePath } from './local-files.js';

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** A Windows drive letter ("C:\…") is a path, not a URL scheme. */
const DRIVE_LETTER = /^[a-z]:[\\/]/i;

export function isUrl(value: string): boolean {
  return URL_SCHEME.test(value) && !DRIVE_LETTER.test(value);
}

export interface NodeFetcherOptions {
  fetch: typeof globalThis.fetch;
  cwd: string;
  userAgent: string;
  now?: () => Date;
}

export function createNodeFetcher(options: NodeFetcherOptions): Fetcher {
  const remote = createCappedFetcher(options.fetch, { allowLoopbackHttp: false, userAgent: options.userAgent });
  const loopback = createCappedFetcher(options.fetch, { allowLoopbackHttp: true, userAgent: options.userAgent });
  const now = options.now ?? (() => new Date());

  async function readPath(file: string, fetchOptions: FetchOptions): Promise<FetchedBytes> {
    if (fetchOptions.signal?.aborted) throw new IsoVerifyError('aborted', 'interrupted');
    const bytes = await readLocalFile(file, fetchOptions.maxBytes);
    return { source: file, bytes, fetchedAt: now().toISOString() };
  }

  return async (urlOrPath, fetchOptions) => {
    if (!isUrl(urlOrPath)) return readPath(resolvePath(options.cwd, urlOrPath), fetchOptions);
    let url: URL;
    try {
      url = new URL(urlOrPath);
    } catch {
      throw new IsoVerifyError('input-invalid-value', `not a valid URL: ${urlOrPath}`);
    }
    if (url.protocol === 'file:') return readPath(fileURLToPath(url), fetchOptions);
    // Loopback http only when the user named a loopback URL, so a remote https site cannot
    // redirect into local services over plain http.
    return (isLoopbackHost(url.hostname) ? loopback : remote)(urlOrPath, fetchOptions);
  };
}

/** With --offline, a fetcher that refuses URLs, so nothing leaves the machine. */
export function offlineFetcher(local: Fetcher, optionFor?: (source: string) => string | undefined): Fetcher {
  return (source, options) => {
    if (isUrl(source) && !source.startsWith('file:')) {
      // Say which option gives this input as a file; the URL is in the evidence already.
      const option = optionFor?.(source);
      return Promise.reject(
        new IsoVerifyError('fetch-offline', option ? `give it as a file with ${option} <path>` : source),
      );
    }
    return local(source, options);
  };
}
