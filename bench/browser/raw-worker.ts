/**
 * Reference worker of the browser bench: hash-wasm (or node-forge) called directly, with no
 * project code in between, so the project's worker path can be compared against it.
 */
import { createSHA256, createSHA512, type IHasher } from 'hash-wasm';
import forge from 'node-forge';
import type { RawAlgorithm, RawRequest, RawResponse, RelayMessage, RelayRequest } from './protocol.js';
import { chunksOf } from './readers.js';

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<RawRequest | RelayRequest | RelayMessage>) => void) | null;
  postMessage(m: RawResponse | RelayMessage, transfer?: Transferable[]): void;
};
/** Without a port, relay messages come from the page; this is where they go. */
let relayListener: ((m: RelayMessage) => void) | undefined;

async function run(request: RawRequest): Promise<RawResponse> {
  const started = performance.now();
  const file = request.limit !== undefined ? request.file.slice(0, request.limit) : request.file;
  let bytes = 0;
  if (request.impl.kind === 'forge') {
    // Tails' page feeds forge "binary strings" from FileReader; FileReaderSync does the same conversion natively.
    const md = forge.md.sha256.create();
    const reader = new FileReaderSync();
    const chunk = request.reader.kind === 'stream' ? 2 * 1024 * 1024 : request.reader.chunk;
    for (let at = 0; at < file.size; at += chunk) {
      const part = file.slice(at, Math.min(file.size, at + chunk));
      md.update(reader.readAsBinaryString(part));
      bytes += part.size;
    }
    return { ok: true, bytes, digests: { sha256: md.digest().toHex() }, ms: performance.now() - started };
  }
  const creators: Record<RawAlgorithm, () => Promise<IHasher>> = { sha256: createSHA256, sha512: createSHA512 };
  const hashers = await Promise.all(request.impl.algorithms.map(async (a) => [a, await creators[a]()] as const));
  for await (const chunk of chunksOf(file, request.reader)) {
    for (const [, h] of hashers) h.update(chunk);
    bytes += chunk.length;
  }
  const digests: Partial<Record<RawAlgorithm, string>> = {};
  for (const [a, h] of hashers) digests[a] = h.digest('hex');
  return { ok: true, bytes, digests, ms: performance.now() - started };
}

const CREATE: Record<RawAlgorithm, () => Promise<IHasher>> = { sha256: createSHA256, sha512: createSHA512 };
/** Chunks the reader may have handed over that the follower has not hashed yet. */
const RELAY_AHEAD = 2;

async function relay(request: RelayRequest): Promise<RawResponse> {
  const started = performance.now();
  const h = await CREATE[request.algorithm]();
  // A MessagePort between the workers, or (without one) the page forwarding both ways.
  const send = (m: RelayMessage, transfer: Transferable[] = []) =>
    request.port ? request.port.postMessage(m, transfer) : scope.postMessage(m, transfer);
  const listen = (l: (m: RelayMessage) => void) => {
    if (request.port) request.port.onmessage = (e: MessageEvent<RelayMessage>) => l(e.data);
    else relayListener = l;
  };
  let bytes = 0;
  if (request.role === 'follower') {
    return new Promise((resolve) => {
      listen((m) => {
        if (m.relay === 'end') {
          request.port?.close();
          resolve({
            ok: true,
            bytes,
            digests: { [request.algorithm]: h.digest('hex') },
            ms: performance.now() - started,
          });
          return;
        }
        if (m.relay !== 'chunk') return;
        h.update(new Uint8Array(m.buffer));
        bytes += m.buffer.byteLength;
        send({ relay: 'ack' });
      });
    });
  }
  let outstanding = 0;
  let wake: (() => void) | undefined;
  listen(() => {
    outstanding--;
    wake?.();
  });
  for await (const chunk of chunksOf(request.file, request.reader)) {
    h.update(chunk);
    bytes += chunk.length;
    while (outstanding >= RELAY_AHEAD) await new Promise<void>((r) => (wake = r));
    outstanding++;
    const buffer =
      chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk.buffer : chunk.slice().buffer;
    send({ relay: 'chunk', buffer: buffer as ArrayBuffer }, [buffer as ArrayBuffer]);
  }
  send({ relay: 'end' });
  return { ok: true, bytes, digests: { [request.algorithm]: h.digest('hex') }, ms: performance.now() - started };
}

scope.onmessage = (event) => {
  if ('relay' in event.data) {
    relayListener?.(event.data);
    return;
  }
  ('role' in event.data ? relay(event.data) : run(event.data)).then(
    (response) => scope.postMessage(response),
    (error: unknown) => scope.postMessage({ ok: false, error: String(error) }),
  );
};
