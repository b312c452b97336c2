/**
 * THE verification of one image file, the one function every surface calls (the CLI's verify
 * and repro, the extension's background for downloads and page-hashed files, the website
 * widget, the mirror check): in the manner of sigstore-js's `Verifier.verify` and openpgp.js's
 * top-level `verify`, inputs in, one result out.
 *
 *  1. the release material is fetched (or taken as given) WHILE the file is hashed; if either
 *     side fails, the other is aborted and the first failure is thrown (typed);
 *  2. `decide` (decide.ts) turns material, hash and the trust state into one verdict;
 *  3. the decision's trust updates are written to the store, once;
 *  4. when asked, and only for a verdict that allows it (reproForVerdict), the reproducers
 *     are asked: a promise beside the verdict, so a surface can show the verdict first.
 *
 * Surfaces adapt their platform (fetch, hashing, storage, clock) and show the result; none
 * composes fetch, decide and record itself.
 */
import { IsoVerifyError, toIsoVerifyError } from '../errors.js';
import type { TrustState } from '../freshness.js';
import type { Fetcher } from '../net/types.js';
import type { Profile } from '../profile.js';
import { reproForVerdict } from '../repro/for-verdict.js';
import type { PersonReproSettings } from '../repro/person.js';
import type { ReproStatus } from '../repro/types.js';
import type { Verdict } from '../verdict.js';
import { decide, recordDecision, type HashedFile, type TrustUpdate } from './decide.js';
import { fetchReleaseMaterial, type MaterialOverrides, type ReleaseMaterial } from './material.js';

/**
 * Where the release material comes from: fetched here through a Fetcher (with the CLI's
 * overrides), or already fetched / being fetched by the caller (the extension's cache, the
 * mirror check's loaded release). A caller's promise is not aborted by the pipeline (others
 * may share it); it is only no longer waited for.
 */
export type MaterialSource =
  | { fetcher: Fetcher; overrides?: MaterialOverrides | undefined }
  | { material: ReleaseMaterial | PromiseLike<ReleaseMaterial> };

/**
 * The file's hash: done, a promise of it, or the hashing itself, given a signal that is
 * aborted when fetching the release material fails (so no one hashes gigabytes for nothing).
 */
export type HashSource = HashedFile | PromiseLike<HashedFile> | ((signal: AbortSignal) => Promise<HashedFile>);

/**
 * What the pipeline reads and writes between verifications. Today the rollback records
 * (freshness.ts); other kept trust (a refreshed signing key) goes beside them.
 */
export interface TrustStores {
  /** Rollback records: `decide` reads them, the pipeline writes the decision's updates. */
  rollback: TrustState;
}

/** Ask the reproducers about a verdict that allows it (repro/for-verdict.ts). */
export interface ReproRequest {
  fetcher: Fetcher;
  /** The person's own reproducers and threshold, or how to read them when they are needed. */
  person?: PersonReproSettings | (() => Promise<PersonReproSettings | undefined>) | undefined;
}

export interface VerifyImageInput {
  profile: Profile;
  /** The file's name as saved. */
  fileName: string;
  material: MaterialSource;
  hash: HashSource;
  store: TrustStores;
  /** The clock; read once, when deciding (signed times decide, it only explains). */
  now?: Date | (() => Date) | undefined;
  /** Cancels everything still running; the pipeline then throws `aborted`. */
  signal?: AbortSignal | undefined;
  /** Ask the reproducers (only for a verdict that allows it). Absent: they are not asked. */
  repro?: ReproRequest | undefined;
  /** The hash is known (the release data may still be on its way). */
  onHashed?: (() => void) | undefined;
}

export interface VerifyImageResult {
  verdict: Verdict;
  /** The trust updates written to `store` (only a verified verdict has any). */
  trustUpdates: readonly TrustUpdate[];
  /**
   * Present when the reproducers were asked for: their status, or undefined when the verdict
   * does not allow asking or the check could not run. Never rejects, never changes the verdict.
   */
  repro?: Promise<ReproStatus | undefined>;
}

export async function verifyImage(input: VerifyImageInput): Promise<VerifyImageResult> {
  const { profile, fileName, store, signal } = input;
  const [material, hash] = await bothOrNeither(
    signal,
    (s) => materialFrom(profile, fileName, input.material, s),
    async (s) => {
      const hashed = await hashFrom(input.hash, s);
      input.onHashed?.();
      return hashed;
    },
  );
  throwIfAborted(signal, 'verifying');
  const decision = await decide({
    profile,
    material,
    fileName,
    hash,
    trustState: store.rollback,
    now: clock(input.now),
  });
  // Aborted while deciding: nothing is recorded for a verification nobody waits for.
  throwIfAborted(signal, 'verifying');
  await recordDecision(store.rollback, decision);
  const result: VerifyImageResult = { verdict: decision.verdict, trustUpdates: decision.trustUpdates };
  if (input.repro) result.repro = askReproducers(profile, decision.verdict, input.repro, signal, input.now);
  return result;
}

/**
 * Run `a` and `b` together with a signal that is also aborted when the other one fails (or
 * the caller's `signal` aborts). Rejects with the first failure, typed.
 */
export async function bothOrNeither<A, B>(
  signal: AbortSignal | undefined,
  a: (s: AbortSignal) => Promise<A>,
  b: (s: AbortSignal) => Promise<B>,
): Promise<[A, B]> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) controller.abort(signal.reason);
  let first: IsoVerifyError | undefined;
  const fail = (error: unknown): never => {
    first ??= toIsoVerifyError(error);
    controller.abort(first);
    throw first;
  };
  try {
    const run = <T>(f: (s: AbortSignal) => Promise<T>): Promise<T> => {
      try {
        return f(controller.signal).catch(fail);
      } catch (error) {
        return Promise.reject(error).catch(fail);
      }
    };
    return await Promise.all([run(a), run(b)]);
  } catch {
    // The first failure, not the `aborted` it caused on the other side.
    throw first ?? new IsoVerifyError('internal', 'verification failed');
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

async function materialFrom(
  profile: Profile,
  fileName: string,
  source: MaterialSource,
  signal: AbortSignal,
): Promise<ReleaseMaterial> {
  if ('fetcher' in source)
    return fetchReleaseMaterial(profile, fileName, source.fetcher, { signal, overrides: source.overrides });
  return untilAborted(Promise.resolve(source.material), signal);
}

async function hashFrom(source: HashSource, signal: AbortSignal): Promise<HashedFile> {
  if (typeof source === 'function') return source(signal);
  return untilAborted(Promise.resolve(source), signal);
}

/** Wait for a promise the pipeline cannot cancel, but stop waiting when `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new IsoVerifyError('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new IsoVerifyError('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new IsoVerifyError('aborted', what);
}

function clock(now: VerifyImageInput['now']): Date {
  if (now === undefined) return new Date();
  return typeof now === 'function' ? now() : now;
}

async function askReproducers(
  profile: Profile,
  verdict: Verdict,
  request: ReproRequest,
  signal: AbortSignal | undefined,
  now: VerifyImageInput['now'],
): Promise<ReproStatus | undefined> {
  try {
    const person = typeof request.person === 'function' ? await request.person() : request.person;
    return await reproForVerdict(profile, verdict, request.fetcher, {
      signal,
      ...(now === undefined ? {} : { now: typeof now === 'function' ? now : () => now }),
      ...(person ? { person } : {}),
    });
  } catch {
    // Invalid settings or an abort: the verdict stands without a reproducer status.
    return undefined;
  }
}
