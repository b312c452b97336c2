/**
 * Chrome: hash a finished download in the offscreen document (src/offscreen/), where SHA-256
 * and SHA-512 each get a worker and read the file in parallel — a service worker cannot start
 * workers, and one pass of both in the service worker is about 1.4× slower (npm run
 * bench:browser, README). The document is created for the first file and closed when no file
 * is being hashed. If it cannot be created, the file is hashed here (chrome-file.ts) instead.
 */
import { IsoVerifyError } from '../../core/errors.js';
import type { HashAlgorithm } from '../../core/hash/types.js';
import { restoreHashResult } from '../../core/hash/restore.js';
import type { OffscreenPort } from '../../extension/browser-api.js';
import {
  parseOffscreenHashReply,
  type OffscreenHashRequest,
  type ProtocolPort,
} from '../../wire/offscreen-protocol.js';
import type { FileHasher, FileHasherOptions } from '../context.js';
import type { RangeHasher, SavedHash } from './growing-file.js';
import { localFileUrl } from './file-url.js';
import { log } from '../../extension/log.js';

/** The background's end of the Port. */
export type ClientPort = ProtocolPort<OffscreenHashRequest>;

export interface OffscreenHasherDeps {
  offscreen: OffscreenPort;
  /** runtime.getURL(OFFSCREEN_DOCUMENT_PATH) */
  documentUrl: string;
  /** runtime.connect({ name: OFFSCREEN_HASH_PORT }) */
  connect(): ClientPort;
  /** Used when the document cannot be created. */
  fallback: FileHasher;
  /** Pause before connecting again to a document that is still loading (tests pass 0). */
  retryDelayMs?: number;
}

const ALGORITHMS: HashAlgorithm[] = ['sha256', 'sha512'];
/** Connections refused before the document answered anything (it is still loading). */
const CONNECT_ATTEMPTS = 20;

export function offscreenHashing(deps: OffscreenHasherDeps): { hashFile: FileHasher; hashRange: RangeHasher } {
  let active = 0;
  let creating: Promise<void> | undefined;
  let closing: Promise<void> | undefined;

  async function ensureDocument(): Promise<void> {
    if (closing) await closing;
    creating ??= (async () => {
      if (await deps.offscreen.hasDocument()) return;
      try {
        await deps.offscreen.createDocument({
          url: deps.documentUrl,
          reasons: ['WORKERS'],
          justification: 'Hash a finished download in workers, SHA-256 and SHA-512 in parallel, to verify it.',
        });
      } catch (error) {
        // Another call created it first: that is the document we want.
        if (!(await deps.offscreen.hasDocument())) throw error;
      }
    })().finally(() => {
      creating = undefined;
    });
    return creating;
  }

  function release(): void {
    active -= 1;
    if (active > 0) return;
    closing = deps.offscreen
      .closeDocument()
      .catch((error: unknown) => log.warn('offscreen document not closed', error))
      .finally(() => {
        closing = undefined;
      });
  }

  /** One request on one connection; `undefined` = the document went away before answering. */
  function hashOnce(
    request: OffscreenHashRequest,
    options: Pick<FileHasherOptions, 'signal' | 'onProgress'>,
  ): Promise<SavedHash | undefined> {
    return new Promise((resolve, reject) => {
      const { signal } = options;
      if (signal.aborted) return reject(new IsoVerifyError('aborted'));
      const port = deps.connect();
      let answered = false;
      let settled = false;
      const settle = (action: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        action();
      };
      const onAbort = () =>
        settle(() => {
          port.disconnect();
          reject(new IsoVerifyError('aborted'));
        });
      signal.addEventListener('abort', onAbort, { once: true });
      port.onMessage.addListener((message) => {
        answered = true;
        const reply = parseOffscreenHashReply(message);
        if (!reply)
          return settle(
            () => (
              port.disconnect(),
              reject(new IsoVerifyError('internal', 'the hashing document sent something else'))
            ),
          );
        if (reply.type === 'progress') options.onProgress(reply.progress);
        else if (reply.type === 'error')
          settle(() => (port.disconnect(), reject(new IsoVerifyError(reply.error.code, reply.error.detail))));
        else settle(() => (port.disconnect(), resolve({ bytes: reply.bytes, states: reply.states })));
      });
      port.onDisconnect.addListener(() =>
        settle(() =>
          answered
            ? reject(new IsoVerifyError('internal', 'the hashing document closed mid-hash'))
            : resolve(undefined),
        ),
      );
      try {
        port.postMessage(request);
      } catch {
        // Nobody listens yet (the document is loading): Chrome has already closed the port.
        settle(() => resolve(undefined));
      }
    });
  }

  /** One request, through a document made for it (connecting again while it loads). */
  async function inDocument(
    request: OffscreenHashRequest,
    options: Pick<FileHasherOptions, 'signal' | 'onProgress'>,
  ): Promise<SavedHash> {
    for (let attempt = 1; ; attempt++) {
      const answer = await hashOnce(request, options);
      if (answer) {
        const missing = ALGORITHMS.filter((a) => answer.states[a] === undefined);
        if (missing.length > 0)
          throw new IsoVerifyError('hash-state-invalid', `the hashing document sent no ${missing.join(', ')} state`);
        return answer;
      }
      if (attempt >= CONNECT_ATTEMPTS) throw new IsoVerifyError('internal', 'the hashing document does not answer');
      await new Promise((resolve) => setTimeout(resolve, deps.retryDelayMs ?? 50));
      await ensureDocument();
    }
  }

  const hashFile: FileHasher = async (path, options) => {
    const url = localFileUrl(path);
    active += 1;
    try {
      try {
        await ensureDocument();
      } catch (error) {
        log.warn('no offscreen document, hashing in the background', error);
        return await deps.fallback(path, options);
      }
      const request: OffscreenHashRequest = {
        type: 'hash',
        url,
        algorithms: ALGORITHMS,
        ...(options.total !== undefined ? { total: options.total } : {}),
      };
      const answer = await inDocument(request, options);
      return await restoreHashResult(answer.bytes, answer.states, options.engine);
    } finally {
      release();
    }
  };

  const hashRange: RangeHasher = async (path, range, resumeFrom, options) => {
    const url = localFileUrl(path);
    active += 1;
    try {
      await ensureDocument(); // no fallback: hashing ahead is an optimisation, the finished file is read anyway
      const request: OffscreenHashRequest = {
        type: 'hash',
        url,
        algorithms: ALGORITHMS,
        range,
        ...(resumeFrom ? { resumeFrom } : {}),
        ...(options.total !== undefined ? { total: options.total } : {}),
      };
      const answer = await inDocument(request, options);
      if (answer.bytes !== range.end)
        throw new IsoVerifyError('io-failed', `hashed up to byte ${answer.bytes}, not ${range.end}`);
      return answer;
    } finally {
      release();
    }
  };

  return { hashFile, hashRange };
}

/** offscreenHashing's whole-file hasher (the finished download). */
export function offscreenFileHasher(deps: OffscreenHasherDeps): FileHasher {
  return offscreenHashing(deps).hashFile;
}
