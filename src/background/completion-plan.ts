/**
 * How a completed download gets hashed: a pure decision from what the background knows
 * (src/background/completion.ts applies it). The phase rules are src/wire/download.ts.
 */

/** What the background knows when a tracked download completes. */
export interface CompletionFacts {
  /** Firefox: the finished stream hash bound to this download (stream-binding.ts), if any. */
  streamHash?: { bytes: number };
  /** Firefox: a stream hash exists but is not bound unambiguously to this download. */
  streamRejected?: boolean;
  /** Size of the file on disk as the browser reports it (-1 or undefined when unknown). */
  fileSize?: number;
  /** Chrome: the user allowed file:// access; Firefox never can read files. */
  fileAccess: boolean;
  /** A local path to read, when the browser told us. */
  localPath?: string;
}

export type CompletionPlan =
  /** Verify with the hash taken while downloading. */
  | { kind: 'verify-stream' }
  /** Hash the finished file through file:// (Chrome with file access). */
  | { kind: 'read-file' }
  /** Ask the user to pick the file on the verify page. */
  | { kind: 'await-file'; reason: 'no-file-access' | 'stream-size-mismatch' | 'no-stream-hash' | 'stream-not-bound' };

/**
 * How to get the hash of a completed download. A stream hash is used only when it covers
 * exactly the bytes on disk: anything else (a resumed download whose offsets did not match,
 * a filter that saw a different response) falls back to reading or picking the file.
 */
export function completionPlan(facts: CompletionFacts): CompletionPlan {
  const size = facts.fileSize !== undefined && facts.fileSize >= 0 ? facts.fileSize : undefined;
  if (facts.streamRejected && !facts.streamHash) {
    // Some response was hashed but may not be this file's: read it, or have the user pick it.
    return facts.fileAccess && facts.localPath
      ? { kind: 'read-file' }
      : { kind: 'await-file', reason: 'stream-not-bound' };
  }
  if (facts.streamHash) {
    if (size !== undefined && facts.streamHash.bytes === size) return { kind: 'verify-stream' };
    if (facts.fileAccess && facts.localPath) return { kind: 'read-file' };
    return { kind: 'await-file', reason: 'stream-size-mismatch' };
  }
  if (facts.fileAccess && facts.localPath) return { kind: 'read-file' };
  return { kind: 'await-file', reason: facts.fileAccess ? 'no-stream-hash' : 'no-file-access' };
}
