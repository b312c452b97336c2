/**
 * The two ends of a relay inside the workers (src/wire/worker-protocol.ts): the lead hands each chunk on after
 * hashing it, waiting while RELAY_AHEAD chunks are un-acknowledged; the follower's inbox turns
 * the forwarded chunks back into a byte source and acknowledges each once it has been hashed.
 * Reading the file once instead of once per worker leaves the browser's reading work to one
 * worker (measured: npm run bench:browser, README).
 */
import { IsoVerifyError } from '../core/errors.js';
import { RELAY_AHEAD } from '../wire/worker-protocol.js';

type Waiter = () => void;

/** Lead side: how many handed-on chunks the follower has not acknowledged. */
export class AckGate {
  private outstanding = 0;
  private waiter: Waiter | undefined;

  constructor(private readonly signal?: AbortSignal) {
    signal?.addEventListener('abort', () => this.wake(), { once: true });
  }

  /** Resolves when another chunk may be handed on (or the hash was aborted: the caller checks). */
  async ready(): Promise<void> {
    while (this.outstanding >= RELAY_AHEAD && !this.signal?.aborted)
      await new Promise<void>((resolve) => (this.waiter = resolve));
  }

  sent(): void {
    this.outstanding += 1;
  }

  ack(): void {
    this.outstanding = Math.max(0, this.outstanding - 1);
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

/** The whole buffer of `chunk`, to transfer: the chunk's own when it covers it, else a copy. */
function ownBuffer(chunk: Uint8Array): ArrayBuffer {
  if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && chunk.buffer instanceof ArrayBuffer)
    return chunk.buffer;
  return chunk.slice().buffer;
}

/**
 * Pass `chunks` through to the lead's hasher and hand each on once the hasher asked for the
 * next one — by then it has hashed (or copied) every byte of it, so the buffer can be
 * transferred. `end` is called after the last chunk.
 */
export async function* handOn(
  chunks: AsyncIterable<Uint8Array>,
  gate: AckGate,
  send: (buffer: ArrayBuffer) => void,
  end: () => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    yield chunk;
    await gate.ready();
    gate.sent();
    send(ownBuffer(chunk));
  }
  end();
}

/** Follower side: forwarded chunks in, a byte source out; `ack` after each chunk is hashed. */
export class RelayInbox {
  private readonly queue: ArrayBuffer[] = [];
  private ended = false;
  private failure: Error | undefined;
  private waiter: Waiter | undefined;

  constructor(
    private readonly ack: () => void,
    private readonly signal?: AbortSignal,
  ) {
    signal?.addEventListener('abort', () => this.wake(), { once: true });
  }

  push(buffer: ArrayBuffer): void {
    if (this.ended) return;
    this.queue.push(buffer);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  /** Something arrived that is not a chunk: the hash fails with `error`. */
  fail(error: Error): void {
    this.failure ??= error;
    this.wake();
  }

  async *chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.failure) throw this.failure;
      const buffer = this.queue.shift();
      if (buffer) {
        yield new Uint8Array(buffer);
        this.ack(); // the hasher asked for the next chunk: this one is hashed
        continue;
      }
      if (this.ended) return;
      if (this.signal?.aborted) throw new IsoVerifyError('aborted');
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
