/**
 * Chrome: the background (a service worker, which cannot start workers) hashes a finished
 * download in the offscreen document (src/offscreen/), which runs the same hashing workers as
 * the verification page. One runtime Port per file: the background sends one `hash` request;
 * the document answers with progress and then `done` (length and saved hash states, which the
 * background turns back into continuations) or `error`. Disconnecting the port cancels.
 */
import type { ErrorInfo } from '../core/errors.js';
import type { HashAlgorithm, HashProgress } from '../core/hash/types.js';
import { parseErrorInfo, parseProgress } from './download.js';
import { isObject } from './guards.js';
import type { ByteRange, ResumeStates } from './worker-protocol.js';

/** The Port's name; the document answers no other. */
export const OFFSCREEN_HASH_PORT = 'iso-verify:offscreen-hash';
/** The document, as built (public/offscreen.html). */
export const OFFSCREEN_DOCUMENT_PATH = 'offscreen.html';
/** The background's script (build/manifest.js): the only sender the document accepts. */
export const BACKGROUND_SCRIPT_PATH = 'background.js';

export interface OffscreenHashRequest {
  type: 'hash';
  /** The download as a file: URL (the finished file, or the one Chrome is still writing). */
  url: string;
  algorithms: HashAlgorithm[];
  total?: number;
  /** Only these bytes, continuing from `resumeFrom` when they do not start at 0. */
  range?: ByteRange;
  resumeFrom?: ResumeStates;
}

export type OffscreenHashReply =
  | { type: 'progress'; progress: HashProgress }
  | { type: 'done'; bytes: number; states: Partial<Record<HashAlgorithm, string>> }
  | { type: 'error'; error: ErrorInfo };

/** The part of a runtime Port both ends use, sending `Out`; what arrives is parsed, never trusted. */
export interface ProtocolPort<Out> {
  postMessage(message: Out): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

const ALGORITHMS: readonly HashAlgorithm[] = ['sha256', 'sha512'];
const MAX_URL_CHARS = 32_768;
/** A saved hash-wasm state is a few hundred bytes; base64 of far more is not one. */
const MAX_STATE_CHARS = 4096;

export function parseOffscreenHashRequest(value: unknown): OffscreenHashRequest | undefined {
  if (!isObject(value) || value.type !== 'hash') return undefined;
  if (typeof value.url !== 'string' || !value.url.startsWith('file:') || value.url.length > MAX_URL_CHARS)
    return undefined;
  const algorithms = value.algorithms;
  if (
    !Array.isArray(algorithms) ||
    algorithms.length === 0 ||
    !algorithms.every((a) => ALGORITHMS.includes(a as HashAlgorithm))
  )
    return undefined;
  const request: OffscreenHashRequest = {
    type: 'hash',
    url: value.url,
    algorithms: [...new Set(algorithms as HashAlgorithm[])],
  };
  if (value.total !== undefined) {
    if (!Number.isSafeInteger(value.total) || (value.total as number) < 0) return undefined;
    request.total = value.total as number;
  }
  if (value.range !== undefined) {
    const range = value.range;
    if (!isObject(range) || !isByteCount(range.start) || !isByteCount(range.end) || range.end <= range.start)
      return undefined;
    request.range = { start: range.start, end: range.end };
  }
  if (value.resumeFrom !== undefined) {
    const resume = value.resumeFrom;
    if (!isObject(resume) || !isByteCount(resume.offset)) return undefined;
    const states = parseStates(resume.states);
    // States for exactly the requested algorithms, ending where the range starts.
    if (!states || request.range?.start !== resume.offset || !request.algorithms.every((a) => states[a] !== undefined))
      return undefined;
    request.resumeFrom = { offset: resume.offset, states };
  } else if (request.range && request.range.start !== 0) return undefined;
  return request;
}

function isByteCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function parseStates(value: unknown): Partial<Record<HashAlgorithm, string>> | undefined {
  if (!isObject(value)) return undefined;
  const states: Partial<Record<HashAlgorithm, string>> = {};
  for (const [algorithm, state] of Object.entries(value)) {
    if (!ALGORITHMS.includes(algorithm as HashAlgorithm) || typeof state !== 'string' || state.length > MAX_STATE_CHARS)
      return undefined;
    states[algorithm as HashAlgorithm] = state;
  }
  return states;
}

export function parseOffscreenHashReply(value: unknown): OffscreenHashReply | undefined {
  if (!isObject(value)) return undefined;
  switch (value.type) {
    case 'progress': {
      const progress = parseProgress(value.progress);
      return progress ? { type: 'progress', progress } : undefined;
    }
    case 'done': {
      const states = parseStates(value.states);
      if (!isByteCount(value.bytes) || !states) return undefined;
      return { type: 'done', bytes: value.bytes, states };
    }
    case 'error': {
      const error = parseErrorInfo(value.error);
      return error ? { type: 'error', error } : undefined;
    }
    default:
      return undefined;
  }
}
