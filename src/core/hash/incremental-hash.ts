/**
 * Push-style hashing of one byte sequence with several algorithms at once. Used directly where
 * bytes arrive as events (Firefox's webRequest.filterResponseData), and by hashStream for
 * pull-style sources, so both share one code path.
 */
import { fromBase64, toBase64, toHex } from '../bytes.js';
import { IsoVerifyError } from '../errors.js';
import type { HashAlgorithm, HashCheckpoint, HashEngine, Hasher, HashResult } from './types.js';
import { wasmEngine } from './wasm-engine.js';

export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sha256', 'sha512'];

function isHashAlgorithm(value: unknown): value is HashAlgorithm {
  return typeof value === 'string' && (HASH_ALGORITHMS as readonly string[]).includes(value);
}

/** Requested algorithms, deduplicated in request order; unknown names and an empty list are errors. */
export function normaliseAlgorithms(algorithms: readonly unknown[]): HashAlgorithm[] {
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new IsoVerifyError('input-invalid-value', 'no hash algorithm requested');
  }
  const out: HashAlgorithm[] = [];
  for (const a of algorithms) {
    if (!isHashAlgorithm(a)) throw new IsoVerifyError('input-invalid-value', `unsupported hash algorithm ${String(a)}`);
    if (!out.includes(a)) out.push(a);
  }
  return out;
}

function stateInvalid(detail: string, cause?: unknown): IsoVerifyError {
  return new IsoVerifyError('hash-state-invalid', detail, cause === undefined ? undefined : { cause });
}

type HasherEntry = readonly [HashAlgorithm, Hasher];

export class IncrementalHash {
  private bytes: number;
  private finished = false;

  private constructor(
    readonly engine: HashEngine,
    private readonly hashers: readonly HasherEntry[],
    offset: number,
  ) {
    this.bytes = offset;
  }

  static async create(algorithms: readonly HashAlgorithm[], engine: HashEngine = wasmEngine): Promise<IncrementalHash> {
    const list = normaliseAlgorithms(algorithms);
    const hashers = await Promise.all(list.map(async (a) => [a, await engine.create(a)] as const));
    return new IncrementalHash(engine, hashers, 0);
  }

  /**
   * Continue from a checkpoint. Anything that does not match this engine and a well-formed
   * saved state is `hash-state-invalid`: the caller must then start over from byte 0.
   */
  static async resume(checkpoint: HashCheckpoint, engine: HashEngine = wasmEngine): Promise<IncrementalHash> {
    if (typeof checkpoint !== 'object' || checkpoint === null) throw stateInvalid('checkpoint is not an object');
    if (checkpoint.engine !== engine.name) {
      throw stateInvalid(`checkpoint was made by engine ${String(checkpoint.engine)}, not ${engine.name}`);
    }
    if (!Number.isSafeInteger(checkpoint.offset) || checkpoint.offset < 0) {
      throw stateInvalid(`checkpoint offset ${String(checkpoint.offset)} is not a byte count`);
    }
    const restore = engine.restore?.bind(engine);
    if (!restore) throw stateInvalid(`engine ${engine.name} cannot restore a saved state`);
    const states = checkpoint.states;
    if (typeof states !== 'object' || states === null) throw stateInvalid('checkpoint has no states');
    const names = Object.keys(states);
    if (names.length === 0) throw stateInvalid('checkpoint has no states');
    const hashers: HasherEntry[] = [];
    for (const name of names) {
      if (!isHashAlgorithm(name)) throw stateInvalid(`checkpoint has a state for unknown algorithm ${name}`);
      const encoded = states[name];
      if (typeof encoded !== 'string') throw stateInvalid(`${name} state is not a string`);
      let raw: Uint8Array;
      try {
        raw = fromBase64(encoded);
      } catch (error) {
        throw stateInvalid(`${name} state is not base64`, error);
      }
      try {
        hashers.push([name, await restore(name, raw)]);
      } catch (error) {
        if (error instanceof IsoVerifyError && error.code === 'hash-state-invalid') throw error;
        throw stateInvalid(`${name}: ${error instanceof Error ? error.message : String(error)}`, error);
      }
    }
    // Keep a stable algorithm order regardless of the checkpoint's key order.
    hashers.sort((a, b) => HASH_ALGORITHMS.indexOf(a[0]) - HASH_ALGORITHMS.indexOf(b[0]));
    return new IncrementalHash(engine, hashers, checkpoint.offset);
  }

  get algorithms(): HashAlgorithm[] {
    return this.hashers.map(([a]) => a);
  }

  /** Bytes hashed so far, including any resumed prefix. */
  get offset(): number {
    return this.bytes;
  }

  /** Whether checkpoint() can work with this engine. */
  get canCheckpoint(): boolean {
    return (
      this.hashers.every(([, h]) => typeof h.saveState === 'function') && typeof this.engine.restore === 'function'
    );
  }

  update(chunk: Uint8Array): void {
    if (this.finished) throw new IsoVerifyError('internal', 'update() after finish()');
    if (!(chunk instanceof Uint8Array)) throw new IsoVerifyError('input-wrong-type', 'chunk is not a Uint8Array');
    // Hot loop: no allocation, just hand the same view to every hasher.
    for (let i = 0; i < this.hashers.length; i++) this.hashers[i]![1].update(chunk);
    this.bytes += chunk.length;
  }

  checkpoint(): HashCheckpoint {
    if (this.finished) throw new IsoVerifyError('internal', 'checkpoint() after finish()');
    const states: Partial<Record<HashAlgorithm, string>> = {};
    for (const [algorithm, hasher] of this.hashers) {
      if (!hasher.saveState) throw stateInvalid(`engine ${this.engine.name} cannot save its state`);
      states[algorithm] = toBase64(hasher.saveState());
    }
    return { engine: this.engine.name, offset: this.bytes, states };
  }

  /** Digests of everything so far, plus continuations cloned just before finishing. */
  finish(): HashResult {
    if (this.finished) throw new IsoVerifyError('internal', 'finish() called twice');
    this.finished = true;
    const digests: HashResult['digests'] = {};
    const continuations: HashResult['continuations'] = {};
    for (const [algorithm, hasher] of this.hashers) {
      continuations[algorithm] = hasher.clone();
      digests[algorithm] = toHex(hasher.digest());
    }
    return { bytes: this.bytes, digests, continuations };
  }
}
