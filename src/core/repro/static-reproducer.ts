/**
 * Static reproducers: people who rebuild a release and publish the signed in-toto link on any
 * static HTTPS host, no server software. Layout (docs/reproduce.md):
 *
 *   <base>/<product>/<version>/<file>.link     the link `iso-verify attest` writes
 *   <base>/index.json                          what is published (for people; never trusted)
 *
 * Only the link is fetched, capped like a rebuilderd attestation. A 404/410 means "nothing
 * published for this file", every other failure "unreachable".
 */
import { IsoVerifyError, isIsoVerifyError } from '../errors.js';
import { LIMITS } from '../net/types.js';
import type { RebuilderdRequest } from './rebuilderd.js';

export interface ReleaseRef {
  product: string;
  version: string;
  fileName: string;
}

/** One path segment: non-empty, no separators, not "." or ".." (a name must not climb the tree). */
export function isSafeSegment(segment: string): boolean {
  // Control characters (code points below 0x20) have no place in a file or version name.
  const hasControl = [...segment].some((c) => c.codePointAt(0)! < 0x20);
  return (
    segment !== '' &&
    segment !== '.' &&
    segment !== '..' &&
    !/[/\\]/.test(segment) &&
    !hasControl &&
    segment.length <= 255
  );
}

/** `<base>/<product>/<version>/<file>.link`, each segment URI-encoded. `base` is already normalised. */
export function staticLinkUrl(base: string, release: ReleaseRef): string {
  for (const [what, segment] of Object.entries(release)) {
    if (!isSafeSegment(segment))
      throw new IsoVerifyError('input-invalid-value', `${what} is not usable as a path segment: ${segment}`);
  }
  return `${base}/${encodeURIComponent(release.product)}/${encodeURIComponent(release.version)}/${encodeURIComponent(release.fileName)}.link`;
}

/** The relative path of a link inside a published tree (the same segments, unencoded). */
export function staticLinkPath(release: ReleaseRef): string[] {
  return [release.product, release.version, `${release.fileName}.link`];
}

/** The link bytes, or null when the host answers 404/410 (nothing published for this file). */
export async function fetchStaticLink(url: string, request: RebuilderdRequest): Promise<Uint8Array | null> {
  try {
    const fetched = await request.fetcher(url, {
      maxBytes: LIMITS.attestation,
      timeoutMs: request.timeoutMs,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    // The Fetcher promises the cap; checking again keeps us closed if one does not.
    if (fetched.bytes.length > LIMITS.attestation)
      throw new IsoVerifyError('fetch-too-large', `${url}: more than ${LIMITS.attestation} bytes`);
    return fetched.bytes;
  } catch (error) {
    // The capped fetcher reports the status only in its detail ("HTTP 404 for <url>").
    if (isIsoVerifyError(error) && error.code === 'fetch-http-status' && /\bHTTP (404|410)\b/.test(error.detail ?? ''))
      return null;
    throw error;
  }
}
