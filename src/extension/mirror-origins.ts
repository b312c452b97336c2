/**
 * Host-permission match patterns for the mirror pool. Mirrors are not known when the
 * extension is built, so their origins are optional permissions that the user grants once from
 * the options page; Firefox needs them to hash a download while it arrives.
 */
import { parseMirrorPool } from '../core/release/mirrors.js';
import type { Mirror } from '../core/release/types.js';

/** `<scheme>://<host>/*` for every enabled mirror, deduplicated and sorted. */
export function mirrorOriginPatterns(pool: readonly Mirror[]): string[] {
  const patterns = new Set<string>();
  for (const mirror of pool) {
    if (mirror.weight <= 0) continue;
    let url: URL;
    try {
      url = new URL(mirror.urlPrefix);
    } catch {
      continue;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') continue;
    // Match patterns take no port: the host covers every port.
    patterns.add(`${url.protocol}//${url.hostname}/*`);
  }
  return [...patterns].sort();
}

/** Patterns from the cached pool as the background stores it (`{text}`), or [] when absent/corrupt. */
export function mirrorOriginPatternsFromCache(cached: unknown): string[] {
  if (typeof cached !== 'object' || cached === null) return [];
  const text = (cached as { text?: unknown }).text;
  if (typeof text !== 'string') return [];
  try {
    return mirrorOriginPatterns(parseMirrorPool(text));
  } catch {
    return [];
  }
}
