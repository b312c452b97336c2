/**
 * Chrome: hash a finished download by reading it through file:// (allowed only when the user
 * turned on "Allow access to file URLs"; the manifest asks for the file:///* host permission
 * that this needs), here in the service worker, SHA-256 and SHA-512 in one pass. It is the
 * fallback of offscreen-hash.ts, which hashes in two workers in parallel (a service worker
 * cannot start workers) and is used whenever the offscreen API is there.
 */
import { hashStream } from '../../core/hash/stream-hash.js';
import type { HashResult } from '../../core/hash/types.js';
import { openFileUrl } from '../../worker/file-url-reader.js';
import type { FileHasherOptions } from '../context.js';
import { localFileUrl } from './file-url.js';

export interface HashLocalFileOptions extends Partial<FileHasherOptions> {
  fetchImpl?: typeof fetch;
}

export async function hashLocalFile(path: string, options: HashLocalFileOptions = {}): Promise<HashResult> {
  const body = await openFileUrl(localFileUrl(path), {
    signal: options.signal,
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
  });
  return hashStream(body, {
    algorithms: ['sha256', 'sha512'],
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.total !== undefined ? { total: options.total } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
