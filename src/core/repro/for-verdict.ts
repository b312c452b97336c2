/**
 * The one rule every surface follows for reproducibility: rebuilders are asked only about a
 * `verified` file, whose release hash is backed by a pinned signature. For any other verdict
 * the release hash is unsigned or the bytes are wrong, and a "reproduced" beside it would
 * invite misplaced trust. The status never changes the verdict.
 *
 * A verified file always gets a status, even with nobody to ask: then it has no rebuilders and
 * the surfaces say so in one line, with a pointer to docs/reproduce.md.
 */
import type { Fetcher } from '../net/types.js';
import type { Profile } from '../profile.js';
import type { Verdict } from '../verdict.js';
import type { PersonReproSettings } from './person.js';
import { checkReproducibility } from './status.js';
import type { ReproStatus } from './types.js';

/**
 * The SHA-256 a pinned signature vouches for, for a verified file: the file's own. A verified
 * file IS the signed bytes — the image signature proves them, or they equal a signed reference.
 * `verdict.expected.sha256` is not it in image-signature mode: there it comes from the unsigned
 * description, which may lie (#20). Undefined for any other verdict.
 */
export function signedSha256(verdict: Verdict): string | undefined {
  return verdict.kind === 'verified' ? verdict.evidence.file.sha256 : undefined;
}

export async function reproForVerdict(
  profile: Pick<Profile, 'rebuilders' | 'reproThreshold' | 'product'>,
  verdict: Verdict,
  fetcher: Fetcher,
  options: {
    signal?: AbortSignal | undefined;
    now?: (() => Date) | undefined;
    person?: PersonReproSettings | undefined;
  } = {},
): Promise<ReproStatus | undefined> {
  const releaseSha256 = signedSha256(verdict);
  if (verdict.kind !== 'verified' || releaseSha256 === undefined) return undefined;
  const person = options.person;
  return checkReproducibility({
    rebuilders: profile.rebuilders,
    personReproducers: person?.reproducers ?? [],
    threshold: person?.threshold ?? profile.reproThreshold,
    thresholdSource: person?.threshold !== undefined ? 'person' : 'profile',
    fileName: verdict.expected.name,
    product: profile.product,
    version: verdict.expected.version,
    releaseSha256,
    fileSha256: verdict.evidence.file.sha256,
    fetcher,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
