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
import { iterateSource, type ByteSource } from '../core/hash/source.js';
import { rechunk } from '../core/hash/rechunk.js';
import type {
  HashRequest,
  RelayedHashRequest,
  ResumeStates,
  WorkerHashResult,
  WorkerResponse,
} from '../wire/worker-protocol.js';
import { READ_CHUNK_BYTES } from './blob-reader.js';
import { AckGate, handOn, RelayInbox } from './relay.js';

/** Post to the page; `transfer` moves a relay chunk's buffer instead of copying it. */
export type PostResponse = (message: WorkerResponse, transfer?: Transferable[]) => void;

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

export function createHashWorkerHandler(
  post: PostResponse,
  engine: HashEngine = wasmEngine,
  options: HashWorkerHandlerOptions = {},
): HashWorkerHandler {
  async function open(request: HashRequest, signal: AbortSignal): Promise<{ chunks: ByteSource }> {
    if (isBlob(request.file)) return { chunks: breathing(readBlobInSlices(request.file, { signal })) };
    if (isFileUrl(request.url)) {
      // A fetched body arrives through I/O tasks, so a 'cancel' message gets through without breathing().
      return {
        chunks: await openFileUrl(request.url, {
          signal,
          range: request.range,
          ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
        }),
      };
    }
    throw new IsoVerifyError('input-wrong-type', 'neither a File or Blob nor a file: URL to hash');
  }

  const running = new Map<string, AbortController>();
  /** Relays in flight by request id: the lead's gate, the follower's inbox. */
  const gates = new Map<string, AckGate>();
  const inboxes = new Map<string, RelayInbox>();

  /** Run one hash under `id`, answering done or error; `source` opens the bytes once it runs. */
  async function run(
    id: string,
    algorithms: HashAlgorithm[],
    total: number | undefined,
    source: (signal: AbortSignal) => Promise<ByteSource>,
    resumeFrom: ResumeStates | undefined,
    controller = new AbortController(),
  ): Promise<void> {
    if (running.has(id)) {
      post({ type: 'error', id, error: { code: 'input-invalid-value', detail: `request ${id} is already running` } });
      return;
    }
    running.set(id, controller);
    try {
      const result = await hashStream(await source(controller.signal), {
        algorithms,
        engine,
        // Only this request's algorithms: a relay's other worker holds the other state.
        ...(resumeFrom
          ? {
              resumeFrom: {
                engine: engine.name,
                offset: resumeFrom.offset,
                states: pick(resumeFrom.states, algorithms),
              },
            }
          : {}),
        signal: controller.signal,
        total,
        onProgress: (progress) => post({ type: 'progress', id, progress }),
      });
      const states: WorkerHashResult['states'] = {};
      for (const [algorithm, continuation] of Object.entries(result.continuations) as [
        HashAlgorithm,
        typeof result.continuations.sha256,
      ][]) {
        if (!continuation?.saveState) throw new IsoVerifyError('internal', `engine ${engine.name} cannot save states`);
        states[algorithm] = toBase64(continuation.saveState());
      }
      post({ type: 'done', id, result: { bytes: result.bytes, digests: result.digests, states } });
    } catch (error) {
      post({ type: 'error', id, error: errorInfo(error) });
    } finally {
      running.delete(id);
      gates.delete(id);
      inboxes.delete(id);
    }
  }

  function hash(id: string, request: HashRequest): Promise<void> {
    const total =
      typeof request.total === 'number' ? request.total : isBlob(request.file) ? request.file.size : undefined;
    const resumeFrom = resumeOf(request);
    if (resumeFrom instanceof IsoVerifyError) {
      post({ type: 'error', id, error: errorInfo(resumeFrom) });
      return Promise.resolve();
    }
    return run(
      id,
      request.algorithms,
      total,
      async (signal) => {
        const { chunks } = await open(request, signal);
        if (request.relay !== true) return chunks;
        // Hand on whole read slices; a fetched body's small chunks are gathered into slices first.
        const slices = isBlob(request.file)
          ? (chunks as AsyncIterable<Uint8Array>)
          : rechunk(iterateSource(chunks, signal), { blockSize: READ_CHUNK_BYTES });
        const gate = new AckGate(signal);
        gates.set(id, gate);
        return handOn(
          slices,
          gate,
          (buffer) => post({ type: 'relay-chunk', id, buffer }, [buffer]),
          () => post({ type: 'relay-end', id }),
        );
      },
      resumeFrom,
    );
  }

  function hashRelayed(id: string, request: RelayedHashRequest): Promise<void> {
    const controller = new AbortController();
    if (!running.has(id)) inboxes.set(id, new RelayInbox(() => post({ type: 'relay-ack', id }), controller.signal));
    const inbox = inboxes.get(id);
    const total = typeof request.total === 'number' ? request.total : undefined;
    const resumeFrom = request.resumeFrom;
    return run(id, request.algorithms, total, async () => inbox!.chunks(), resumeFrom, controller);
  }

  /** A request's resume states: only with a range of a file: URL that starts where they end. */
  function resumeOf(request: HashRequest): ResumeStates | undefined | IsoVerifyError {
    const { resumeFrom, range } = request;
    if (resumeFrom === undefined)
      return range && range.start !== 0
        ? new IsoVerifyError('input-invalid-value', 'a range after byte 0 needs the states of the bytes before it')
        : undefined;
    if (!range || range.start !== resumeFrom.offset)
      return new IsoVerifyError('input-invalid-value', 'resume states must end where the range starts');
    return resumeFrom;
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
      if (type === 'hash-relayed') {
        await hashRelayed(id, message as RelayedHashRequest);
        return;
      }
      if (type === 'relay-ack') {
        gates.get(id)?.ack();
        return;
      }
      if (type === 'relay-chunk' || type === 'relay-end') {
        const inbox = inboxes.get(id);
        const buffer = (message as { buffer?: unknown }).buffer;
        if (type === 'relay-end') inbox?.end();
        else if (buffer instanceof ArrayBuffer) inbox?.push(buffer);
        else inbox?.fail(new IsoVerifyError('input-wrong-type', 'a relayed chunk is not an ArrayBuffer'));
        return;
      }
      post({
        type: 'error',
        id,
        error: { code: 'input-invalid-value', detail: `unknown message type ${String(type)}` },
      });
    },
  };
}

function pick(
  states: Partial<Record<HashAlgorithm, string>>,
  algorithms: readonly HashAlgorithm[],
): Partial<Record<HashAlgorithm, string>> {
  return Object.fromEntries(algorithms.filter((a) => states[a] !== undefined).map((a) => [a, states[a]]));
}
