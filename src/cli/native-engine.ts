/**
 * Hash engine on Node's native crypto (OpenSSL), for the CLI: faster than WASM, but its state
 * cannot be serialised, so it offers no saveState/restore (no checkpoints). Also a fast file
 * reader to feed it.
 */
import { createHash, type Hash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { IsoVerifyError } from '../core/errors.js';
import type { HashAlgorithm, HashEngine, Hasher } from '../core/hash/types.js';

const NODE_NAMES: Record<HashAlgorithm, string> = { sha256: 'sha256', sha512: 'sha512' };

/** Node crypto behind the core's Hasher (also the CLI's split hashing, split-hash.ts). */
export class NativeHasher implements Hasher {
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

/**
 * Read a file in blocks for hashing, reading the next block while the current one is hashed,
 * into two reused buffers. Measured ~1.3x faster than fs.createReadStream, which allocates a
 * fresh buffer per read. CONTRACT: a yielded block is overwritten once the next one is
 * requested, so the consumer must be done with it by then (hashStream is; do not collect them).
 */
export async function* readFileBlocks(path: string, blockSize = 2 * 1024 * 1024): AsyncGenerator<Uint8Array> {
  if (!Number.isSafeInteger(blockSize) || blockSize <= 0) {
    throw new IsoVerifyError('input-invalid-value', `block size ${String(blockSize)} is not a positive integer`);
  }
  let handle;
  try {
    // O_NONBLOCK: a file that would block (a /proc file such as kmsg) fails with EAGAIN instead
    // of hanging in a kernel read that nothing can cancel; regular files are unaffected.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new IsoVerifyError('io-failed', `${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const buffers: Uint8Array[] = [new Uint8Array(blockSize), new Uint8Array(blockSize)];
  let next = 0;
  let pending: Promise<{ bytesRead: number; buffer: Uint8Array }> = handle.read(buffers[0]!, 0, blockSize, null);
  // A read still in flight when the consumer stops early must settle before the handle closes.
  try {
    for (;;) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) return;
      next ^= 1;
      pending = handle.read(buffers[next]!, 0, blockSize, null);
      yield buffer.subarray(0, bytesRead);
    }
  } catch (error) {
    throw error instanceof IsoVerifyError
      ? error
      : new IsoVerifyError('io-failed', `${path}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await pending.catch(() => undefined);
    await handle.close();
  }
}
