/**
 * SHA-256 and SHA-512 of one stream on two cores: SHA-256 in this thread, SHA-512 in a worker
 * thread, both Node's native crypto, over the same shared memory (no copy). One thread doing
 * both is about 0.65x of `dd | sha512sum` (two processes); split, the slower hash sets the pace.
 *
 * The core needs `continuations` (hashers it can clone and finish with an OpenPGP trailer) and
 * calls them synchronously, so the worker's hashers are reached through a synchronous call:
 * the main thread posts the command and blocks on Atomics.wait until the worker answers. Only
 * a few such calls happen per verification (clone, digest of short trailers); the bulk
 * updates are asynchronous and the caller learns by `whenFree(slot)` when a buffer slot may be
 * overwritten.
 *
 * The worker's code is inline (eval) so the single-file CLI bundle keeps working.
 */
import { NativeHasher } from './native-engine.js';
import { createHash, type Hash } from 'node:crypto';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { IsoVerifyError } from '../core/errors.js';
import type { HashAlgorithm, HashResult, Hasher } from '../core/hash/types.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const data = new Uint8Array(workerData.data);
const reply = new Int32Array(workerData.reply);
const replyBytes = new Uint8Array(workerData.reply, 8);
const hashes = new Map();
function answer(status, bytes) {
  if (bytes) replyBytes.set(bytes);
  Atomics.store(reply, 1, bytes ? bytes.length : 0);
  Atomics.store(reply, 0, status);
  Atomics.notify(reply, 0);
}
parentPort.on('message', (m) => {
  try {
    switch (m.op) {
      case 'create': hashes.set(m.id, createHash(m.algorithm)); break;
      case 'update': hashes.get(m.id).update(data.subarray(m.offset, m.offset + m.length)); parentPort.postMessage({ free: m.slot }); break;
      case 'clone': hashes.set(m.to, hashes.get(m.id).copy()); break;
      case 'drop': hashes.delete(m.id); break;
      case 'sync-update': hashes.get(m.id).update(m.bytes); answer(1); break;
      case 'sync-clone': hashes.set(m.to, hashes.get(m.id).copy()); answer(1); break;
      case 'sync-digest': { const d = hashes.get(m.id).digest(); hashes.delete(m.id); answer(1, d); break; }
    }
  } catch (error) {
    if (m.op.startsWith('sync-')) answer(2);
    else parentPort.postMessage({ error: String(error && error.message || error) });
  }
});
`;

const NODE_NAMES: Record<HashAlgorithm, string> = { sha256: 'sha256', sha512: 'sha512' };
const SYNC_TIMEOUT_MS = 60_000;

/** A place in the stream where the caller wants the hashes as they are there. */
export type SplitSnapshot = Pick<HashResult, 'digests' | 'continuations'>;

interface WorkerLink {
  worker: Worker;
  reply: Int32Array;
  replyBytes: Uint8Array;
  nextId: number;
  failure?: Error;
  call(message: Record<string, unknown>): Uint8Array;
}

/** A hasher living in the worker, driven synchronously (Atomics.wait) from this thread. */
class RemoteHasher implements Hasher {
  private finished = false;
  constructor(
    private readonly link: WorkerLink,
    private readonly id: number,
  ) {}
  update(chunk: Uint8Array): void {
    if (this.finished) throw new IsoVerifyError('internal', 'hasher used after digest()');
    this.link.call({ op: 'sync-update', id: this.id, bytes: chunk.slice() });
  }
  digest(): Uint8Array {
    if (this.finished) throw new IsoVerifyError('internal', 'hasher used after digest()');
    this.finished = true;
    return this.link.call({ op: 'sync-digest', id: this.id });
  }
  clone(): Hasher {
    if (this.finished) throw new IsoVerifyError('internal', 'hasher used after digest()');
    const to = this.link.nextId++;
    this.link.call({ op: 'sync-clone', id: this.id, to });
    return new RemoteHasher(this.link, to);
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

export interface SplitHashOptions {
  algorithms: HashAlgorithm[];
  /** The shared memory every update points into (the reader's buffers). */
  data: SharedArrayBuffer;
  /** Force one thread (tests, or one core). Default: a worker when the machine has two cores or more. */
  singleThread?: boolean | undefined;
}

/**
 * Hash a stream whose chunks live in `data`: update(slot, offset, length) per chunk, then
 * snapshot() where the caller wants results, close() at the end (always).
 */
export class SplitHash {
  private readonly local = new Map<HashAlgorithm, Hash>();
  private readonly remote = new Map<HashAlgorithm, number>();
  private readonly link: WorkerLink | undefined;
  private readonly view: Uint8Array;
  private readonly pending = new Map<number, { count: number; waiters: Array<() => void> }>();
  private failed: ((error: Error) => void)[] = [];

  constructor(options: SplitHashOptions) {
    this.view = new Uint8Array(options.data);
    const parallel = options.singleThread !== true && os.availableParallelism() >= 2 && options.algorithms.length > 1;
    const offloaded: HashAlgorithm[] = parallel ? options.algorithms.filter((a) => a === 'sha512') : [];
    if (offloaded.length > 0) this.link = this.startWorker(options.data);
    for (const algorithm of options.algorithms) {
      if (!Object.hasOwn(NODE_NAMES, algorithm))
        throw new IsoVerifyError('input-invalid-value', `unsupported hash algorithm ${String(algorithm)}`);
      if (offloaded.includes(algorithm) && this.link) {
        const id = this.link.nextId++;
        this.link.worker.postMessage({ op: 'create', id, algorithm: NODE_NAMES[algorithm] });
        this.remote.set(algorithm, id);
      } else {
        this.local.set(algorithm, createHash(NODE_NAMES[algorithm]));
      }
    }
  }

  /** Whether a worker thread hashes part of the stream. */
  get parallel(): boolean {
    return this.link !== undefined;
  }

  private startWorker(data: SharedArrayBuffer): WorkerLink {
    const replyBuffer = new SharedArrayBuffer(8 + 64);
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { data, reply: replyBuffer } });
    worker.unref();
    const link: WorkerLink = {
      worker,
      reply: new Int32Array(replyBuffer),
      replyBytes: new Uint8Array(replyBuffer, 8),
      nextId: 1,
      call: (message) => {
        if (link.failure) throw link.failure;
        Atomics.store(link.reply, 0, 0);
        worker.postMessage(message);
        // Blocks this thread until the worker answers; the worker is never blocked, so it always does.
        const waited = Atomics.wait(link.reply, 0, 0, SYNC_TIMEOUT_MS);
        if (waited === 'timed-out') throw new IsoVerifyError('internal', 'the hashing thread did not answer');
        if (Atomics.load(link.reply, 0) !== 1) throw new IsoVerifyError('internal', 'the hashing thread failed');
        return link.replyBytes.slice(0, Atomics.load(link.reply, 1));
      },
    };
    worker.on('message', (m: { free?: number; error?: string }) => {
      if (m.error !== undefined) return this.fail(new IsoVerifyError('internal', `hashing thread: ${m.error}`));
      if (m.free !== undefined) this.release(m.free);
    });
    worker.on('error', (error) => this.fail(error instanceof Error ? error : new Error(String(error))));
    return link;
  }

  private fail(error: Error): void {
    if (this.link && !this.link.failure) this.link.failure = error;
    for (const f of this.failed.splice(0)) f(error);
  }

  private release(slot: number): void {
    const entry = this.pending.get(slot);
    if (!entry) return;
    entry.count -= 1;
    if (entry.count === 0) {
      this.pending.delete(slot);
      for (const w of entry.waiters) w();
    }
  }

  /** Hash data[offset, offset + length), which belongs to buffer slot `slot`. */
  update(slot: number, offset: number, length: number): void {
    if (length === 0) return;
    if (this.link?.failure) throw this.link.failure;
    const bytes = this.view.subarray(offset, offset + length);
    for (const [algorithm, id] of this.remote) {
      void algorithm;
      const entry = this.pending.get(slot) ?? { count: 0, waiters: [] };
      entry.count += 1;
      this.pending.set(slot, entry);
      this.link!.worker.postMessage({ op: 'update', id, slot, offset, length });
    }
    for (const hash of this.local.values()) hash.update(bytes);
  }

  /** Resolves when no hashing of `slot` is outstanding (the reader may overwrite it). */
  whenFree(slot: number): Promise<void> {
    const entry = this.pending.get(slot);
    if (!entry) return this.link?.failure ? Promise.reject(this.link.failure) : Promise.resolve();
    return new Promise((resolve, reject) => {
      entry.waiters.push(resolve);
      this.failed.push(reject);
    });
  }

  /** Digests and continuations as of everything updated so far; hashing can go on afterwards. */
  snapshot(): SplitSnapshot {
    const digests: SplitSnapshot['digests'] = {};
    const continuations: SplitSnapshot['continuations'] = {};
    for (const [algorithm, hash] of this.local) {
      continuations[algorithm] = new NativeHasher(hash.copy());
      digests[algorithm] = hex(new NativeHasher(hash.copy()).digest());
    }
    for (const [algorithm, id] of this.remote) {
      const to = this.link!.nextId++;
      this.link!.worker.postMessage({ op: 'clone', id, to });
      const continuation = new RemoteHasher(this.link!, to);
      continuations[algorithm] = continuation;
      digests[algorithm] = hex(continuation.clone().digest());
    }
    return { digests, continuations };
  }

  /** End the worker (its remote continuations stop working). */
  async close(): Promise<void> {
    if (this.link) await this.link.worker.terminate();
  }
}
