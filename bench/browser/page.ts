/**
 * The browser bench page: hashes the File set on <input id="file"> with one case at a time,
 * driven by bench/browser-bench.ts through `window.isoVerifyBench.run(spec)`.
 */
import type { HashAlgorithm } from '../../src/core/hash/types.js';
import { hashFileInWorker, type HashFileInWorkerOptions } from '../../src/worker/client.js';
import type { RawAlgorithm, RawReader, RawRequest, RawResponse, RelayMessage, RelayRequest } from './protocol.js';

export type CaseSpec =
  /** hash-wasm directly in one worker. */
  | { kind: 'raw'; reader: RawReader; algorithms: RawAlgorithm[]; limit?: number }
  /** hash-wasm directly, SHA-256 and SHA-512 each in its own worker, both reading the file. */
  | { kind: 'raw-parallel'; reader: RawReader }
  /** hash-wasm directly, two workers, the file read once: the reader hands each chunk on to the follower. */
  | { kind: 'raw-relay'; reader: RawReader; readerAlgorithm: RawAlgorithm; via: 'port' | 'page' }
  | { kind: 'forge'; limit: number }
  /** The project's path: src/worker/client.ts with the bundled src/worker/hash-worker.ts. */
  | { kind: 'project'; algorithms: HashAlgorithm[]; workers?: HashFileInWorkerOptions['workers'] };

export interface CaseResult {
  ms: number;
  bytes: number;
  digests: Partial<Record<RawAlgorithm, string>>;
  progressReports?: number;
}

function theFile(): File {
  const input = document.getElementById('file') as HTMLInputElement;
  const file = input.files?.[0];
  if (!file) throw new Error('no file set on #file');
  return file;
}

function rawInWorker(
  request: RawRequest | RelayRequest,
  transfer: Transferable[] = [],
  worker = new Worker('raw-worker.js'),
  onRelay?: (m: RelayMessage) => void,
): Promise<Extract<RawResponse, { ok: true }>> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<RawResponse | RelayMessage>) => {
      if ('relay' in event.data) {
        onRelay?.(event.data);
        return;
      }
      worker.terminate();
      if (event.data.ok) resolve(event.data);
      else reject(new Error(event.data.error));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`raw worker failed: ${event.message}`));
    };
    worker.postMessage(request, transfer);
  });
}

async function run(spec: CaseSpec): Promise<CaseResult> {
  const file = theFile();
  const started = performance.now();
  switch (spec.kind) {
    case 'raw': {
      const r = await rawInWorker({
        file,
        reader: spec.reader,
        impl: { kind: 'hash-wasm', algorithms: spec.algorithms },
        limit: spec.limit,
      });
      return { ms: performance.now() - started, bytes: r.bytes, digests: r.digests };
    }
    case 'raw-parallel': {
      const [a, b] = await Promise.all(
        (['sha256', 'sha512'] as const).map((algorithm) =>
          rawInWorker({ file, reader: spec.reader, impl: { kind: 'hash-wasm', algorithms: [algorithm] } }),
        ),
      );
      return {
        ms: performance.now() - started,
        bytes: Math.min(a!.bytes, b!.bytes),
        digests: { ...a!.digests, ...b!.digests },
      };
    }
    case 'raw-relay': {
      const other: RawAlgorithm = spec.readerAlgorithm === 'sha256' ? 'sha512' : 'sha256';
      let a: Extract<RawResponse, { ok: true }>;
      let b: Extract<RawResponse, { ok: true }>;
      if (spec.via === 'port') {
        const channel = new MessageChannel();
        [a, b] = await Promise.all([
          rawInWorker(
            { role: 'reader', file, reader: spec.reader, algorithm: spec.readerAlgorithm, port: channel.port1 },
            [channel.port1],
          ),
          rawInWorker({ role: 'follower', algorithm: other, port: channel.port2 }, [channel.port2]),
        ]);
      } else {
        // The page forwards chunks reader → follower and acks back, transferring, never copying.
        const readerWorker = new Worker('raw-worker.js');
        const followerWorker = new Worker('raw-worker.js');
        const forward = (to: Worker) => (m: RelayMessage) =>
          m.relay === 'chunk' ? to.postMessage(m, [m.buffer]) : to.postMessage(m);
        [a, b] = await Promise.all([
          rawInWorker(
            { role: 'reader', file, reader: spec.reader, algorithm: spec.readerAlgorithm },
            [],
            readerWorker,
            forward(followerWorker),
          ),
          rawInWorker({ role: 'follower', algorithm: other }, [], followerWorker, forward(readerWorker)),
        ]);
      }
      return {
        ms: performance.now() - started,
        bytes: Math.min(a.bytes, b.bytes),
        digests: { ...a.digests, ...b.digests },
      };
    }
    case 'forge': {
      const r = await rawInWorker({ file, reader: { kind: 'stream' }, impl: { kind: 'forge' }, limit: spec.limit });
      return { ms: performance.now() - started, bytes: r.bytes, digests: r.digests };
    }
    case 'project': {
      let progressReports = 0;
      const r = await hashFileInWorker(file, {
        algorithms: spec.algorithms,
        workerUrl: 'hash-worker.js',
        ...(spec.workers ? { workers: spec.workers } : {}),
        onProgress: () => progressReports++,
      });
      return { ms: performance.now() - started, bytes: r.bytes, digests: r.digests, progressReports };
    }
  }
}

(globalThis as unknown as { isoVerifyBench: unknown }).isoVerifyBench = {
  run,
  cores: navigator.hardwareConcurrency,
  userAgent: navigator.userAgent,
};
