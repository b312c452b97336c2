/**
 * What the verification page and the website widget do with a picked file, independent of
 * where the pieces come from (so it is testable with fakes). The verification itself is the
 * core's pipeline (src/core/verify/pipeline.ts: hash while the release data downloads, decide,
 * record, ask the rebuilders when asked and allowed), run in the page (the widget) or by the
 * extension's background from the hash state the page sends.
 */
import { IsoVerifyError, type ErrorInfo } from '../core/errors.js';
import type { HashProgress, HashResult } from '../core/hash/types.js';
import type { ReproStatus } from '../core/repro/types.js';
import type { Verdict } from '../core/verdict.js';

/** For the extension's verification page: the tracked download the picked file is for. */
export interface DecideContext {
  downloadId?: string;
  /** The verdict stands, but could not become the tracked download's. */
  onAttachError?(error: ErrorInfo): void;
}

/** A picked file's verification as the core pipeline answers it. */
export interface PickedFileVerdict {
  verdict: Verdict;
  /** Present when the rebuilders were asked (the pipeline's `repro`): their status, after the verdict. */
  repro?: Promise<ReproStatus | undefined> | undefined;
}

export interface VerifyFlowDeps {
  /** Verify one picked file: hash it (reporting progress) and run the core pipeline, here or in the extension's background. */
  verify(
    file: File,
    options: { onProgress: (progress: HashProgress) => void; onHashed: () => void; signal: AbortSignal },
    context?: DecideContext,
  ): Promise<PickedFileVerdict>;
}

export interface VerifyFlowCallbacks {
  signal: AbortSignal;
  onProgress(progress: HashProgress): void;
  /** Hashing finished; the release data is being checked. */
  onHashed?(): void;
  /** The verdict is known; `reproPending`: rebuilders are being asked. */
  onVerdict(verdict: Verdict, reproPending: boolean): void;
}

export interface VerifyOutcome {
  verdict: Verdict;
  repro?: ReproStatus | undefined;
}

export async function runVerification(
  file: File,
  deps: VerifyFlowDeps,
  callbacks: VerifyFlowCallbacks,
  context?: DecideContext,
): Promise<VerifyOutcome> {
  const { signal } = callbacks;
  const { verdict, repro } = await deps.verify(
    file,
    { onProgress: callbacks.onProgress, onHashed: () => callbacks.onHashed?.(), signal },
    context,
  );
  callbacks.onVerdict(verdict, repro !== undefined);
  if (!repro) return { verdict };
  try {
    return { verdict, repro: await repro };
  } catch {
    // Rebuilders are a second signal; their failure must not hide the verdict.
    return { verdict };
  }
}

/** A hash without SHA-256 fails closed before anything is decided (a broken worker, not the file). */
export function requireSha256<H extends Pick<HashResult, 'digests'>>(hash: H): H {
  if (!hash.digests.sha256) throw new IsoVerifyError('internal', 'the hashing worker returned no SHA-256');
  return hash;
}
