/** The readers the browser bench compares, as async iterables of byte chunks. */
import type { RawReader } from './protocol.js';

async function* streamChunks(file: Blob): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

async function* sliceChunks(file: Blob, chunk: number, prefetch: boolean): AsyncGenerator<Uint8Array> {
  const read = (at: number) => file.slice(at, Math.min(file.size, at + chunk)).arrayBuffer();
  let at = 0;
  let next = file.size > 0 ? read(0) : undefined;
  while (next) {
    const current = next;
    at += chunk;
    // With prefetch the browser reads the next slice while the caller hashes this one.
    next = at < file.size && prefetch ? read(at) : undefined;
    yield new Uint8Array(await current);
    if (!prefetch && at < file.size) next = read(at);
  }
}

function* syncChunks(file: Blob, chunk: number): Generator<Uint8Array> {
  const reader = new FileReaderSync();
  for (let at = 0; at < file.size; at += chunk) {
    yield new Uint8Array(reader.readAsArrayBuffer(file.slice(at, Math.min(file.size, at + chunk))));
  }
}

export function chunksOf(file: Blob, reader: RawReader): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  switch (reader.kind) {
    case 'stream':
      return streamChunks(file);
    case 'slice':
      return sliceChunks(file, reader.chunk, reader.prefetch);
    case 'sync':
      return syncChunks(file, reader.chunk);
  }
}
