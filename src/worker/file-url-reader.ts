/**
 * Read a local file through its file:// URL as a stream of byte chunks. Chrome lets an
 * extension (its service worker, its pages and their dedicated workers) fetch file:// only
 * when the person turned on "Allow access to file URLs"; fetch() streams the body, so memory
 * stays constant for a multi-GB image. Only file: URLs are read: the hashing worker has no
 * business fetching from the network (release data goes through the capped fetcher).
 */
import { IsoVerifyError } from '../core/errors.js';

export interface FileUrlReaderOptions {
  signal?: AbortSignal | undefined;
  fetchImpl?: typeof fetch;
}

export function isFileUrl(url: unknown): url is string {
  return typeof url === 'string' && url.length <= 32_768 && url.startsWith('file:');
}

/** The body of `url` (a file: URL), or an io-failed error naming the file. */
export async function openFileUrl(url: string, options: FileUrlReaderOptions = {}): Promise<ReadableStream<Uint8Array>> {
  if (!isFileUrl(url)) throw new IsoVerifyError('input-invalid-value', 'only file: URLs are read');
  const fetchImpl = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
  let response: Response;
  try {
    response = await fetchImpl(url, { ...(options.signal ? { signal: options.signal } : {}), cache: 'no-store' });
  } catch (error) {
    if (options.signal?.aborted) throw new IsoVerifyError('aborted', url);
    throw new IsoVerifyError('io-failed', `${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // file:// answers have status 0 or 200 depending on the engine; anything else is an error.
  if (!response.ok && response.status !== 0) throw new IsoVerifyError('io-failed', `${url}: status ${response.status}`);
  if (!response.body) throw new IsoVerifyError('io-failed', `${url}: no body`);
  return response.body;
}
