/**
 * Between the content script and verify-frame.html, the extension page that hashes and
 * verifies a file the official site's page handed over. The content script embeds the frame,
 * then passes it one end of a MessageChannel; everything after that travels over the port,
 * so nothing of it is broadcast through the page's window.
 */
import type { ErrorInfo } from '../core/errors.js';
import type { HashProgress } from '../core/hash/types.js';
import type { Verdict } from '../core/verdict.js';
import { isFile, isObject } from './guards.js';

export const FRAME_CHANNEL = 'iso-verify-frame/v1';

/** window.postMessage from the content script to the frame; carries the port. */
export interface FrameConnect {
  channel: typeof FRAME_CHANNEL;
  type: 'connect';
}

/** Content script → frame, over the port. */
export type FrameRequest = { type: 'verify-file'; id: string; file: File } | { type: 'cancel'; id: string };

/** Frame → content script, over the port. */
export type FrameReply =
  | { type: 'ready' }
  | { type: 'progress'; id: string; progress: HashProgress }
  | { type: 'verdict'; id: string; verdict: Verdict }
  | { type: 'error'; id: string; error: ErrorInfo };

export function isFrameConnect(data: unknown): data is FrameConnect {
  if (typeof data !== 'object' || data === null) return false;
  const obj = data as Record<string, unknown>;
  return Object.keys(obj).length === 2 && obj.channel === FRAME_CHANNEL && obj.type === 'connect';
}

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** A valid request on the port, or undefined (strict: exactly the known fields). */
export function parseFrameRequest(data: unknown): FrameRequest | undefined {
  if (!isObject(data)) return undefined;
  const obj = data;
  if (typeof obj.id !== 'string' || !ID_RE.test(obj.id)) return undefined;
  const keys = Object.keys(obj).sort().join(',');
  if (obj.type === 'cancel' && keys === 'id,type') return { type: 'cancel', id: obj.id };
  if (obj.type === 'verify-file' && keys === 'file,id,type') {
    if (isFile(obj.file)) return { type: 'verify-file', id: obj.id, file: obj.file };
  }
  return undefined;
}
