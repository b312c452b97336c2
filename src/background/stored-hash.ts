/**
 * A finished hash in a form extension storage can hold: byte count, hex digests and the
 * continuations' saved states (base64), so a restarted background can still verify the image
 * signature, which hashes the image followed by a trailer.
 */
import { fromBase64, toBase64 } from '../core/bytes.js';
import { IsoVerifyError } from '../core/errors.js';
import type { HashAlgorithm, HashEngine, HashResult } from '../core/hash/types.js';

export interface StoredHashResult {
  engine: string;
  bytes: number;
  digests: Partial<Record<HashAlgorithm, string>>;
  states: Partial<Record<HashAlgorithm, string>>;
  /** Where the bytes came from (the response URL) and when the hash finished. */
  url: string;
  finishedAt: string;
}

export function storeHashResult(result: HashResult, engine: HashEngine, url: string, finishedAt: string): StoredHashResult {
  const states: StoredHashResult['states'] = {};
  for (const [algorithm, hasher] of Object.entries(result.continuations) as [HashAlgorithm, HashResult['continuations'][HashAlgorithm]][]) {
    if (!hasher?.saveState) throw new IsoVerifyError('hash-state-invalid', `engine ${engine.name} cannot save ${algorithm}`);
    states[algorithm] = toBase64(hasher.saveState());
  }
  return { engine: engine.name, bytes: result.bytes, digests: { ...result.digests }, states, url, finishedAt };
}

const HEX_LENGTH: Record<HashAlgorithm, number> = { sha256: 64, sha512: 128 };

/** Validate a stored value (storage can hold anything) and rebuild the continuations. */
export async function loadHashResult(value: unknown, engine: HashEngine): Promise<HashResult & { url: string }> {
  if (typeof value !== 'object' || value === null) throw new IsoVerifyError('hash-state-invalid', 'stored hash is not an object');
  const v = value as Partial<StoredHashResult>;
  if (v.engine !== engine.name || !engine.restore) throw new IsoVerifyError('hash-state-invalid', `stored hash from engine ${String(v.engine)}`);
  if (typeof v.bytes !== 'number' || !Number.isSafeInteger(v.bytes) || v.bytes < 0) throw new IsoVerifyError('hash-state-invalid', 'stored byte count');
  if (typeof v.url !== 'string') throw new IsoVerifyError('hash-state-invalid', 'stored hash has no url');
  const digests: HashResult['digests'] = {};
  const continuations: HashResult['continuations'] = {};
  for (const algorithm of ['sha256', 'sha512'] as const) {
    const digest = v.digests?.[algorithm];
    const state = v.states?.[algorithm];
    if (digest === undefined && state === undefined) continue;
    if (typeof digest !== 'string' || digest.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(digest)) {
      throw new IsoVerifyError('hash-state-invalid', `stored ${algorithm} digest`);
    }
    if (typeof state !== 'string') throw new IsoVerifyError('hash-state-invalid', `stored ${algorithm} state`);
    digests[algorithm] = digest;
    continuations[algorithm] = await engine.restore(algorithm, fromBase64(state));
  }
  if (digests.sha256 === undefined) throw new IsoVerifyError('hash-state-invalid', 'stored hash has no sha256');
  return { bytes: v.bytes, digests, continuations, url: v.url };
}
