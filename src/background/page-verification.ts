/**
 * The extension's verification of a file hashed by one of its pages (the verification page, the
 * official site's verify frame): the page sends only what hashing produced — the byte count and
 * the hashers' saved states — and the background restores them and runs the core pipeline
 * (src/core/verify/pipeline.ts), which decides and stores the rollback records. So the
 * background is the only writer of the trust state and the one that asks the reproducers, and
 * no page ever hands it a verdict, a digest it did not derive, or a key.
 */
import { IsoVerifyError } from '../core/errors.js';
import type { TrustState } from '../core/freshness.js';
import { restoreHashResult } from '../core/hash/restore.js';
import type { HashAlgorithm, HashEngine } from '../core/hash/types.js';
import { wasmEngine } from '../core/hash/wasm-engine.js';
import type { Profile } from '../core/profile.js';
import { verifyImage, type ReleaseMaterial, type ReproRequest, type VerifyImageResult } from '../core/verify/index.js';

/** What a page sends: never digests (they are derived from the states), never a verdict. */
export interface PageHash {
  fileName: string;
  bytes: number;
  /** Base64 of the hash-wasm states just before finishing (HashResult continuations' saveState). */
  states: Partial<Record<HashAlgorithm, string>>;
}

export interface PageVerificationDeps {
  profile: Profile;
  material(fileName: string): Promise<ReleaseMaterial>;
  trustState: TrustState;
  engine?: HashEngine;
  now?: () => Date;
}

export async function verifyPageHash(
  deps: PageVerificationDeps,
  request: PageHash,
  options: { repro?: ReproRequest } = {},
): Promise<VerifyImageResult> {
  if (typeof request.fileName !== 'string' || request.fileName === '')
    throw new IsoVerifyError('input-invalid-value', 'file name');
  return verifyImage({
    profile: deps.profile,
    fileName: request.fileName,
    material: { material: deps.material(request.fileName) },
    hash: restoreHashResult(request.bytes, request.states, deps.engine ?? wasmEngine),
    store: { rollback: deps.trustState },
    now: deps.now,
    repro: options.repro,
  });
}
