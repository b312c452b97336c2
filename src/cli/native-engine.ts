/**
 * Hash engine on Node's native crypto (OpenSSL), for the CLI: faster than WASM, but its state
 * cannot be serialised, so it offers no saveState/restore (no checkpoints).
 */
import { createHash, type Hash } from 'node:crypto';
import { IsoVerifyError } from '../core/errors.js';
import type { HashAlgorithm, HashEngine, Hasher } from '../core/hash/types.js';

const NODE_NAMES: Record<HashAlgorithm, string> = { sha256: 'sha256', sha512: 'sha512' };

class NativeHasher implements Hasher {
  private finished = false;

  constructor(private readonly hash: Hash) {}

  update(chunk: Uint8Array): void {
    if (this.finished) throw new IsoVerifyError('internal', 'hasher used after digest()');
    this.hash.update(chunk);
  }

  digest(): Uint8Array {
    if (this.finished) throw new IsoVerifyError('internal', 'hasher used after digest()');
    this.finished = true;
    const buf = this.hash.digest();
    // A plain Uint8Array, so callers never depend on Buffer behaviour.
    return new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  }

  clone(): Hasher {
    if (this.finished) throw new IsoVerifyError('internal', 'hasher used after digest()');
    return new NativeHasher(this.hash.copy());
  }
}

export const nativeEngine: HashEngine = {
  name: 'node-crypto',
  async create(algorithm: HashAlgorithm): Promise<Hasher> {
    const name = Object.hasOwn(NODE_NAMES, algorithm) ? NODE_NAMES[algorithm] : undefined;
    if (!name) throw new IsoVerifyError('input-invalid-value', `unsupported hash algorithm ${String(algorithm)}`);
    return new NativeHasher(createHash(name));
  },
};
