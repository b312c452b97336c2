/**
 * The one rule every surface follows for reproducibility: rebuilders are asked only about a
 * `verified` file, whose release hash is backed by a pinned signature. For any other verdict
 * the release hash is unsigned or the bytes are wrong, and a "reproduced" beside it would
 * invite misplaced trust. The status never changes the verdict.
 */
import type { Fetcher } from '../net/types.js';
import type { Profile } from '../profile.js';
import type { Verdict } from '../verdict.js';
import { checkReproducibility } from './status.js';
import type { ReproStatus } from './types.js';

export async function reproForVerdict(
  profile: Pick<Profile, 'rebuilders' | 'reproThreshold'>,
  verdict: Verdict,
  fetcher: Fetcher,
  options: { signal?: AbortSignal | undefined; now?: (() => Date) | undefined } = {},
): Promise<ReproStatus | undefined> {
  if (profile.rebuilders.length === 0 || verdict.kind !== 'verified') return undefined;
  return checkReproducibility({
    rebuilders: profile.rebuilders,
    threshold: profile.reproThreshold,
    fileName: verdict.expected.name,
    releaseSha256: verdict.expected.sha256,
    fileSha256: verdict.evidence.file.sha256,
    fetcher,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
