/**
 * What the verification page does with a picked file, independent of where the pieces come
 * from (so it is testable with fakes): hash in the worker while the release data downloads,
 * decide the verdict, then ask rebuilders — only for a verified file, because the release hash
 * they are compared with must come from signed data.
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

export interface VerifyFlowDeps<Material> {
  hash(file: Blob, options: { onProgress: (progress: HashProgress) => void; signal: AbortSignal }): Promise<HashResult>;
  fetchMaterial(fileName: string, signal: AbortSignal): Promise<Material>;
  /** The core's decision (src/core/verify/decide.ts), wherever it runs: here, or in the extension background. */
  decide(material: Material, fileName: string, hash: HashResult, context?: DecideContext): Promise<Verdict>;
  /** Absent when the profile names no rebuilders. */
  repro?: ((verdict: Extract<Verdict, { kind: 'verified' }>, signal: AbortSignal) => Promise<ReproStatus | undefined>) | undefined;
}

export interface VerifyFlowCallbacks {
  signal: AbortSignal;
  onProgress(progress: HashProgress): void;
  /** Hashing finished; the release data is being checked. */
  onHashed?(): void;
  /** The verdict is known; rebuilders may still be asked. */
  onVerdict(verdict: Verdict): void;
}

export interface VerifyOutcome {
  verdict: Verdict;
  repro?: ReproStatus | undefined;
}

export async function runVerification<Material>(
  file: File,
  deps: VerifyFlowDeps<Material>,
  callbacks: VerifyFlowCallbacks,
  context?: DecideContext,
): Promise<VerifyOutcome> {
  const { signal } = callbacks;
  const material = deps.fetchMaterial(file.name, signal);
  // Hashing may fail first; the material promise must not turn into an unhandled rejection.
  material.catch(() => undefined);
  const hashed = await deps.hash(file, { onProgress: callbacks.onProgress, signal });
  callbacks.onHashed?.();
  if (!hashed.digests.sha256) throw new IsoVerifyError('internal', 'the hashing worker returned no SHA-256');
  const verdict = await deps.decide(await material, file.name, hashed, context);
  callbacks.onVerdict(verdict);
  if (verdict.kind !== 'verified' || !deps.repro) return { verdict };
  try {
    return { verdict, repro: await deps.repro(verdict, signal) };
  } catch {
    // Rebuilders are a second signal; their failure must not hide the verdict.
    return { verdict };
  }
}
