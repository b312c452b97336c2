/**
 * From a finished hash to a stored verdict: release material (fetched as soon as a download
 * is tracked, so it is usually ready when the hash is) for the core's `decide`, and the extras the UI
 * shows next to it — another mirror after a mismatch, and the reproducibility status.
 */
import { errorInfo } from '../core/errors.js';
import type { Fetcher } from '../core/net/types.js';
import type { Profile } from '../core/profile.js';
import { mirrorUrlFor, pickMirror, type MirrorLayout } from '../core/release/mirrors.js';
import type { Mirror } from '../core/release/types.js';
import { reproForVerdict } from '../core/repro/for-verdict.js';
import type { PersonReproSettings } from '../core/repro/person.js';
import type { ReproStatus } from '../core/repro/types.js';
import type { Verdict } from '../core/verdict.js';
import { fetchReleaseMaterial } from '../core/verify/index.js';
import { log } from '../extension/log.js';

export type ReleaseMaterial = Awaited<ReturnType<typeof fetchReleaseMaterial>>;

/** Long enough to cover a download started right after the prefetch; short enough to see a new release. */
export const MATERIAL_MAX_AGE_MS = 2 * 60 * 60 * 1000;

/**
 * Release material per file name, fetched once and shared by every download of that file.
 * A failed fetch is forgotten so the next attempt (retry, or a later download) tries again;
 * the core's `decide` gets the failure and turns it into an `unverifiable` verdict.
 */
export class MaterialCache {
  private readonly entries = new Map<string, { at: number; material: Promise<ReleaseMaterial> }>();

  constructor(
    private readonly profile: Profile,
    private readonly fetcher: Fetcher,
    /** Release data older than this is fetched again (a long-lived background must not judge by stale data). */
    private readonly maxAgeMs = MATERIAL_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Start fetching (if not already, or if stale) and return the pending material. */
  get(fileName: string): Promise<ReleaseMaterial> {
    let entry = this.entries.get(fileName);
    if (!entry || this.now() - entry.at > this.maxAgeMs) {
      const created = { at: this.now(), material: fetchReleaseMaterial(this.profile, fileName, this.fetcher, {}) };
      entry = created;
      this.entries.set(fileName, created);
      created.material.catch(() => {
        if (this.entries.get(fileName) === created) this.entries.delete(fileName);
      });
    }
    return entry.material;
  }

  /** Prefetch without waiting; errors surface when the verdict is decided. */
  prefetch(fileName: string): void {
    this.get(fileName).catch(() => undefined);
  }

  forget(fileName: string): void {
    this.entries.delete(fileName);
  }
}

/** After a mismatch: where the same file is on another mirror (never the one that failed). */
export function alternativeMirrorUrl(verdict: Verdict, pool: readonly Mirror[], usedPrefix: string, layout: MirrorLayout, random?: () => number): string | undefined {
  if (verdict.kind !== 'mismatch') return undefined;
  const picked = pickMirror(pool, random ? { exclude: [usedPrefix], random } : { exclude: [usedPrefix] });
  return picked ? mirrorUrlFor(picked.urlPrefix, verdict.expected.url, layout) : undefined;
}

/** Reproducibility of a verified release (src/core/repro/for-verdict.ts); never changes the verdict. */
export async function reproFor(profile: Profile, verdict: Verdict, fetcher: Fetcher, person?: PersonReproSettings): Promise<ReproStatus | undefined> {
  try {
    return await reproForVerdict(profile, verdict, fetcher, person ? { person } : {});
  } catch (error) {
    // Only invalid arguments or abort land here; the verdict stands without a repro status.
    log.warn('reproducibility check failed', errorInfo(error));
    return undefined;
  }
}
