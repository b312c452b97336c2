/**
 * Page side of the hashing worker: hash a user-picked File (or, in Chrome's offscreen
 * document, a local file by its file: URL) off the main thread and get a full HashResult
 * back, continuations rebuilt from the workers' saved states.
 *
 * With two algorithms and two or more cores, each algorithm gets its own worker and the file is
 * read once: the SHA-512 worker reads, hashes, and hands each chunk on through this page to the
 * SHA-256 worker (a relay, src/wire/worker-protocol.ts). Both together then take about as long as the slower
 * of the two alone, instead of their sum, and the browser reads the file once instead of twice
 * (measured: npm run bench:browser, README).
 */
import { ERROR_CODES, IsoVerifyError, type ErrorCode } from '../core/errors.js';
import { normaliseAlgorithms } from '../core/hash/incremental-hash.js';
import type { HashAlgorithm, HashEngine, HashProgress, HashResult } from '../core/hash/types.js';
import { restoreHashResult } from '../core/hash/restore.js';
import { wasmEngine } from '../core/hash/wasm-engine.js';
import type {
  HashInput,
  ResumeStates,
  WorkerHashResult,
  WorkerRequest,
  WorkerResponse,
} from '../wire/worker-protocol.js';

/** The part of a Worker the client uses (so tests can pass a fake). */
export interface WorkerLike {
  postMessage(message: WorkerRequest, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

/**
 * How the algorithms are spread over workers: 'one' hashes them all in one pass in one worker;
 * 'per-algorithm' starts one worker per algorithm, each reading the file; 'relay' starts one
 * worker per algorithm (exactly two) and reads the file once, handing chunks on; 'auto'
 * (default) is 'relay' for two algorithms when the device reports at least two cores, else 'one'.
 */
export type WorkerSplit = 'auto' | 'one' | 'per-algorithm' | 'relay';

export interface HashFileInWorkerOptions {
  algorithms: HashAlgorithm[];
  onProgress?: (progress: HashProgress) => void;
  signal?: AbortSignal;
  /** URL of the bundled hash-worker script. */
  workerUrl?: string | URL;
  workerType?: WorkerType;
  /** Instead of `new Worker(workerUrl)`, e.g. in tests; called once per worker. */
  createWorker?: () => WorkerLike;
  /** Engine that rebuilds continuations; must match the worker's (hash-wasm). */
  engine?: HashEngine;
  workers?: WorkerSplit;
  /** Cores the device has, for 'auto' (default navigator.hardwareConcurrency). */
  cores?: number;
  /** Size of the input for progress and ETA (default: the File's size). */
  total?: number;
  /** Continue from saved states (a file: URL's range that starts at their offset). */
  resumeFrom?: ResumeStates;
}

let nextId = 0;

function workerError(info: { code?: unknown; detail?: unknown } | undefined): IsoVerifyError {
  const code = (ERROR_CODES as readonly unknown[]).includes(info?.code) ? (info!.code as ErrorCode) : 'internal';
  return new IsoVerifyError(code, typeof info?.detail === 'string' ? info.detail : undefined);
}

function deviceCores(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : undefined;
  return typeof cores === 'number' && cores > 0 ? cores : 1;
}

/** The algorithm groups, one per worker. */
export function workerGroups(
  algorithms: HashAlgorithm[],
  split: WorkerSplit = 'auto',
  cores: number = deviceCores(),
): HashAlgorithm[][] {
  return workerPlan(algorithms, split, cores).groups;
}

/** The groups, and whether the first worker relays the file to the second. */
export function workerPlan(
  algorithms: HashAlgorithm[],
  split: WorkerSplit = 'auto',
  cores: number = deviceCores(),
): { groups: HashAlgorithm[][]; relay: boolean } {
  const list = normaliseAlgorithms(algorithms);
  const wantsRelay = split === 'relay' || (split === 'auto' && cores >= 2);
  // The lead reads as well as hashes, so it gets the faster algorithm: SHA-512 in wasm on a
  // 64-bit machine (measured: SHA-512 leading gives 1.08× SHA-256 alone in Chromium, SHA-256 leading 0.93×).
  if (wantsRelay && list.length === 2)
    return {
      groups: [...list].sort((a, b) => (a === 'sha512' ? -1 : b === 'sha512' ? 1 : 0)).map((a) => [a]),
      relay: true,
    };
  if (split === 'relay' && list.length !== 2)
    throw new IsoVerifyError('input-invalid-value', `a relay needs two algorithms, not ${list.length}`);
  const perAlgorithm = split === 'per-algorithm' || (split === 'auto' && cores >= 2);
  return { groups: perAlgorithm ? list.map((a) => [a]) : [list], relay: false };
}

/** One progress report for all workers: the slowest one decides bytes, rate and ETA. */
function combineProgress(reports: (HashProgress | undefined)[]): HashProgress | undefined {
  if (reports.some((r) => r === undefined)) return undefined;
  const all = reports as HashProgress[];
  const slowest = all.reduce((a, b) => (b.bytes < a.bytes ? b : a));
  const combined: HashProgress = { bytes: slowest.bytes, rate: Math.min(...all.map((r) => r.rate)) };
  if (slowest.total !== undefined) combined.total = slowest.total;
  const etas = all.map((r) => r.etaSeconds).filter((e): e is number => e !== undefined);
  if (etas.length === all.length) combined.etaSeconds = Math.max(...etas);
  return combined;
}

function startWorker(options: HashFileInWorkerOptions): WorkerLike {
  if (options.createWorker) return options.createWorker();
  if (options.workerUrl !== undefined)
    return new Worker(options.workerUrl, { type: options.workerType ?? 'classic' }) as unknown as WorkerLike;
  throw new IsoVerifyError('internal', 'no worker URL given');
}

export function hashFileInWorker(file: Blob, options: HashFileInWorkerOptions): Promise<HashResult> {
  const engine = options.engine ?? wasmEngine;
  return hashInWorkers({ file }, options).then((result) => restoreHashResult(result.bytes, result.states, engine));
}

/**
 * Hash `input` in workers and return what they computed: length, digests and saved states
 * (structured-clonable, so it can travel on to another context that rebuilds the continuations).
 */
export function hashInWorkers(
  input: HashInput,
  options: Omit<HashFileInWorkerOptions, 'engine'>,
): Promise<WorkerHashResult> {
  const { signal, onProgress } = options;
  if (signal?.aborted) return Promise.reject(new IsoVerifyError('aborted'));
  let groups: HashAlgorithm[][];
  let relay: boolean;
  try {
    ({ groups, relay } = workerPlan(options.algorithms, options.workers, options.cores));
  } catch (error) {
    return Promise.reject(error);
  }
  const workers: WorkerLike[] = [];
  try {
    for (let i = 0; i < groups.length; i++) workers.push(startWorker(options));
  } catch (error) {
    for (const w of workers) w.terminate();
    return Promise.reject(
      error instanceof IsoVerifyError
        ? error
        : new IsoVerifyError('internal', `cannot start the hashing worker: ${String(error)}`),
    );
  }
  const ids = groups.map(() => `hash-${++nextId}`);

  return new Promise<WorkerHashResult>((resolve, reject) => {
    let settled = false;
    const results: (WorkerHashResult | undefined)[] = groups.map(() => undefined);
    const progress: (HashProgress | undefined)[] = groups.map(() => undefined);
    // Any end — success, error, abort, a worker dying — stops every worker: none outlives the call.
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      for (const w of workers) w.terminate();
      action();
    };
    // Terminating is the real cancel; the message lets a worker stop cleanly first.
    const onAbort = () => {
      workers.forEach((w, i) => {
        try {
          w.postMessage({ type: 'cancel', id: ids[i]! });
        } catch {
          /* the worker is going away anyway */
        }
      });
      finish(() => reject(new IsoVerifyError('aborted')));
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    const allDone = () => {
      const done = results as WorkerHashResult[];
      const bytes = done[0]!.bytes;
      // Workers hashed the same File; different lengths mean it changed underneath: fail closed.
      if (done.some((r) => r.bytes !== bytes)) {
        finish(() =>
          reject(
            new IsoVerifyError(
              'io-failed',
              `the workers read different lengths: ${done.map((r) => r.bytes).join(', ')}`,
            ),
          ),
        );
        return;
      }
      const states = Object.assign({}, ...done.map((r) => r.states)) as WorkerHashResult['states'];
      const digests = Object.assign({}, ...done.map((r) => r.digests)) as WorkerHashResult['digests'];
      finish(() => resolve({ bytes, digests, states }));
    };

    workers.forEach((worker, i) => {
      const id = ids[i]!;
      worker.onerror = (event) =>
        finish(() =>
          reject(new IsoVerifyError('internal', `hashing worker failed: ${event.message ?? 'unknown error'}`)),
        );
      worker.onmessage = (event) => {
        const message = event.data as WorkerResponse;
        if (!message || message.id !== id || settled) return;
        // A relay: the lead's chunks go on to the follower (transferred), the follower's acks back.
        if (message.type === 'relay-chunk' && relay && i === 0)
          workers[1]!.postMessage({ type: 'relay-chunk', id: ids[1]!, buffer: message.buffer }, [message.buffer]);
        else if (message.type === 'relay-end' && relay && i === 0)
          workers[1]!.postMessage({ type: 'relay-end', id: ids[1]! });
        else if (message.type === 'relay-ack' && relay && i === 1)
          workers[0]!.postMessage({ type: 'relay-ack', id: ids[0]! });
        else if (message.type === 'progress') {
          progress[i] = message.progress;
          const combined = combineProgress(progress);
          if (combined) onProgress?.(combined);
        } else if (message.type === 'error') finish(() => reject(workerError(message.error)));
        else if (message.type === 'done') {
          results[i] = message.result;
          if (results.every((r) => r !== undefined)) allDone();
        }
      };
    });
    try {
      const total = options.total ?? input.file?.size;
      const sized = {
        ...(total !== undefined ? { total } : {}),
        ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
      };
      if (relay) {
        // The follower first, so it is listening before the lead's first chunk arrives.
        workers[1]!.postMessage({ type: 'hash-relayed', id: ids[1]!, algorithms: groups[1]!, ...sized });
        workers[0]!.postMessage({ ...input, type: 'hash', id: ids[0]!, algorithms: groups[0]!, relay: true, ...sized });
      } else {
        workers.forEach((worker, i) =>
          worker.postMessage({ ...input, type: 'hash', id: ids[i]!, algorithms: groups[i]!, ...sized }),
        );
      }
    } catch (error) {
      finish(() =>
        reject(new IsoVerifyError('internal', `cannot send the file to the hashing worker: ${String(error)}`)),
      );
    }
  });
}
