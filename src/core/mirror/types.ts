/**
 * Mirror checking (`iso-verify mirror`, the extension's "Check a mirror" page): does one mirror
 * serve exactly the files of the current signed release?
 */
import type { ErrorInfo } from '../errors.js';
import type { VerdictKind } from '../verdict.js';

/** What a mirror answered for one path, before any body is read. */
export interface MirrorResponse {
  status: number;
  /** Where the answer finally came from (after redirects), or the path read. */
  finalLocation: string;
  /**
   * True when the answer came from outside the mirror: a redirect to another scheme, host or
   * port, or (local trees) a symlink leading out of the tree.
   */
  redirectedOffsite: boolean;
  /** Why the answer is what it is, in words ("no such file", "symlink leaves the tree"); optional. */
  detail?: string;
  contentLength?: number | undefined;
  contentType?: string | undefined;
  /** The body, for GET; read at most as far as the caller needs. */
  body?: AsyncIterable<Uint8Array> | undefined;
  /** Stop transferring (closes the connection or file). */
  close(): Promise<void>;
}

/**
 * How the checker reaches a mirror: over HTTP(S) with fetch (src/core/mirror/http-source.ts),
 * or an operator's local rsync tree (the CLI's directory source).
 */
export interface MirrorSource {
  /** The URL prefix or directory, as given. */
  readonly location: string;
  /** A local tree has file sizes, not Content-Length headers (wording of the results). */
  readonly kind?: 'http' | 'directory';
  /** Full URL or path of a release file, e.g. for `stable/tails-amd64-7.2/tails-amd64-7.2.img`. */
  locate(path: string): string;
  open(path: string, options: { method: 'HEAD' | 'GET'; signal: AbortSignal }): Promise<MirrorResponse>;
  /**
   * The names in directory `dir` (a path below the prefix ending in "/", or "" for the top),
   * without trailing "/"; undefined when the mirror gives no listing. Used only for hints.
   */
  list?(dir: string, options: { signal: AbortSignal }): Promise<string[] | undefined>;
}

export type MirrorFileStatus =
  | 'ok'
  | 'missing' // 404 / no such file
  | 'http-error' // other non-200 status
  | 'wrong-length' // Content-Length (or file size) differs from the signed size (or from the signed bytes served)
  | 'wrong-type' // an HTML page or other content type instead of the file
  | 'redirect-offsite' // sent to another host
  | 'truncated' // fewer bytes than signed
  | 'oversized' // more bytes than signed
  | 'corrupt' // right size, wrong hash (or the signature does not verify)
  | 'unverifiable' // bytes match the description, but no signature could back it
  | 'dropped' // the connection closed before the whole file arrived
  | 'unreachable' // connection refused, DNS failure
  | 'timeout';

/** Statuses that mean the mirror serves wrong or incomplete data (exit 1), not "could not check". */
export const BAD_FILE_STATUSES: readonly MirrorFileStatus[] = [
  'missing',
  'http-error',
  'wrong-length',
  'wrong-type',
  'redirect-offsite',
  'truncated',
  'oversized',
  'corrupt',
  'dropped',
  'unreachable',
  'timeout',
];

export interface MirrorFileCheck {
  /** Release file name, e.g. tails-amd64-7.2.img. */
  fileName: string;
  kind: 'image' | 'signature';
  /** Path below the mirror prefix. */
  path: string;
  location: string;
  status: MirrorFileStatus;
  httpStatus?: number;
  contentLength?: number;
  contentType?: string;
  finalLocation?: string;
  expectedSize: number;
  /** Images: whether a signature vouches for expectedSize and expectedSha256 (else they are unsigned, #20). */
  expectedSizeSigned?: boolean;
  expectedSha256?: string;
  bytesRead: number;
  sha256?: string;
  /** Verdict of the full check (hashing + signature) for images. */
  verdict?: VerdictKind;
  durationMs: number;
  /** Bytes per second while reading the body. */
  throughput?: number;
  detail?: string;
  error?: ErrorInfo;
}

export interface MirrorReport {
  mirror: string;
  mode: 'quick' | 'full';
  /** Release the mirror was checked against. */
  release: { product: string; version: string; signed: boolean };
  /** Every checked file is `ok`. */
  ok: boolean;
  files: MirrorFileCheck[];
  bytesRead: number;
  durationMs: number;
  /** Average bytes per second over all bodies read. */
  throughput?: number;
  /** Set when the check could not run at all for this mirror. */
  error?: ErrorInfo;
  /** What the operator should look at (src/core/mirror/hints.ts), when something is wrong. */
  hints?: string[];
}

export interface MirrorCheckProgress {
  mirror: string;
  fileName: string;
  bytes: number;
  total: number;
}
