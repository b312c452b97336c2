/**
 * Chrome: hash a finished download by reading it through file:// (allowed only when the user
 * turned on "Allow access to file URLs"; the manifest asks for the file:///* host permission
 * that this needs). fetch() streams the body, so memory stays constant for a multi-GB image.
 */
import { IsoVerifyError } from '../core/errors.js';
import { hashStream } from '../core/hash/stream-hash.js';
import type { HashEngine, HashProgress, HashResult } from '../core/hash/types.js';
import { fileUrlFromPath } from './file-url.js';

export interface HashLocalFileOptions {
  engine?: HashEngine;
  total?: number;
  signal?: AbortSignal;
  onProgress?: (progress: HashProgress) => void;
  fetchImpl?: typeof fetch;
}

export async function hashLocalFile(path: string, options: HashLocalFileOptions = {}): Promise<HashResult> {
  let url: string;
  try {
    url = fileUrlFromPath(path);
  } catch (error) {
    throw new IsoVerifyError('io-failed', `cannot make a file URL of ${path}: ${String(error)}`);
  }
  const fetchImpl = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
  let response: Response;
  try {
    response = await fetchImpl(url, { ...(options.signal ? { signal: options.signal } : {}), cache: 'no-store' });
  } catch (error) {
    if (options.signal?.aborted) throw new IsoVerifyError('aborted', path);
    throw new IsoVerifyError('io-failed', `${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // file:// answers have status 0 or 200 depending on the engine; anything else is an error.
  if (!response.ok && response.status !== 0) throw new IsoVerifyError('io-failed', `${path}: status ${response.status}`);
  if (!response.body) throw new IsoVerifyError('io-failed', `${path}: no body`);
  return hashStream(response.body, {
    algorithms: ['sha256', 'sha512'],
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.total !== undefined ? { total: options.total } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
