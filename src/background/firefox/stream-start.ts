/**
 * Firefox hashes an image while it downloads. Whether the bytes of one HTTP response can be
 * hashed depends on its status and Content-Range: a 200 carries the whole file from byte 0;
 * a 206 can continue a saved hash only if it starts exactly where that hash stopped.
 * Pure, so the rule is unit-tested.
 */
import type { HashCheckpoint } from '../../core/hash/types.js';

export interface ContentRange {
  start: number;
  end: number;
  /** Undefined for `*` (unknown total). */
  total?: number;
}

/** Parse `bytes start-end/total` (RFC 9110 §14.4); undefined when malformed. */
export function parseContentRange(value: string | undefined): ContentRange | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*bytes\s+(\d{1,16})-(\d{1,16})\/(\d{1,16}|\*)\s*$/i.exec(value);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  const total = m[3] === '*' ? undefined : Number(m[3]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return undefined;
  if (total !== undefined && (!Number.isSafeInteger(total) || end >= total)) return undefined;
  return total === undefined ? { start, end } : { start, end, total };
}

export interface ResponseFacts {
  statusCode: number;
  /** Response headers; names compared case-insensitively. */
  headers: readonly { name: string; value?: string }[];
}

export function headerValue(headers: ResponseFacts['headers'], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

export type StreamStart =
  /** Hash from byte 0; `total` from Content-Length when given. */
  | { kind: 'fresh'; total?: number }
  /** Continue the saved hash; the response carries bytes from checkpoint.offset on. */
  | { kind: 'resume'; checkpoint: HashCheckpoint; total?: number }
  /** Do not hash this response; the download will need the file picked (or read) afterwards. */
  | { kind: 'skip'; reason: string };

function contentLength(headers: ResponseFacts['headers']): number | undefined {
  const raw = headerValue(headers, 'content-length');
  if (raw === undefined || !/^\s*\d{1,16}\s*$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Decide how to treat a response for an image URL, given any saved checkpoint for that URL. */
export function decideStreamStart(response: ResponseFacts, checkpoint: HashCheckpoint | undefined): StreamStart {
  const encoding = headerValue(response.headers, 'content-encoding');
  // A compressed transfer would hash the decoded bytes: fine in principle, but then the
  // byte counts are the only check that we saw what was saved. Refuse to guess.
  if (encoding !== undefined && !/^\s*identity\s*$/i.test(encoding))
    return { kind: 'skip', reason: `content-encoding ${encoding}` };
  if (response.statusCode === 200) {
    const total = contentLength(response.headers);
    return total === undefined ? { kind: 'fresh' } : { kind: 'fresh', total };
  }
  if (response.statusCode === 206) {
    const range = parseContentRange(headerValue(response.headers, 'content-range'));
    if (!range) return { kind: 'skip', reason: 'partial response without a valid Content-Range' };
    if (!checkpoint) return { kind: 'skip', reason: `partial response from byte ${range.start} and no saved hash` };
    if (range.start !== checkpoint.offset) {
      return { kind: 'skip', reason: `partial response from byte ${range.start}, saved hash at ${checkpoint.offset}` };
    }
    return range.total === undefined
      ? { kind: 'resume', checkpoint }
      : { kind: 'resume', checkpoint, total: range.total };
  }
  return { kind: 'skip', reason: `HTTP status ${response.statusCode}` };
}
