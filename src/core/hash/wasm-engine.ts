/**
 * The core's hash engine: SHA-256/SHA-512 from hash-wasm.
 *
 * hash-wasm creates WASM instances asynchronously, but `Hasher.clone()` is synchronous (an
 * OpenPGP verifier clones a continuation per signature). So all hashers of one algorithm in
 * a thread share ONE WASM instance, and each logical hasher keeps its own saved state while
 * another one is using the instance. Switching costs one save()+load() of a few hundred
 * bytes; the common case (one hasher per algorithm) never switches. Clones and restores are
 * therefore synchronous and cheap after the first instance exists.
 */
import { createSHA256, createSHA512, type IHasher } from 'hash-wasm';
import { IsoVerifyError } from '../errors.js';
import type { HashAlgorithm, HashEngine, Hasher } from './types.js';

/** One WASM instance and which logical hasher currently has its state loaded. */
interface SharedInstance {
  readonly wasm: IHasher;
  owner: WasmHasher | null;
}

const CREATORS: Record<HashAlgorithm, () => Promise<IHasher>> = {
  sha256: createSHA256,
  sha512: createSHA512,
};

const instancePromises = new Map<HashAlgorithm, Promise<SharedInstance>>();

function sharedInstance(algorithm: HashAlgorithm): Promise<SharedInstance> {
  const creator = Object.hasOwn(CREATORS, algorithm) ? CREATORS[algorithm] : undefined;
  if (!creator) {
    return Promise.reject(new IsoVerifyError('input-invalid-value', `unsupported hash algorithm ${String(algorithm)}`));
  }
  let promise = instancePromises.get(algorithm);
  if (!promise) {
    promise = creator().then((wasm) => ({ wasm, owner: null }));
    // A failed instantiation must not poison every later attempt.
    promise.catch(() => instancePromises.delete(algorithm));
    instancePromises.set(algorithm, promise);
  }
  return promise;
}

/** Save the current owner's state into it, leaving the instance free. */
function parkOwner(shared: SharedInstance): void {
  const owner = shared.owner;
  if (owner) owner.parked = shared.wasm.save();
  shared.owner = null;
}

class WasmHasher implements Hasher {
  /** Saved state while another hasher owns the instance; null = fresh (needs init). */
  parked: Uint8Array | null;
  private finished = false;

  constructor(
    private readonly shared: SharedInstance,
    state: Uint8Array | null,
  ) {
    this.parked = state;
  }

  /** Make the shared instance hold this hasher's state. */
  private activate(): IHasher {
    if (this.finished) throw new IsoVerifyError('internal', 'hasher used after digest()');
    const shared = this.shared;
    if (shared.owner !== this) {
      parkOwner(shared);
      if (this.parked) shared.wasm.load(this.parked);
      else shared.wasm.init();
      this.parked = null;
      shared.owner = this;
    }
    return shared.wasm;
  }

  update(chunk: Uint8Array): void {
    this.activate().update(chunk);
  }

  digest(): Uint8Array {
    const out = this.activate().digest('binary');
    this.finished = true;
    this.shared.owner = null;
    return out;
  }

  clone(): Hasher {
    return new WasmHasher(this.shared, this.saveState());
  }

  saveState(): Uint8Array {
    if (this.finished) throw new IsoVerifyError('internal', 'hasher used after digest()');
    if (this.shared.owner === this) return this.shared.wasm.save();
    // Parked states are never mutated (a swap replaces them), but hand out a copy anyway.
    return this.parked ? this.parked.slice() : this.activate().save();
  }
}

export const wasmEngine: HashEngine = {
  name: 'hash-wasm',

  async create(algorithm: HashAlgorithm): Promise<Hasher> {
    return new WasmHasher(await sharedInstance(algorithm), null);
  },

  async restore(algorithm: HashAlgorithm, state: Uint8Array): Promise<Hasher> {
    const shared = await sharedInstance(algorithm);
    if (!(state instanceof Uint8Array)) throw new IsoVerifyError('hash-state-invalid', 'state is not bytes');
    // Validate now (hash-wasm checks length and its build prefix on load) so a bad state fails
    // here, not later in the middle of hashing. Park the current owner first.
    parkOwner(shared);
    try {
      shared.wasm.load(state);
    } catch (error) {
      throw new IsoVerifyError(
        'hash-state-invalid',
        `${algorithm}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return new WasmHasher(shared, state.slice());
  },
};
