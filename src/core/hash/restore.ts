/**
 * Rebuild a HashResult from saved continuation states (a worker's answer, a finished hash kept
 * in extension storage). The digests are derived from the restored states themselves, never
 * taken from alongside them, so the SHA-256 compared with the release and the SHA-512 state the
 * image signature is checked against can only describe the same bytes.
 */
import { fromBase64, toBase64, toHex } from '../bytes.js';
import { IsoVerifyError } from '../errors.js';
import { HASH_ALGORITHMS } from './incremental-hash.js';
import type { HashAlgorithm, HashEngine, HashResult } from './types.js';

export async function restoreHashResult(
  bytes: number,
  states: Partial<Record<HashAlgorithm, unknown>>,
  engine: HashEngine,
): Promise<HashResult> {
  if (!engine.restore)
    throw new IsoVerifyError('hash-state-invalid', `engine ${engine.name} cannot restore saved states`);
  if (!Number.isSafeInteger(bytes) || bytes < 0)
    throw new IsoVerifyError('hash-state-invalid', `byte count ${String(bytes)}`);
  const digests: HashResult['digests'] = {};
  const continuations: HashResult['continuations'] = {};
  for (const algorithm of HASH_ALGORITHMS) {
    const state = states[algorithm];
    if (state === undefined) continue;
    if (typeof state !== 'string') throw new IsoVerifyError('hash-state-invalid', `${algorithm} state is not a string`);
    const hasher = await engine.restore(algorithm, fromBase64(state));
    continuations[algorithm] = hasher;
    digests[algorithm] = toHex(hasher.clone().digest());
  }
  if (digests.sha256 === undefined) throw new IsoVerifyError('hash-state-invalid', 'no sha256 state');
  return { bytes, digests, continuations };
}

/** The saved states of a result's continuations (the inverse of restoreHashResult), to hand a hash to another context. */
export function saveHashStates(result: Pick<HashResult, 'continuations'>): Partial<Record<HashAlgorithm, string>> {
  const states: Partial<Record<HashAlgorithm, string>> = {};
  for (const algorithm of HASH_ALGORITHMS) {
    const hasher = result.continuations[algorithm];
    if (!hasher) continue;
    if (!hasher.saveState)
      throw new IsoVerifyError('hash-state-invalid', `the ${algorithm} hasher cannot save its state`);
    states[algorithm] = toBase64(hasher.saveState());
  }
  if (states.sha256 === undefined) throw new IsoVerifyError('hash-state-invalid', 'no sha256 continuation');
  return states;
}
