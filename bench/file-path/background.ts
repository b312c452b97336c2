/**
 * Service worker of the file-path bench extension (bench/chromium-file-path.ts): the project's
 * two ways to hash a finished download in Chrome, exposed to the bench as one function.
 */
import { hashLocalFile } from '../../src/background/chromium/chrome-file.js';
import { offscreenFileHasher } from '../../src/background/chromium/offscreen-hash.js';
import { wasmEngine } from '../../src/core/hash/wasm-engine.js';
import { browser, offscreenApi } from '../../src/extension/browser-api.js';
import { OFFSCREEN_DOCUMENT_PATH, OFFSCREEN_HASH_PORT } from '../../src/wire/offscreen-protocol.js';

const offscreen = offscreenApi();
if (!offscreen) throw new Error('no offscreen API in this Chromium');
const inOffscreenDocument = offscreenFileHasher({
  offscreen,
  documentUrl: browser.runtime.getURL(OFFSCREEN_DOCUMENT_PATH),
  connect: () => browser.runtime.connect({ name: OFFSCREEN_HASH_PORT }),
  fallback: () => Promise.reject(new Error('the bench must not fall back')),
});

export type FilePathMode = 'service-worker' | 'offscreen';

(globalThis as unknown as { isoVerifyFileBench: unknown }).isoVerifyFileBench = async (
  mode: FilePathMode,
  path: string,
  total: number,
) => {
  const started = performance.now();
  const options = { engine: wasmEngine, signal: new AbortController().signal, total, onProgress: () => undefined };
  const result =
    mode === 'service-worker' ? await hashLocalFile(path, options) : await inOffscreenDocument(path, options);
  return {
    ms: performance.now() - started,
    bytes: result.bytes,
    sha256: result.digests.sha256,
    sha512: result.digests.sha512,
  };
};
