/**
 * Read a local file through its file:// URL as a stream of byte chunks. Chrome lets an
 * extension (its service worker, its pages and their dedicated workers) fetch file:// only
 * when the person turned on "Allow access to file URLs"; fetch() streams the body, so memory
 * stays constant for a multi-GB image. Only file: URLs are read: the hashing worker has no
 * business fetching from the network (release data goes through the capped fetcher).
 */
import { IsoVerifyError } from '../core/errors.js';
import type { ByteRange } from '../wire/worker-protocol.js';

export interface FileUrlReaderOptions {
  signal?: AbortSignal | undefined;
  fetchImpl?: typeof fetch;
  /** Only bytes [start, end): exactly that many must arrive (a growing file may hold fewer). */
  range?: ByteRange | undefined;
}

export function isFileUrl(url: unknown): url is string {
  return typeof url === 'string' && url.length <= 32_768 && url.startsWith('file:');
}

/** The body of `url` (a file: URL), or an io-failed error naming the file. */
export async function openFileUrl(
  url: string,
  options: FileUrlReaderOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  if (!isFileUrl(url)) throw new IsoVerifyError('input-invalid-value', 'only file: URLs are read');
  const fetchImpl = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const { range } = options;
  if (range && !validRange(range))
    throw new IsoVerifyError('input-invalid-value', `byte range ${String(range.start)}–${String(range.end)}`);
  let response: Response;
  try {
    // Chromium's file: loader honours one Range and answers 200 with just those bytes.
    const headers = range ? { headers: { Range: `bytes=${range.start}-${range.end - 1}` } } : {};
    response = await fetchImpl(url, {
      ...(options.signal ? { signal: options.signal } : {}),
      cache: 'no-store',
      ...headers,
    });
  } catch (error) {
    if (options.signal?.aborted) throw new IsoVerifyError('aborted', url);
    throw new IsoVerifyError('io-failed', `${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // file:// answers have status 0 or 200 depending on the engine; anything else is an error.
  if (!response.ok && response.status !== 0) throw new IsoVerifyError('io-failed', `${url}: status ${response.status}`);
  if (!response.body) throw new IsoVerifyError('io-failed', `${url}: no body`);
  return range ? exactly(response.body, range.end - range.start, url) : response.body;
}

function validRange(range: ByteRange): boolean {
  return (
    Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.end > range.start
  );
}

/**
 * The body, failing unless it holds exactly `length` bytes: a short read (the file is shorter
 * than the range) or a loader that ignored the Range header must not pass as those bytes.
 */
function exactly(body: ReadableStream<Uint8Array>, length: number, url: string): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > length)
          controller.error(new IsoVerifyError('io-failed', `${url}: more bytes than the range asked for (${length})`));
        else controller.enqueue(chunk);
      },
      flush(controller) {
        if (seen !== length)
          controller.error(new IsoVerifyError('io-failed', `${url}: ${seen} of the range's ${length} bytes`));
      },
    }),
  );
}
