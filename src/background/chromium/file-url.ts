/**
 * A file:// URL for a local path as the downloads API reports it (POSIX or Windows).
 * Every character that means something in a URL (space, #, ?, %) is percent-encoded, so a
 * file called "tails #1.img" is read as itself and not as a fragment.
 */
import { IsoVerifyError } from '../../core/errors.js';

export function fileUrlFromPath(path: string): string {
  if (typeof path !== 'string' || path === '') throw new TypeError('empty path');
  let p = path;
  // Windows: C:\Users\x → /C:/Users/x ; UNC \\server\share → //server/share
  if (/^[A-Za-z]:[\\/]/.test(p)) p = `/${p.replace(/\\/g, '/')}`;
  else if (p.startsWith('\\\\')) p = p.replace(/\\/g, '/');
  if (!p.startsWith('/')) throw new TypeError(`not an absolute path: ${path}`);
  const encoded = p
    .split('/')
    .map((segment, i) => (i === 1 && /^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment)))
    .join('/');
  return p.startsWith('//') ? `file:${encoded}` : `file://${encoded}`;
}

/** fileUrlFromPath, failing as io-failed (the person can still pick the file on the verify page). */
export function localFileUrl(path: string): string {
  try {
    return fileUrlFromPath(path);
  } catch (error) {
    throw new IsoVerifyError('io-failed', `cannot make a file URL of ${path}: ${String(error)}`);
  }
}
