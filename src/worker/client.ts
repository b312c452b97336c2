/**
 * Page side of the hashing worker: hash a user-picked File off the main thread and get a
 * full HashResult back, continuations rebuilt from the worker's saved states.
 */
import { ERROR_CODES, IsoVerifyError, type ErrorCode } from '../core/errors.js';
import type { HashAlgorithm, HashEngine, HashProgress, HashResult } from '../core/hash/types.js';
import { restoreHashResult } from '../core/hash/restore.js';
import { wasmEngine } from '../core/hash/wasm-engine.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

/** The part of a Worker the client uses (so tests can pass a fake). */
export interface WorkerLike {
  postMessage(message: WorkerRequest): void;
  terminate(): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

export interface HashFileInWorkerOptions {
  algorithms: HashAlgorithm[];
  onProgress?: (progress: HashProgress) => void;
  signal?: AbortSignal;
  /** URL of the bundled hash-worker script. */
  workerUrl?: string | URL;
  workerType?: WorkerType;
  /** Instead of `new Worker(workerUrl)`, e.g. in tests. */
  createWorker?: () => WorkerLike;
  /** Engine that rebuilds continuations; must match the worker's (hash-wasm). */
  engine?: HashEngine;
}

let nextId = 0;

function workerError(info: { code?: unknown; detail?: unknown } | undefined): IsoVerifyError {
  const code = (ERROR_CODES as readonly unknown[]).includes(info?.code) ? (info!.code as ErrorCode) : 'internal';
  return new IsoVerifyError(code, typeof info?.detail === 'string' ? info.detail : undefined);
}

function rebuild(result: Extract<WorkerResponse, { type: 'done' }>['result'], engine: HashEngine): Promise<HashResult> {
  return restoreHashResult(result.bytes, result.states, engine);
}

export function hashFileInWorker(file: Blob, options: HashFileInWorkerOptions): Promise<HashResult> {
  const { signal, onProgress } = options;
  const engine = options.engine ?? wasmEngine;
  if (signal?.aborted) return Promise.reject(new IsoVerifyError('aborted'));
  let worker: WorkerLike;
  try {
    if (options.createWorker) worker = options.createWorker();
    else if (options.workerUrl !== undefined) worker = new Worker(options.workerUrl, { type: options.workerType ?? 'classic' });
    else throw new IsoVerifyError('internal', 'no worker URL given');
  } catch (error) {
    return Promise.reject(error instanceof IsoVerifyError ? error : new IsoVerifyError('internal', `cannot start the hashing worker: ${String(error)}`));
  }
  const id = `hash-${++nextId}`;

  return new Promise<HashResult>((resolve, reject) => {
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      worker.terminate();
      action();
    };
    // Terminating is the real cancel; the message lets the worker stop cleanly first.
    const onAbort = () => {
      try {
        worker.postMessage({ type: 'cancel', id });
      } catch {
        /* the worker is going away anyway */
      }
      finish(() => reject(new IsoVerifyError('aborted')));
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.onerror = (event) => finish(() => reject(new IsoVerifyError('internal', `hashing worker failed: ${event.message ?? 'unknown error'}`)));
    worker.onmessage = (event) => {
      const message = event.data as WorkerResponse;
      if (!message || message.id !== id || settled) return;
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'error') finish(() => reject(workerError(message.error)));
      else if (message.type === 'done') {
        finish(() => rebuild(message.result, engine).then(resolve, reject));
      }
    };
    worker.postMessage({ type: 'hash', id, file, algorithms: options.algorithms, total: file.size });
  });
}
