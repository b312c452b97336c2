/**
 * `--key` and `--fingerprint`, shared by verify and check-signature. A key is trusted only
 * because its primary fingerprint is pinned, never because it was given: --key only supplies
 * key material, --fingerprint says which primary keys are pinned.
 */
import { LIMITS, type Fetcher } from '../core/net/types.js';
import { normaliseFingerprint } from './args.js';

export function fingerprintOptions(command: string, values: readonly string[]): string[] {
  return [...new Set(values.map((v) => normaliseFingerprint(command, v)))];
}

/** Read every --key (path or URL) as bytes, capped like a downloaded key. */
export async function readKeyFiles(
  fetcher: Fetcher,
  sources: readonly string[],
  signal?: AbortSignal,
): Promise<Uint8Array[]> {
  return Promise.all(
    sources.map(
      async (source) =>
        (await fetcher(source, { maxBytes: LIMITS.key, timeoutMs: LIMITS.fetchTimeoutMs, signal })).bytes,
    ),
  );
}
