/**
 * A minimal client for the rebuilderd v1 HTTP API, over the core Fetcher (capped in size and time).
 *
 * Routes used (rebuilderd ≥ 0.22, daemon/src/api/v1):
 * - `GET {base}/api/v1/packages/binary?distribution=…&name=<file>&architecture=…`
 *   → `{"total":n,"records":[{name,version,distribution,release,architecture,url,
 *       status:"GOOD"|"BAD"|"UNKWN"|null,build_id,artifact_id,attestation_log_id,last_seen,…}]}`
 *   The name filter is not guaranteed to be exact, so records for other names are ignored.
 * - `GET {base}/api/v1/builds/{build_id}/artifacts/{artifact_id}/attestation` → the in-toto link.
 * - `GET {base}/api/v1/builds/{build_id}/log` → the build log (text). ASSUMPTION: this route is
 *   only linked for the user, never fetched or trusted; it exists in rebuilderd's v1 API
 *   (`get_build_log`) but a deployment may serve it elsewhere or not at all.
 */
import { IsoVerifyError } from '../errors.js';
import type { Fetcher } from '../net/types.js';
import { LIMITS } from '../net/types.js';

export type RebuildStatus = 'GOOD' | 'BAD' | 'UNKWN' | null;

/** The fields of a binary-package record this product uses. */
export interface BinaryPackageRecord {
  name: string;
  version: string;
  distribution: string;
  architecture: string;
  status: RebuildStatus;
  buildId: number | null;
  artifactId: number | null;
  /**
   * Non-null when the rebuilder stored an attestation for the artifact; null when it says it has
   * none; undefined when the server does not send the field (then we ask for the attestation).
   */
  attestationLogId: number | null | undefined;
  /** rebuilderd's `last_seen` as sent (a naive UTC timestamp, e.g. "2025-10-12T08:01:02.123"). */
  lastSeen: string;
}

export interface RebuilderdRequest {
  fetcher: Fetcher;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The base URL without trailing slashes, validated as http(s). */
export function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new IsoVerifyError('input-invalid-value', `rebuilder base URL is not a URL: ${baseUrl}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new IsoVerifyError('fetch-insecure-url', `rebuilder base URL must be http(s): ${baseUrl}`);
  }
  if (url.search || url.hash)
    throw new IsoVerifyError('input-invalid-value', `rebuilder base URL has a query or fragment: ${baseUrl}`);
  return url.href.replace(/\/+$/, '');
}

export function binaryPackagesUrl(
  baseUrl: string,
  query: { distribution: string; name: string; architecture: string },
): string {
  const params = new URLSearchParams({
    distribution: query.distribution,
    name: query.name,
    architecture: query.architecture,
  });
  return `${normaliseBaseUrl(baseUrl)}/api/v1/packages/binary?${params.toString()}`;
}

export function attestationUrl(baseUrl: string, buildId: number, artifactId: number): string {
  return `${normaliseBaseUrl(baseUrl)}/api/v1/builds/${buildId}/artifacts/${artifactId}/attestation`;
}

export function buildLogUrl(baseUrl: string, buildId: number): string {
  return `${normaliseBaseUrl(baseUrl)}/api/v1/builds/${buildId}/log`;
}

async function fetchCapped(url: string, maxBytes: number, request: RebuilderdRequest): Promise<Uint8Array> {
  const options = { maxBytes, timeoutMs: request.timeoutMs, ...(request.signal ? { signal: request.signal } : {}) };
  const fetched = await request.fetcher(url, options);
  // The Fetcher promises the cap; checking again costs nothing and keeps us closed if one does not.
  if (fetched.bytes.length > maxBytes)
    throw new IsoVerifyError('fetch-too-large', `${url}: more than ${maxBytes} bytes`);
  return fetched.bytes;
}

function apiMalformed(detail: string): IsoVerifyError {
  return new IsoVerifyError('input-malformed', `rebuilderd API: ${detail}`);
}

function optionalId(value: unknown, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw apiMalformed(`${field} is not an id`);
  return value;
}

function parseRecord(value: unknown, index: number): BinaryPackageRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw apiMalformed(`records[${index}] is not an object`);
  const r = value as Record<string, unknown>;
  for (const field of ['name', 'version', 'distribution', 'architecture'] as const) {
    if (typeof r[field] !== 'string') throw apiMalformed(`records[${index}].${field} is not a string`);
  }
  const status = r.status ?? null;
  if (status !== null && status !== 'GOOD' && status !== 'BAD' && status !== 'UNKWN') {
    throw apiMalformed(`records[${index}].status is not GOOD, BAD, UNKWN or null`);
  }
  const lastSeen = r.last_seen ?? '';
  if (typeof lastSeen !== 'string') throw apiMalformed(`records[${index}].last_seen is not a string`);
  return {
    name: r.name as string,
    version: r.version as string,
    distribution: r.distribution as string,
    architecture: r.architecture as string,
    status,
    buildId: optionalId(r.build_id, `records[${index}].build_id`),
    artifactId: optionalId(r.artifact_id, `records[${index}].artifact_id`),
    attestationLogId:
      'attestation_log_id' in r ? optionalId(r.attestation_log_id, `records[${index}].attestation_log_id`) : undefined,
    lastSeen,
  };
}

/** Parse a `/api/v1/packages/binary` response body. Throws `input-malformed`. */
export function parseBinaryPackages(bytes: Uint8Array): BinaryPackageRecord[] {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw apiMalformed(`response is not UTF-8 JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { records?: unknown }).records)) {
    throw apiMalformed('response has no records array');
  }
  return (body as { records: unknown[] }).records.map(parseRecord);
}

/**
 * The latest record for exactly this file on this distribution and architecture, or null.
 * "Latest" is the highest build id (rebuilderd numbers rebuilds increasingly; a record not yet
 * built has none and ranks lowest), then the most recent `last_seen`.
 */
export function selectLatestRecord(
  records: BinaryPackageRecord[],
  wanted: { name: string; distribution: string; architecture: string },
): BinaryPackageRecord | null {
  let best: BinaryPackageRecord | null = null;
  for (const record of records) {
    if (
      record.name !== wanted.name ||
      record.distribution !== wanted.distribution ||
      record.architecture !== wanted.architecture
    )
      continue;
    if (best === null) {
      best = record;
      continue;
    }
    const a = record.buildId ?? -1;
    const b = best.buildId ?? -1;
    // ISO-8601 timestamps of the same shape order correctly as strings.
    if (a > b || (a === b && record.lastSeen > best.lastSeen)) best = record;
  }
  return best;
}

/** Query the rebuilder for a file and return its latest matching record, or null when it has none. */
export async function findLatestRecord(
  baseUrl: string,
  wanted: { name: string; distribution: string; architecture: string },
  request: RebuilderdRequest,
): Promise<BinaryPackageRecord | null> {
  const bytes = await fetchCapped(binaryPackagesUrl(baseUrl, wanted), LIMITS.rebuilderApi, request);
  return selectLatestRecord(parseBinaryPackages(bytes), wanted);
}

/** Fetch the raw attestation (in-toto link) of one rebuilt artifact. */
export async function fetchAttestation(
  baseUrl: string,
  buildId: number,
  artifactId: number,
  request: RebuilderdRequest,
): Promise<Uint8Array> {
  return fetchCapped(attestationUrl(baseUrl, buildId, artifactId), LIMITS.attestation, request);
}

export function buildUrl(baseUrl: string, buildId: number): string {
  return `${normaliseBaseUrl(baseUrl)}/api/v1/builds/${buildId}`;
}

/**
 * rebuilderd timestamps are naive UTC (`2025-10-12T08:01:02.123456`); return ISO-8601 with `Z`,
 * or null when the text is not such a timestamp.
 */
export function naiveUtcToIso(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]00:?00)?$/.exec(text);
  if (!match) return null;
  const ms = match[3] ? match[3].slice(0, 4).padEnd(4, '0') : '.000';
  const date = new Date(`${match[1]}T${match[2]}${ms}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** When the build finished (`built_at` of `GET /api/v1/builds/{id}`), as ISO-8601, or null. */
export async function fetchBuildDate(
  baseUrl: string,
  buildId: number,
  request: RebuilderdRequest,
): Promise<string | null> {
  const bytes = await fetchCapped(buildUrl(baseUrl, buildId), LIMITS.rebuilderApi, request);
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  return naiveUtcToIso((body as { built_at?: unknown }).built_at);
}
