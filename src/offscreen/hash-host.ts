/**
 * The offscreen document's one job (Chrome): hash a finished download for the background,
 * which as a service worker cannot start workers. Each connection on the hash port carries one
 * request (src/wire/offscreen-protocol.ts); the file is read through its file: URL by the
 * same hashing workers the verification page uses, one per algorithm. Only the extension's own
 * background may connect; when it disconnects (cancel, or the service worker stopped), the
 * workers are stopped at once.
 */
import { errorInfo, IsoVerifyError } from '../core/errors.js';
import type { HashAlgorithm, HashProgress } from '../core/hash/types.js';
import {
  OFFSCREEN_HASH_PORT,
  parseOffscreenHashRequest,
  type OffscreenHashReply,
  type ProtocolPort,
} from '../wire/offscreen-protocol.js';
import type { HashInput, ResumeStates, WorkerHashResult } from '../wire/worker-protocol.js';

/** The document's end of the Port, with who opened it. */
export interface HostPort extends ProtocolPort<OffscreenHashReply> {
  name: string;
  sender?: { id?: string; url?: string; tab?: unknown };
}

export interface HashHostDeps {
  extensionId: string;
  /** The background script's URL: the only sender accepted. */
  backgroundUrl: string;
  hash(
    input: HashInput,
    options: {
      algorithms: HashAlgorithm[];
      total?: number;
      resumeFrom?: ResumeStates;
      signal: AbortSignal;
      onProgress: (progress: HashProgress) => void;
    },
  ): Promise<WorkerHashResult>;
}

/** Whether `port` is the background's hash port; anything else is closed unanswered. */
export function isBackgroundHashPort(
  port: HostPort,
  deps: Pick<HashHostDeps, 'extensionId' | 'backgroundUrl'>,
): boolean {
  const sender = port.sender;
  return (
    port.name === OFFSCREEN_HASH_PORT &&
    sender?.id === deps.extensionId &&
    sender.url === deps.backgroundUrl &&
    sender.tab === undefined
  );
}

/** Serve one connection. Returns false (and closes the port) when it is not the background's. */
export function serveHashPort(port: HostPort, deps: HashHostDeps): boolean {
  if (!isBackgroundHashPort(port, deps)) {
    if (port.name === OFFSCREEN_HASH_PORT) port.disconnect();
    return false;
  }
  const controller = new AbortController();
  let open = true;
  const post = (reply: OffscreenHashReply) => {
    if (!open) return;
    try {
      port.postMessage(reply);
    } catch {
      open = false; // the background went away; onDisconnect stops the work
    }
  };
  port.onDisconnect.addListener(() => {
    open = false;
    controller.abort(new IsoVerifyError('aborted', 'the background disconnected'));
  });
  let started = false;
  port.onMessage.addListener((message) => {
    if (started) return; // one request per connection
    started = true;
    const request = parseOffscreenHashRequest(message);
    if (!request) {
      post({ type: 'error', error: { code: 'input-invalid-value', detail: 'not a hash request' } });
      return;
    }
    deps
      .hash(
        { url: request.url, ...(request.range ? { range: request.range } : {}) },
        {
          algorithms: request.algorithms,
          ...(request.total !== undefined ? { total: request.total } : {}),
          ...(request.resumeFrom ? { resumeFrom: request.resumeFrom } : {}),
          signal: controller.signal,
          onProgress: (progress) => post({ type: 'progress', progress }),
        },
      )
      .then(
        (result) => post({ type: 'done', bytes: result.bytes, states: result.states }),
        (error: unknown) => post({ type: 'error', error: errorInfo(error) }),
      );
  });
  return true;
}

/**
 * The background closes the document after its last hash; if it stopped mid-hash and never
 * comes back for that file, the document closes itself once no connection has been open for
 * `idleMs` (also when none ever arrives).
 */
export function closeWhenIdle(close: () => void, idleMs: number): { opened(): void; closed(): void } {
  let open = 0;
  let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(close, idleMs);
  return {
    opened() {
      open += 1;
      clearTimeout(timer);
      timer = undefined;
    },
    closed() {
      open = Math.max(0, open - 1);
      if (open === 0) timer = setTimeout(close, idleMs);
    },
  };
}
