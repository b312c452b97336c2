/**
 * The background's verification: the core pipeline (src/core/verify/pipeline.ts) with release
 * material from a cache (fetched as soon as a download is tracked, so it is usually ready when
 * the hash is), the trust state in storage and the reproducers asked by the pipeline — for
 * downloads and for files the extension's pages hashed alike; and the extra the UI shows next
 * to a verdict: another mirror after a mismatch.
 */
import type { TrustState } from '../core/freshness.js';
import type { HashEngine } from '../core/hash/types.js';
import type { Fetcher } from '../core/net/types.js';
import type { Profile } from '../core/profile.js';
import { mirrorLayoutOf, mirrorUrlFor, pickMirror, type MirrorLayout } from '../core/release/mirrors.js';
import type { Mirror } from '../core/release/types.js';
import type { PersonReproSettings } from '../core/repro/person.js';
import type { Verdict } from '../core/verdict.js';
import { fetchReleaseMaterial, verifyImage, type FetchedInput, type ReleaseMaterial } from '../core/verify/index.js';
import type { Verification } from './context.js';
import { verifyPageHash } from './page-verification.js';

/** Long enough to cover a download started right after the prefetch; short enough to see a new release. */
export const MATERIAL_MAX_AGE_MS = 2 * 60 * 60 * 1000;

/**
 * Release material per file name, fetched once and shared by every download of that file.
 * Only complete material is kept: when any input failed (or the fetch was aborted), the
 * callers already waiting share that result — the core's `decide` turns the failure into the
 * right verdict — and the next one fetches again, so a site that is back is seen at once.
 */
export class MaterialCache {
  private readonly entries = new Map<string, { at: number; material: Promise<ReleaseMaterial> }>();

  constructor(
    private readonly profile: Profile,
    private readonly fetcher: Fetcher,
    /** The background's clock (clock.ts). */
    private readonly now: () => number,
    /** Release data older than this is fetched again (a long-lived background must not judge by stale data). */
    private readonly maxAgeMs = MATERIAL_MAX_AGE_MS,
  ) {}

  /** Start fetching (if not already, or if stale) and return the pending material. */
  get(fileName: string): Promise<ReleaseMaterial> {
    let entry = this.entries.get(fileName);
    if (!entry || this.now() - entry.at > this.maxAgeMs) {
      const created = { at: this.now(), material: fetchReleaseMaterial(this.profile, fileName, this.fetcher, {}) };
      entry = created;
      this.entries.set(fileName, created);
      const drop = () => {
        if (this.entries.get(fileName) === created) this.entries.delete(fileName);
      };
      created.material.then((material) => {
        if (failedInputs(material).length > 0) drop();
      }, drop);
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

/** The inputs of `material` whose fetch failed. */
export function failedInputs(material: ReleaseMaterial): FetchedInput[] {
  const all: Array<FetchedInput | undefined> = [
    material.description,
    material.descriptionSignature,
    material.imageSignature,
    material.siblingImageSignature?.input,
    material.keyRefresh,
    ...material.extraKeys,
    ...material.upgradeDescriptions.flatMap((u) => [u.description, u.signature]),
  ];
  return all.filter((input): input is FetchedInput => input?.record.error !== undefined);
}

export interface BackgroundVerificationDeps {
  profile: Profile;
  /** Where the rebuilders are asked. */
  fetcher: Fetcher;
  materials: Pick<MaterialCache, 'get'>;
  trustState: TrustState;
  /** The person's own reproducers and k-of-n (options page), read at each check. */
  person: () => Promise<PersonReproSettings | undefined>;
  /** The mirror pool as last fetched. */
  pool: () => Promise<readonly Mirror[]>;
  engine?: HashEngine;
  /** The background's clock (clock.ts): what the verdict's clock checks read. */
  now: () => Date;
}

/** Every verification the background makes: the core pipeline, one way for downloads and page-hashed files. */
export function backgroundVerification(deps: BackgroundVerificationDeps): Verification {
  const { profile, materials, trustState } = deps;
  const repro = { fetcher: deps.fetcher, person: deps.person };
  return {
    verify: (fileName, hash, signal) =>
      verifyImage({
        profile,
        fileName,
        material: { material: materials.get(fileName) },
        hash,
        store: { rollback: trustState },
        signal,
        now: deps.now,
        repro,
      }),
    verifyPageHash: (request, options) =>
      verifyPageHash(
        {
          profile,
          material: (name) => materials.get(name),
          trustState,
          ...(deps.engine ? { engine: deps.engine } : {}),
          now: deps.now,
        },
        request,
        options.repro ? { repro } : {},
      ),
    alternativeUrl: async (verdict, usedPrefix) =>
      alternativeMirrorUrl(verdict, await deps.pool(), usedPrefix, mirrorLayoutOf(profile)),
  };
}

/** After a mismatch: where the same file is on another mirror (never the one that failed). */
export function alternativeMirrorUrl(
  verdict: Verdict,
  pool: readonly Mirror[],
  usedPrefix: string,
  layout: MirrorLayout,
  random?: () => number,
): string | undefined {
  if (verdict.kind !== 'mismatch') return undefined;
  const picked = pickMirror(pool, random ? { exclude: [usedPrefix], random } : { exclude: [usedPrefix] });
  return picked ? mirrorUrlFor(picked.urlPrefix, verdict.expected.url, layout) : undefined;
}
