/**
 * Turn a hash input (a web ReadableStream or any async iterable) into an async iterable that
 * stops promptly on abort. ReadableStream is read through a reader rather than its async
 * iterator, which not every browser the extension supports implements.
 */
import { IsoVerifyError } from '../errors.js';

export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof value === 'object' && value !== null && typeof (value as ReadableStream).getReader === 'function';
}

function readFailed(error: unknown): IsoVerifyError {
  if (error instanceof IsoVerifyError) return error;
  return new IsoVerifyError('io-failed', error instanceof Error ? error.message : String(error), { cause: error });
}

function abortedError(signal: AbortSignal): IsoVerifyError {
  const reason: unknown = signal.reason;
  const detail = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : undefined;
  return new IsoVerifyError('aborted', detail);
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError(signal);
}

async function* readStream(stream: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  // Cancelling the reader ends a pending read() at once, so abort does not wait for the disk.
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  let finished = false;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        throwIfAborted(signal);
        throw readFailed(error);
      }
      throwIfAborted(signal);
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Stopped early (abort or a consumer error): release the underlying file or connection.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

async function* readIterable(iterable: AsyncIterable<Uint8Array>, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const iterator = iterable[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      throwIfAborted(signal);
      let result: IteratorResult<Uint8Array>;
      try {
        result = await iterator.next();
      } catch (error) {
        throwIfAborted(signal);
        throw readFailed(error);
      }
      throwIfAborted(signal);
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (!finished) await iterator.return?.().catch(() => undefined);
  }
}

/** Chunks of `source`; throws `aborted` once `signal` fires and `io-failed` when reading fails. */
export function iterateSource(source: ByteSource, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  if (isReadableStream(source)) return readStream(source, signal);
  if (
    typeof source === 'object' &&
    source !== null &&
    typeof (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function'
  ) {
    return readIterable(source, signal);
  }
  throw new IsoVerifyError('input-wrong-type', 'hash input is neither a ReadableStream nor an async iterable');
}
