/**
 * A finished hash in a form extension storage can hold: byte count, hex digests and the
 * continuations' saved states (base64), so a restarted background can still verify the image
 * signature, which hashes the image followed by a trailer.
 */
import { toBase64 } from '../core/bytes.js';
import { restoreHashResult } from '../core/hash/restore.js';
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

export function storeHashResult(
  result: HashResult,
  engine: HashEngine,
  url: string,
  finishedAt: string,
): StoredHashResult {
  const states: StoredHashResult['states'] = {};
  for (const [algorithm, hasher] of Object.entries(result.continuations) as [
    HashAlgorithm,
    HashResult['continuations'][HashAlgorithm],
  ][]) {
    if (!hasher?.saveState)
      throw new IsoVerifyError('hash-state-invalid', `engine ${engine.name} cannot save ${algorithm}`);
    states[algorithm] = toBase64(hasher.saveState());
  }
  return { engine: engine.name, bytes: result.bytes, digests: { ...result.digests }, states, url, finishedAt };
}

/** Validate a stored value (storage can hold anything) and rebuild the continuations and digests from the states. */
export async function loadHashResult(value: unknown, engine: HashEngine): Promise<HashResult & { url: string }> {
  if (typeof value !== 'object' || value === null)
    throw new IsoVerifyError('hash-state-invalid', 'stored hash is not an object');
  const v = value as Partial<StoredHashResult>;
  if (v.engine !== engine.name)
    throw new IsoVerifyError('hash-state-invalid', `stored hash from engine ${String(v.engine)}`);
  if (typeof v.url !== 'string') throw new IsoVerifyError('hash-state-invalid', 'stored hash has no url');
  if (typeof v.states !== 'object' || v.states === null)
    throw new IsoVerifyError('hash-state-invalid', 'stored hash has no states');
  const result = await restoreHashResult(v.bytes as number, v.states, engine);
  return { ...result, url: v.url };
}
