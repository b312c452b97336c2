/**
 * Strict checks on messages sent to the background: who may send them and what they may
 * contain. Anything unexpected is rejected with `input-*` errors; nothing is coerced.
 */
import { IsoVerifyError } from '../core/errors.js';
import { VERDICT_KINDS } from '../core/verdict.js';
import type { Verdict } from '../core/verdict.js';
import type { ReproStatus } from '../core/repro/types.js';
import { MAX_LINK_URL_CHARS } from './link-download.js';
import type { BackgroundRequest } from '../extension/download.js';

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

function isHex(value: unknown, length: number): boolean {
  return typeof value === 'string' && value.length === length && /^[0-9a-f]+$/.test(value);
}

function isSize(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Shape check of a verdict from the verify page: the fields every surface relies on. */
export function readVerdict(value: unknown): Verdict {
  if (!isObject(value)) throw new IsoVerifyError('input-wrong-type', 'verdict: not an object');
  if (!(VERDICT_KINDS as readonly unknown[]).includes(value.kind)) throw new IsoVerifyError('input-invalid-value', 'verdict.kind');
  const evidence = value.evidence;
  if (!isObject(evidence)) throw new IsoVerifyError('input-missing-field', 'verdict.evidence');
  const file = evidence.file;
  if (!isObject(file)) throw new IsoVerifyError('input-missing-field', 'verdict.evidence.file');
  if (typeof file.name !== 'string' || file.name.length === 0 || file.name.length > 1024) {
    throw new IsoVerifyError('input-invalid-value', 'verdict.evidence.file.name');
  }
  if (!isSize(file.size)) throw new IsoVerifyError('input-invalid-value', 'verdict.evidence.file.size');
  if (!isHex(file.sha256, 64)) throw new IsoVerifyError('input-invalid-value', 'verdict.evidence.file.sha256');
  if (file.sha512 !== undefined && !isHex(file.sha512, 128)) throw new IsoVerifyError('input-invalid-value', 'verdict.evidence.file.sha512');
  if (!Array.isArray(evidence.signatures) || !Array.isArray(evidence.inputs)) {
    throw new IsoVerifyError('input-missing-field', 'verdict.evidence.signatures/inputs');
  }
  if (typeof evidence.profile !== 'string' || typeof evidence.checkedAt !== 'string') {
    throw new IsoVerifyError('input-missing-field', 'verdict.evidence.profile/checkedAt');
  }
  const needsExpected = ['verified', 'mismatch', 'incomplete', 'oversized', 'checksum-only'];
  if (needsExpected.includes(value.kind as string)) {
    const expected = value.expected;
    if (!isObject(expected) || typeof expected.name !== 'string' || !isSize(expected.size) || !isHex(expected.sha256, 64)) {
      throw new IsoVerifyError('input-invalid-value', 'verdict.expected');
    }
  }
  if (value.kind === 'verified') {
    const signer = value.signer;
    if (!isObject(signer) || typeof signer.primaryFingerprint !== 'string' || typeof signer.signatureTime !== 'string') {
      throw new IsoVerifyError('input-invalid-value', 'verdict.signer');
    }
  }
  if (value.kind === 'unverifiable' && !isObject(value.error)) throw new IsoVerifyError('input-missing-field', 'verdict.error');
  return value as unknown as Verdict;
}

function readRepro(value: unknown): ReproStatus {
  if (!isObject(value) || typeof value.fileName !== 'string' || !Array.isArray(value.rebuilders) || typeof value.met !== 'boolean') {
    throw new IsoVerifyError('input-invalid-value', 'repro');
  }
  return value as unknown as ReproStatus;
}

/** Parse a message into a BackgroundRequest, or throw. */
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
      const request: BackgroundRequest = { type, id: readId(message, type), verdict: readVerdict(message.verdict) };
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

/** What runtime.onMessage tells about the sender (runtime.MessageSender). */
export interface SenderFacts {
  id?: string;
  url?: string;
  /** Set when the sender is a content script in a tab. */
  tab?: unknown;
}

export interface SenderPolicy {
  extensionId: string;
  /** This extension's origin, e.g. chrome-extension://<id> or moz-extension://<uuid>. */
  extensionOrigin: string;
  /** The profile's official site: its content scripts may ask only to open the verify page and (Firefox) to download a clicked image link. */
  officialSite: string;
}

function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    // Extension origins serialise as "null" in some engines: rebuild them from scheme + host.
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return undefined;
  }
}

export type SenderKind = 'extension-page' | 'official-site' | 'rejected';

/** Who sent a message: only this extension's pages are trusted with state and verdicts. */
export function classifySender(sender: SenderFacts, policy: SenderPolicy): SenderKind {
  if (sender.id !== policy.extensionId) return 'rejected';
  const origin = originOf(sender.url);
  if (origin === undefined) return 'rejected';
  if (origin === originOf(policy.extensionOrigin)) return 'extension-page';
  if (sender.tab !== undefined && origin === originOf(policy.officialSite)) return 'official-site';
  return 'rejected';
}

/** Whether `kind` may send `request`. The official site gets a high-level action only (DESIGN.md trust model). */
export function isAllowedRequest(kind: SenderKind, request: BackgroundRequest): boolean {
  if (kind === 'extension-page') return true;
  if (kind === 'official-site') {
    // start-download: a clicked link, judged again by the background (link-download.ts).
    return (request.type === 'open-verify-page' && request.id === undefined) || request.type === 'start-download';
  }
  return false;
}
