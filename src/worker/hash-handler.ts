/**
 * The hashing worker's logic, separate from the `self.onmessage` wiring so it can be tested in
 * Node with a Blob. Reads a File in large slices (blob-reader.ts), or a local file through its
 * file: URL (file-url-reader.ts), through hashStream: constant memory, whatever its size.
 */
import { toBase64 } from '../core/bytes.js';
import { errorInfo, IsoVerifyError } from '../core/errors.js';
import { hashStream } from '../core/hash/stream-hash.js';
import type { HashAlgorithm, HashEngine } from '../core/hash/types.js';
import { wasmEngine } from '../core/hash/wasm-engine.js';
import { readBlobInSlices } from './blob-reader.js';
import { breathing } from './breathing.js';
import { isFileUrl, openFileUrl } from './file-url-reader.js';
import type { ByteSource } from '../core/hash/source.js';
import type { HashRequest, WorkerHashResult, WorkerResponse } from './protocol.js';

export type PostResponse = (message: WorkerResponse) => void;

export interface HashWorkerHandler {
  /** Handle one incoming message; resolves when a hash request has been answered. */
  handle(message: unknown): Promise<void>;
}

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== 'undefined' && value instanceof Blob;
}

/** Ids are echoed back, so accept only a short string (an untrusted page may talk to us). */
function requestId(message: unknown): string | undefined {
  const id = (message as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : undefined;
}

export interface HashWorkerHandlerOptions {
  /** How a file: URL is fetched (tests; the worker's own fetch by default). */
  fetchImpl?: typeof fetch;
}

export function createHashWorkerHandler(post: PostResponse, engine: HashEngine = wasmEngine, options: HashWorkerHandlerOptions = {}): HashWorkerHandler {
  async function open(request: HashRequest, signal: AbortSignal): Promise<{ chunks: ByteSource; total: number | undefined }> {
    const total = typeof request.total === 'number' ? request.total : undefined;
    if (isBlob(request.file)) return { chunks: breathing(readBlobInSlices(request.file, { signal })), total: total ?? request.file.size };
    if (isFileUrl(request.url)) {
      // A fetched body arrives through I/O tasks, so a 'cancel' message gets through without breathing().
      return { chunks: await openFileUrl(request.url, { signal, ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}) }), total };
    }
    throw new IsoVerifyError('input-wrong-type', 'neither a File or Blob nor a file: URL to hash');
  }

  const running = new Map<string, AbortController>();

  async function hash(id: string, request: HashRequest): Promise<void> {
    if (running.has(id)) {
      post({ type: 'error', id, error: { code: 'input-invalid-value', detail: `request ${id} is already running` } });
      return;
    }
    const controller = new AbortController();
    running.set(id, controller);
    try {
      const { chunks, total } = await open(request, controller.signal);
      const result = await hashStream(chunks, {
        algorithms: request.algorithms,
        engine,
        signal: controller.signal,
        total,
        onProgress: (progress) => post({ type: 'progress', id, progress }),
      });
      const states: WorkerHashResult['states'] = {};
      for (const [algorithm, continuation] of Object.entries(result.continuations) as [HashAlgorithm, typeof result.continuations.sha256][]) {
        if (!continuation?.saveState) throw new IsoVerifyError('internal', `engine ${engine.name} cannot save states`);
        states[algorithm] = toBase64(continuation.saveState());
      }
      post({ type: 'done', id, result: { bytes: result.bytes, digests: result.digests, states } });
    } catch (error) {
      post({ type: 'error', id, error: errorInfo(error) });
    } finally {
      running.delete(id);
    }
  }

  return {
    async handle(message: unknown): Promise<void> {
      const type = (message as { type?: unknown } | null)?.type;
      const id = requestId(message);
      if (id === undefined) return; // nothing to answer to
      if (type === 'cancel') {
        running.get(id)?.abort(new IsoVerifyError('aborted', 'cancelled by the page'));
        return;
      }
      if (type === 'hash') {
        await hash(id, message as HashRequest);
        return;
      }
      post({ type: 'error', id, error: { code: 'input-invalid-value', detail: `unknown message type ${String(type)}` } });
    },
  };
}
