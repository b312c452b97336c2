/**
 * Messages extension pages and the official site's content script send the background, and
 * the one shape of every answer: `{ ok: true, value }` or `{ ok: false, error }` with a typed
 * error code (src/core/errors.ts), so a failure reaches the page as the code it was.
 */
import { errorInfo, IsoVerifyError, type ErrorInfo } from '../core/errors.js';
import type { ReproStatus } from '../core/repro/types.js';
import type { Verdict } from '../core/verdict.js';
import { parseErrorInfo, type TrackedDownload } from './download.js';
import { MAX_LINK_URL_CHARS } from './link-download.js';
import { parseVerdict } from './verdict-schema.js';

export type BackgroundRequest =
  | { type: 'get-state' }
  | { type: 'cancel'; id: string }
  | { type: 'retry'; id: string }
  | { type: 'forget'; id: string }
  | { type: 'resume-download'; id: string }
  | { type: 'open-verify-page'; id?: string }
  /** The verify page hashed the file for a tracked download and reports the verdict. */
  | { type: 'attach-verdict'; id: string; verdict: Verdict; repro?: ReproStatus }
  /** Firefox: the official site's content script hands over a clicked image link (src/extension/link-download.ts). */
  | { type: 'start-download'; url: string };

export interface StateResponse {
  downloads: TrackedDownload[];
  profileId: string;
  pinnedFingerprints: string[];
  fileAccess: boolean | 'unknown';
}

/** What each request answers with when it succeeds. */
export type ReplyValue<R extends BackgroundRequest> = R extends { type: 'get-state' } ? StateResponse : null;

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
    if (reply.ok === false) return { ok: false, error: parseErrorInfo(reply.error) ?? { code: 'internal', detail: 'malformed error reply' } };
  }
  return { ok: false, error: { code: 'internal', detail: 'no reply from the background' } };
}

/* ---------- the one parser of requests (background side) ---------- */

const ID_RE = /^dl-\d{1,15}$/;
/** Generous caps: a verdict with evidence is a few KiB; anything huge is not ours. */
const MAX_MESSAGE_CHARS = 256 * 1024;

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(obj: Obj, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new IsoVerifyError('input-malformed', `${what}: unexpected field "${key.slice(0, 40)}"`);
  }
}

function readId(obj: Obj, type: string): string {
  const id = obj.id;
  if (typeof id !== 'string') throw new IsoVerifyError('input-missing-field', `${type}: id`);
  if (!ID_RE.test(id)) throw new IsoVerifyError('input-invalid-value', `${type}: id "${id.slice(0, 40)}"`);
  return id;
}

function readRepro(value: unknown): ReproStatus {
  if (!isObject(value) || typeof value.fileName !== 'string' || !Array.isArray(value.rebuilders) || typeof value.met !== 'boolean') {
    throw new IsoVerifyError('input-invalid-value', 'repro');
  }
  return value as unknown as ReproStatus;
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
    case 'open-verify-page':
      onlyKeys(message, ['type', 'id'], type);
      return message.id === undefined ? { type } : { type, id: readId(message, type) };
    case 'attach-verdict': {
      onlyKeys(message, ['type', 'id', 'verdict', 'repro'], type);
      const request: BackgroundRequest = { type, id: readId(message, type), verdict: parseVerdict(message.verdict) };
      if (message.repro !== undefined) request.repro = readRepro(message.repro);
      return request;
    }
    case 'start-download': {
      onlyKeys(message, ['type', 'url'], type);
      const url = message.url;
      if (typeof url !== 'string') throw new IsoVerifyError('input-missing-field', `${type}: url`);
      if (url.length > MAX_LINK_URL_CHARS) throw new IsoVerifyError('input-too-large', `${type}: url of ${url.length} characters`);
      return { type, url };
    }
    default:
      throw new IsoVerifyError('input-invalid-value', `unknown message type ${typeof type === 'string' ? type.slice(0, 40) : typeof type}`);
  }
}
