/**
 * The widget's side of the page bridge (src/wire/page-protocol.ts): is the ISO Verify extension
 * there, what did it see of this release's downloads, and "verify this file with your own
 * key". Requests go to the page's own origin; replies count only from this window, this origin,
 * the content script's direction and an id we are waiting for.
 */
import { IsoVerifyError } from '../core/errors.js';
import type { HashProgress } from '../core/hash/types.js';
import type { Verdict } from '../core/verdict.js';
import {
  acceptExtensionReply,
  pageRequest,
  type DownloadSummary,
  type ExtensionReply,
  type HelloInfo,
  type MessageEventLike,
  type PageRequest,
} from '../wire/page-protocol.js';

export interface ExtensionBridge {
  /** The extension's hello, or undefined when nothing answered in time. */
  hello(): Promise<HelloInfo | undefined>;
  /** Follow the extension's tracked downloads; returns a stop function. */
  watchStatus(onStatus: (downloads: DownloadSummary[]) => void): () => void;
  verifyFile(
    file: File,
    options: { onProgress: (progress: HashProgress) => void; signal: AbortSignal },
  ): Promise<Verdict>;
}

export interface BridgeClientWindow {
  location: { origin: string };
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  postMessage(message: unknown, targetOrigin: string): void;
}

/** When to ask again: a content script injected late (document_idle) still gets found. */
const HELLO_SCHEDULE_MS = [0, 250, 750, 1500, 2500];
const HELLO_GIVE_UP_MS = 3000;

let counter = 0;
function newId(): string {
  counter += 1;
  return `w${Math.random().toString(36).slice(2, 10)}-${counter}`;
}

export function createExtensionBridge(win: BridgeClientWindow): ExtensionBridge {
  const handlers = new Map<string, (reply: ExtensionReply) => void>();
  win.addEventListener('message', (event) => {
    const reply = acceptExtensionReply(event, win);
    if (reply) handlers.get(reply.id)?.(reply);
  });
  const send = (request: PageRequest) => win.postMessage(request, win.location.origin);

  return {
    hello() {
      return new Promise<HelloInfo | undefined>((resolve) => {
        const id = newId();
        const timers: ReturnType<typeof setTimeout>[] = [];
        const finish = (info: HelloInfo | undefined) => {
          handlers.delete(id);
          timers.forEach(clearTimeout);
          resolve(info);
        };
        handlers.set(id, (reply) => {
          if (reply.type === 'hello')
            finish({
              extension: reply.extension,
              version: reply.version,
              profile: reply.profile,
              product: reply.product,
            });
        });
        for (const delay of HELLO_SCHEDULE_MS) timers.push(setTimeout(() => send(pageRequest('hello', id)), delay));
        timers.push(setTimeout(() => finish(undefined), HELLO_GIVE_UP_MS));
      });
    },

    watchStatus(onStatus) {
      const id = newId();
      handlers.set(id, (reply) => {
        if (reply.type === 'status') onStatus(reply.downloads);
      });
      send(pageRequest('status', id));
      return () => handlers.delete(id);
    },

    verifyFile(file, { onProgress, signal }) {
      return new Promise<Verdict>((resolve, reject) => {
        if (signal.aborted) return reject(new IsoVerifyError('aborted'));
        const id = newId();
        const onAbort = () => {
          handlers.delete(id);
          send(pageRequest('cancel', id));
          reject(new IsoVerifyError('aborted'));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        handlers.set(id, (reply) => {
          if (reply.type === 'progress') return onProgress(reply.progress);
          if (reply.type !== 'verdict' && reply.type !== 'error') return;
          handlers.delete(id);
          signal.removeEventListener('abort', onAbort);
          if (reply.type === 'verdict') resolve(reply.verdict);
          else reject(new IsoVerifyError(reply.error.code, reply.error.detail));
        });
        send(pageRequest('verify-file', id, file));
      });
    },
  };
}
