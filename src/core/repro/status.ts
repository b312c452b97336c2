/**
 * Reproducibility status of one release file, asked of every pinned rebuilder in parallel.
 *
 * STABLE API (used by the CLI `iso-verify repro` and the UI):
 *
 *   checkReproducibility({
 *     rebuilders,      // RebuilderConfig[] from the profile (each with its pinned PEM key):
 *                      //   rebuilderd instances, or static reproducers (kind "static")
 *     personReproducers?, // static reproducers the person added (results labelled source "person")
 *     threshold,       // integer ≥ 1: distinct pinned keys that must reproduce the file
 *     fileName,        // e.g. "tails-amd64-6.0.img": the rebuilderd binary-package name
 *     product?, version?, // the release, for static reproducers' link paths and the link's own claim
 *     releaseSha256,   // sha256 from the SIGNED release data (lowercase or uppercase hex)
 *     releaseHashSigned?, // default true; false: releaseSha256 is UNSIGNED (a bare name in
 *                      //   image-signature mode): a link naming other bytes is 'unconfirmed', never 'mismatch'
 *     fileSha256?,     // sha256 of the user's file, when it was hashed
 *     fetcher,         // core Fetcher; every request is capped (LIMITS.rebuilderApi / .attestation)
 *     signal?,         // aborting rejects with IsoVerifyError('aborted')
 *     now?,            // clock for `checkedAt` (default: () => new Date())
 *     timeoutMs?,      // budget per rebuilder for all its requests (default 20 s)
 *   }) → Promise<ReproStatus>
 *
 * It never rejects because of a rebuilder: each one ends in exactly one RebuilderState —
 *   reproduced       signed by the pinned key; products[fileName].sha256 equals releaseSha256
 *                    and, when given, fileSha256
 *   mismatch         signed by the pinned key, but naming different bytes (than a signed release hash)
 *   unconfirmed      signed by the pinned key, naming other bytes than an UNSIGNED release hash:
 *                    no signature says which is right, so it is no alarm
 *   failed           the rebuilder reports the rebuild as BAD
 *   pending          known to the rebuilder, not rebuilt yet (status UNKWN or null)
 *   unknown          the rebuilder has no record of this file (a static reproducer: 404/410)
 *   unreachable      network or HTTP error, timeout, oversized or unparseable API response
 *   bad-attestation  GOOD, but the attestation is missing, malformed, unsigned by the pinned key,
 *                    badly signed, does not name the file, or names another product or
 *                    version; also an invalid pinned key
 * `reproducedBy` counts DISTINCT pinned keys in state `reproduced` (one key configured twice
 * counts once, also across the profile's and the person's lists). `distinctKeys` counts the
 * distinct valid keys configured; `enoughReproducers` is false when the threshold is above it
 * (then the threshold cannot be met, which is not a failure of anyone). `met` is true when
 * reproducedBy ≥ threshold and no pinned rebuilder reported a mismatch. It rejects only for
 * invalid arguments (`input-invalid-value`) or abort (`aborted`).
 *
 * This is a separate signal: nothing here reads or changes the image Verdict.
 */
import { IsoVerifyError, isIsoVerifyError, toIsoVerifyError } from '../errors.js';
import type { Fetcher } from '../net/types.js';
import type { RebuilderConfig } from '../profile.js';
import { verifyAttestation } from './attestation.js';
import { importRebuilderKey, type RebuilderKey } from './keys.js';
import type { PersonReproducer } from './person.js';
import {
  buildLogUrl,
  fetchAttestation,
  fetchBuildDate,
  findLatestRecord,
  normaliseBaseUrl,
  type RebuilderdRequest,
} from './rebuilderd.js';
import { fetchStaticLink, staticLinkUrl } from './static-reproducer.js';
import type { RebuilderResult, RebuilderSource, ReproStatus } from './types.js';

export interface ReproCheckOptions {
  rebuilders: RebuilderConfig[];
  personReproducers?: PersonReproducer[];
  threshold: number;
  /** Where the threshold comes from (shown to the person); default 'profile'. */
  thresholdSource?: RebuilderSource;
  fileName: string;
  product?: string | undefined;
  version?: string | undefined;
  releaseSha256: string;
  /** False when releaseSha256 is not vouched for by a signature (default true). */
  releaseHashSigned?: boolean;
  fileSha256?: string | undefined;
  fetcher: Fetcher;
  signal?: AbortSignal | undefined;
  now?: (() => Date) | undefined;
  timeoutMs?: number;
}

export const DEFAULT_REBUILDER_TIMEOUT_MS = 20_000;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** A failure as the result's reason: the typed error for the surfaces, its English for the CLI. */
function failure(error: unknown): Pick<RebuilderResult, 'reason' | 'error' | 'detail'> {
  const e = toIsoVerifyError(error);
  const english = e.detail ? `${e.code}: ${e.detail}` : e.code;
  return {
    reason: 'error',
    error: e.detail === undefined ? { code: e.code } : { code: e.code, detail: e.detail },
    detail: english,
  };
}

/**
 * An AbortSignal that fires on the caller's abort or after `ms`, plus a promise that rejects
 * then, so a Fetcher that ignores its signal still cannot hold a rebuilder past its budget.
 */
function deadline(ms: number, parent?: AbortSignal): { signal: AbortSignal; expired: Promise<never>; dispose(): void } {
  const controller = new AbortController();
  let reject!: (reason: unknown) => void;
  const expired = new Promise<never>((_, r) => (reject = r));
  expired.catch(() => undefined); // observed via race; avoid unhandled-rejection noise
  const fire = (error: IsoVerifyError): void => {
    if (controller.signal.aborted) return;
    controller.abort(error);
    reject(error);
  };
  const timer = setTimeout(() => fire(new IsoVerifyError('fetch-timeout', `no answer within ${ms} ms`)), ms);
  const onParentAbort = (): void => fire(new IsoVerifyError('aborted', 'cancelled'));
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    expired,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

interface OneCheck {
  config: RebuilderConfig;
  source: RebuilderSource;
  fileName: string;
  product: string | undefined;
  version: string | undefined;
  releaseSha256: string;
  releaseHashSigned: boolean;
  fileSha256: string | undefined;
  fetcher: Fetcher;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

/** Compare a verified link's digest with the signed release hash and the user's file. */
function judge(check: OneCheck, result: RebuilderResult, products: Map<string, { sha256?: string }>): RebuilderResult {
  const attestedSha256 = products.get(check.fileName)?.sha256;
  if (attestedSha256 === undefined) {
    return {
      ...result,
      state: 'bad-attestation',
      reason: 'no-sha256',
      detail: `the attestation names no sha256 for ${check.fileName}`,
    };
  }
  const matchesRelease = attestedSha256 === check.releaseSha256;
  const matchesFile = check.fileSha256 === undefined || attestedSha256 === check.fileSha256;
  if (matchesRelease && matchesFile) return { ...result, state: 'reproduced', attestedSha256 };
  // Other bytes than an unsigned hash prove nothing: the unsigned description may be the liar (#20).
  if (!matchesRelease && !check.releaseHashSigned) {
    return {
      ...result,
      state: 'unconfirmed',
      attestedSha256,
      reason: 'differs-from-unsigned',
      detail: 'the rebuilt file differs from the UNSIGNED release hash: no signature says which is right',
    };
  }
  const reason = !matchesRelease ? 'differs-from-release' : 'differs-from-file';
  const detail = !matchesRelease
    ? 'the rebuilt file differs from the signed release'
    : 'the rebuilt file differs from your file';
  return { ...result, state: 'mismatch', attestedSha256, reason, detail };
}

type Bounded = <T>(work: Promise<T>) => Promise<T>;

async function checkRebuilderd(
  check: OneCheck,
  config: Extract<RebuilderConfig, { distribution: string }>,
  base: RebuilderResult,
  key: RebuilderKey,
  baseUrl: string,
  request: RebuilderdRequest,
  bounded: Bounded,
): Promise<RebuilderResult> {
  let record;
  try {
    record = await bounded(
      findLatestRecord(
        baseUrl,
        { name: check.fileName, distribution: config.distribution, architecture: config.architecture },
        request,
      ),
    );
  } catch (e) {
    return { ...base, state: 'unreachable', ...failure(e) };
  }
  if (record === null)
    return { ...base, state: 'unknown', reason: 'no-record', detail: 'the rebuilder has no record of this file' };
  if (record.status === null || record.status === 'UNKWN' || record.buildId === null) {
    return { ...base, state: 'pending', reason: 'not-rebuilt-yet', detail: 'not rebuilt yet' };
  }
  const withBuild: RebuilderResult = { ...base, buildLogUrl: buildLogUrl(baseUrl, record.buildId) };
  // The build date is decoration: its absence must not change the state.
  const datePromise = bounded(fetchBuildDate(baseUrl, record.buildId, request)).catch(() => null);
  const addDate = async (result: RebuilderResult): Promise<RebuilderResult> => {
    const date = await datePromise;
    return date ? { ...result, date } : result;
  };

  if (record.status === 'BAD')
    return addDate({
      ...withBuild,
      state: 'failed',
      reason: 'rebuild-failed',
      detail: 'the rebuild did not produce the same bytes or did not finish',
    });
  if (record.artifactId === null || record.attestationLogId === null) {
    return addDate({
      ...withBuild,
      state: 'bad-attestation',
      reason: 'no-attestation',
      detail: 'the rebuilder published no attestation',
    });
  }

  let linkBytes: Uint8Array;
  try {
    linkBytes = await bounded(fetchAttestation(baseUrl, record.buildId, record.artifactId, request));
  } catch (e) {
    return addDate({ ...withBuild, state: 'unreachable', ...failure(e) });
  }
  let products;
  try {
    products = (await verifyAttestation(linkBytes, key)).products;
  } catch (e) {
    return addDate({ ...withBuild, state: 'bad-attestation', ...failure(e) });
  }
  return addDate(judge(check, withBuild, products));
}

/** A static reproducer: one link at a fixed path, which must name this release where it names one. */
async function checkStatic(
  check: OneCheck,
  base: RebuilderResult,
  key: RebuilderKey,
  baseUrl: string,
  request: RebuilderdRequest,
  bounded: Bounded,
): Promise<RebuilderResult> {
  if (check.product === undefined || check.version === undefined) {
    return {
      ...base,
      state: 'unknown',
      reason: 'version-unknown',
      detail: 'the release version is not known, so its attestation cannot be looked up',
    };
  }
  let url: string;
  try {
    url = staticLinkUrl(baseUrl, { product: check.product, version: check.version, fileName: check.fileName });
  } catch (e) {
    return { ...base, state: 'unknown', ...failure(e) };
  }
  const withUrl: RebuilderResult = { ...base, attestationUrl: url };
  let linkBytes: Uint8Array | null;
  try {
    linkBytes = await bounded(fetchStaticLink(url, request));
  } catch (e) {
    return { ...withUrl, state: 'unreachable', ...failure(e) };
  }
  if (linkBytes === null)
    return {
      ...withUrl,
      state: 'unknown',
      reason: 'no-link',
      detail: 'the reproducer has published no attestation for this file',
    };
  let verified;
  try {
    verified = await verifyAttestation(linkBytes, key);
  } catch (e) {
    return { ...withUrl, state: 'bad-attestation', ...failure(e) };
  }
  const { product, version } = verified.release;
  if ((product !== undefined && product !== check.product) || (version !== undefined && version !== check.version)) {
    return {
      ...withUrl,
      state: 'bad-attestation',
      reason: 'other-release',
      attestedRelease: { ...(product !== undefined ? { product } : {}), ...(version !== undefined ? { version } : {}) },
      detail: `the attestation is for ${product ?? check.product} ${version ?? check.version}, not ${check.product} ${check.version}`,
    };
  }
  return judge(check, withUrl, verified.products);
}

async function checkOne(check: OneCheck): Promise<RebuilderResult> {
  const { config } = check;
  const kind = config.kind === 'static' ? 'static' : 'rebuilderd';
  const base: RebuilderResult = {
    name: config.name,
    baseUrl: config.baseUrl,
    kind,
    source: check.source,
    state: 'unknown',
    keyId: '',
  };

  let key: RebuilderKey;
  let baseUrl: string;
  try {
    key = await importRebuilderKey(config.publicKeyPem);
  } catch (e) {
    return { ...base, state: 'bad-attestation', ...failure(e) };
  }
  base.keyId = key.keyId;
  try {
    baseUrl = normaliseBaseUrl(config.baseUrl);
  } catch (e) {
    return { ...base, state: 'unreachable', ...failure(e) };
  }

  const limit = deadline(check.timeoutMs, check.signal);
  const request: RebuilderdRequest = { fetcher: check.fetcher, timeoutMs: check.timeoutMs, signal: limit.signal };
  const bounded: Bounded = (work) => Promise.race([work, limit.expired]);
  try {
    return config.kind === 'static'
      ? await checkStatic(check, base, key, baseUrl, request, bounded)
      : await checkRebuilderd(check, config, base, key, baseUrl, request, bounded);
  } finally {
    limit.dispose();
  }
}

/** Ask every configured rebuilder about one release file. See the API block above. */
export async function checkReproducibility(options: ReproCheckOptions): Promise<ReproStatus> {
  const { rebuilders, threshold, fileName, fetcher, signal } = options;
  if (!Array.isArray(rebuilders)) throw new IsoVerifyError('input-invalid-value', 'rebuilders must be an array');
  if (!Number.isInteger(threshold) || threshold < 1)
    throw new IsoVerifyError('input-invalid-value', `threshold must be an integer ≥ 1, got ${threshold}`);
  if (typeof fileName !== 'string' || fileName === '' || /[/\\]/.test(fileName)) {
    throw new IsoVerifyError('input-invalid-value', `not a file name: ${String(fileName)}`);
  }
  if (typeof options.releaseSha256 !== 'string' || !SHA256_HEX.test(options.releaseSha256)) {
    throw new IsoVerifyError('input-invalid-value', 'releaseSha256 is not a sha256 hex digest');
  }
  if (
    options.fileSha256 !== undefined &&
    (typeof options.fileSha256 !== 'string' || !SHA256_HEX.test(options.fileSha256))
  ) {
    throw new IsoVerifyError('input-invalid-value', 'fileSha256 is not a sha256 hex digest');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_REBUILDER_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new IsoVerifyError('input-invalid-value', 'timeoutMs must be positive');
  if (signal?.aborted) throw new IsoVerifyError('aborted', 'cancelled before the check started');

  const personReproducers = options.personReproducers ?? [];
  if (!Array.isArray(personReproducers))
    throw new IsoVerifyError('input-invalid-value', 'personReproducers must be an array');
  // The person's entries are always static reproducers, and stay labelled as theirs.
  const configured: { config: RebuilderConfig; source: RebuilderSource }[] = [
    ...rebuilders.map((config) => ({ config, source: 'profile' as const })),
    ...personReproducers.map((p) => ({ config: { kind: 'static' as const, ...p }, source: 'person' as const })),
  ];
  const results = await Promise.all(
    configured.map(({ config, source }) =>
      checkOne({
        config,
        source,
        fileName,
        product: options.product,
        version: options.version,
        releaseSha256: options.releaseSha256.toLowerCase(),
        releaseHashSigned: options.releaseHashSigned !== false,
        fileSha256: options.fileSha256?.toLowerCase(),
        fetcher,
        timeoutMs,
        signal,
      }).catch((e: unknown): RebuilderResult => {
        // checkOne maps every expected failure; anything else still must not sink the others.
        const error = isIsoVerifyError(e) ? e : toIsoVerifyError(e);
        const kind = config.kind === 'static' ? 'static' : 'rebuilderd';
        return {
          name: config.name,
          baseUrl: config.baseUrl,
          kind,
          source,
          state: 'unreachable',
          keyId: '',
          ...failure(error),
        };
      }),
    ),
  );
  if (signal?.aborted) throw new IsoVerifyError('aborted', 'cancelled');

  const reproducingKeys = new Set(results.filter((r) => r.state === 'reproduced').map((r) => r.keyId));
  const distinctKeys = new Set(results.filter((r) => r.keyId !== '').map((r) => r.keyId)).size;
  const anyMismatch = results.some((r) => r.state === 'mismatch');
  return {
    fileName,
    threshold,
    thresholdSource: options.thresholdSource ?? 'profile',
    reproducedBy: reproducingKeys.size,
    distinctKeys,
    enoughReproducers: distinctKeys >= threshold,
    anyMismatch,
    met: reproducingKeys.size >= threshold && !anyMismatch,
    rebuilders: results,
    checkedAt: (options.now ?? (() => new Date()))().toISOString(),
  };
}
