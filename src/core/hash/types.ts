/** Hash algorithms the product uses. SHA-1 and MD5 are deliberately absent. */
export type HashAlgorithm = 'sha256' | 'sha512';

/** One incremental hash computation. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  /** Finish and return the raw digest. The hasher cannot be used afterwards. */
  digest(): Uint8Array;
  /** An independent copy of the current state (to finish with a suffix, e.g. an OpenPGP trailer). */
  clone(): Hasher;
  /** Serialised internal state, when the engine can (hash-wasm can, Node's crypto cannot). */
  saveState?(): Uint8Array;
}

/**
 * A hash implementation. The core uses hash-wasm (`wasmEngine`); the CLI plugs in Node's
 * native crypto. `restore` exists only on engines whose state can be serialised.
 */
export interface HashEngine {
  readonly name: string;
  create(algorithm: HashAlgorithm): Promise<Hasher>;
  restore?(algorithm: HashAlgorithm, state: Uint8Array): Promise<Hasher>;
}

export interface HashProgress {
  bytes: number;
  /** Total expected bytes, when known. */
  total?: number;
  /** Bytes per second, averaged since the start. */
  rate: number;
  /** Seconds left, when total and rate are known. */
  etaSeconds?: number;
}

/** Saved progress of an interrupted hash, to continue at `offset`. */
export interface HashCheckpoint {
  engine: string;
  offset: number;
  states: Partial<Record<HashAlgorithm, string>>; // base64 of saveState()
}

export interface HashResult {
  bytes: number;
  /** Lowercase hex digest per requested algorithm. */
  digests: Partial<Record<HashAlgorithm, string>>;
  /**
   * Hashers cloned just before finishing, so a caller can append a suffix and finish again
   * (OpenPGP signatures hash the data followed by a trailer).
   */
  continuations: Partial<Record<HashAlgorithm, Hasher>>;
}
