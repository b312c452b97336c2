/**
 * Messages extension pages and the official site's content script send the background, and
 * the one shape of every answer: `{ ok: true, value }` or `{ ok: false, error }` with a typed
 * error code (src/core/errors.ts), so a failure reaches the page as the code it was.
 */
import { errorInfo, IsoVerifyError, type ErrorInfo } from '../core/errors.js';
import type { ReproStatus } from '../core/repro/types.js';
import type { Verdict } from '../core/verdict.js';
import { parseErrorInfo, type TrackedDownload } from './download.js';
import { isObject, type Obj } from './guards.js';

export type BackgroundRequest =
  | { type: 'get-state' }
  | { type: 'cancel'; id: string }
  | { type: 'retry'; id: string }
  | { type: 'forget'; id: string }
  | { type: 'resume-download'; id: string }
  /** Download the file again: from the same URL, or from another mirror of the pool. */
  | { type: 'download-again'; id: string; from: 'same' | 'other' }
  | { type: 'open-verify-page'; id?: string }
  /**
   * An extension page (verification page, the official site's verify frame) hashed a file: it
   * sends the hash state only, the background decides (and is the only writer of the trust
   * state). With `id`, the verdict also becomes that tracked download's. With `repro`, the
   * background also asks the reproducers, and the reply carries a token for their answer.
   */
  | { type: 'verify-hash'; fileName: string; bytes: number; states: PageHashStates; id?: string; repro?: true }
  /** The reproducers' status for a verify-hash that asked for it (its reply's reproToken). */
  | { type: 'repro-status'; token: string }
  /** Firefox: the official site's content script hands over a clicked image link (src/extension/link-download.ts). */
  | { type: 'start-download'; url: string };

/** Base64 hash-wasm states of the unfinished SHA-256 (and SHA-512) hashers. */
export interface PageHashStates {
  sha256: string;
  sha512?: string;
}

/** The background's answer to verify-hash. */
export interface PageVerdict {
  verdict: Verdict;
  /** Why the verdict could not become the tracked download's (it still stands on the page). */
  attachError?: ErrorInfo;
  /** With `repro` asked: send `repro-status` with this token for the reproducers' status. */
  reproToken?: string;
}

/** The background's answer to download-again: the new download's tracked id. */
export interface DownloadStarted {
  id: string;
}

export interface StateResponse {
  downloads: TrackedDownload[];
  profileId: string;
  pinnedFingerprints: string[];
  fileAccess: boolean | 'unknown';
}

/** What each request answers with when it succeeds. */
export type ReplyValue<R extends BackgroundRequest> = R extends { type: 'get-state' }
  ? StateResponse
  : R extends { type: 'verify-hash' }
    ? PageVerdict
    : R extends { type: 'repro-status' }
      ? ReproStatus | null
      : R extends { type: 'download-again' }
        ? DownloadStarted
        : null;

export type Reply<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export function okReply<T>(value: T): Reply<T> {
  return { ok: true, value };
}

export function errorReply(error: unknown): Reply<never> {
  return { ok: false, error: errorInfo(error) };
}

/**
 * A reply as received by a page: anything not shaped like one (an old background, a
 * channel error) becomes `internal`, never a success.
 */
export function parseReply<T>(value: unknown): Reply<T> {
  if (typeof value === 'object' && value !== null) {
    const reply = value as { ok?: unknown; value?: unknown; error?: unknown };
    if (reply.ok === true && 'value' in reply) return { ok: true, value: reply.value as T };
    if (reply.ok === false)
      return { ok: false, error: parseErrorInfo(reply.error) ?? { code: 'internal', detail: 'malformed error reply' } };
  }
  return { ok: false, error: { code: 'internal', detail: 'no reply from the background' } };
}

/* ---------- the one parser of requests (background side) ---------- */

const ID_RE = /^dl-\d{1,15}$/;
/** Longest URL accepted from the content script (a link hand-over); mirror URLs are far shorter. */
export const MAX_LINK_URL_CHARS = 2048;
/** A reproducer-status token: a random UUID (crypto.randomUUID). */
const TOKEN_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Generous caps: a verdict with evidence is a few KiB; anything huge is not ours. */
const MAX_MESSAGE_CHARS = 256 * 1024;
/** A hash-wasm state is a few hundred bytes; base64 of 4 KiB is plenty. */
const MAX_STATE_CHARS = 6 * 1024;

function onlyKeys(obj: Obj, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key))
      throw new IsoVerifyError('input-malformed', `${what}: unexpected field "${key.slice(0, 40)}"`);
  }
}

function readId(obj: Obj, type: string): string {
  const id = obj.id;
  if (typeof id !== 'string') throw new IsoVerifyError('input-missing-field', `${type}: id`);
  if (!ID_RE.test(id)) throw new IsoVerifyError('input-invalid-value', `${type}: id "${id.slice(0, 40)}"`);
  return id;
}

/** Parse a message into a BackgroundRequest, or throw a typed `input-*` error. */
export function parseBackgroundRequest(message: unknown): BackgroundRequest {
  if (!isObject(message)) throw new IsoVerifyError('input-wrong-type', 'message is not an object');
  let size: number;
  try {
    size = JSON.stringify(message).length;
  } catch {
    throw new IsoVerifyError('input-malformed', 'message is not plain data');
  }
  if (size > MAX_MESSAGE_CHARS) throw new IsoVerifyError('input-too-large', `message of ${size} characters`);
  const type = message.type;
  switch (type) {
    case 'get-state':
      onlyKeys(message, ['type'], type);
      return { type };
    case 'cancel':
    case 'retry':
    case 'forget':
    case 'resume-download':
      onlyKeys(message, ['type', 'id'], type);
      return { type, id: readId(message, type) };
    case 'download-again': {
      onlyKeys(message, ['type', 'id', 'from'], type);
      const from = message.from;
      if (from !== 'same' && from !== 'other') throw new IsoVerifyError('input-invalid-value', `${type}: from`);
      return { type, id: readId(message, type), from };
    }
    case 'open-verify-page':
      onlyKeys(message, ['type', 'id'], type);
      return message.id === undefined ? { type } : { type, id: readId(message, type) };
    case 'verify-hash': {
      onlyKeys(message, ['type', 'fileName', 'bytes', 'states', 'id', 'repro'], type);
      const { fileName, bytes, states } = message;
      if (
        typeof fileName !== 'string' ||
        fileName.length === 0 ||
        fileName.length > 255 ||
        /[\\/]/.test(fileName) ||
        fileName.includes('\0')
      ) {
        throw new IsoVerifyError('input-invalid-value', `${type}: fileName`);
      }
      if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0)
        throw new IsoVerifyError('input-invalid-value', `${type}: bytes`);
      if (!isObject(states)) throw new IsoVerifyError('input-missing-field', `${type}: states`);
      onlyKeys(states, ['sha256', 'sha512'], `${type}.states`);
      const state = (value: unknown, name: string): string => {
        if (
          typeof value !== 'string' ||
          value.length === 0 ||
          value.length > MAX_STATE_CHARS ||
          !/^[A-Za-z0-9+/]+={0,2}$/.test(value)
        ) {
          throw new IsoVerifyError('input-invalid-value', `${type}: states.${name}`);
        }
        return value;
      };
      const request: Extract<BackgroundRequest, { type: 'verify-hash' }> = {
        type,
        fileName,
        bytes,
        states: { sha256: state(states.sha256, 'sha256') },
      };
      if (states.sha512 !== undefined) request.states.sha512 = state(states.sha512, 'sha512');
      if (message.id !== undefined) request.id = readId(message, type);
      if (message.repro !== undefined) {
        if (message.repro !== true) throw new IsoVerifyError('input-invalid-value', `${type}: repro`);
        request.repro = true;
      }
      return request;
    }
    case 'repro-status': {
      onlyKeys(message, ['type', 'token'], type);
      const token = message.token;
      if (typeof token !== 'string') throw new IsoVerifyError('input-missing-field', `${type}: token`);
      if (!TOKEN_RE.test(token)) throw new IsoVerifyError('input-invalid-value', `${type}: token`);
      return { type, token };
    }
    case 'start-download': {
      onlyKeys(message, ['type', 'url'], type);
      const url = message.url;
      if (typeof url !== 'string') throw new IsoVerifyError('input-missing-field', `${type}: url`);
      if (url.length > MAX_LINK_URL_CHARS)
        throw new IsoVerifyError('input-too-large', `${type}: url of ${url.length} characters`);
      return { type, url };
    }
    default:
      throw new IsoVerifyError(
        'input-invalid-value',
        `unknown message type ${typeof type === 'string' ? type.slice(0, 40) : typeof type}`,
      );
  }
}
