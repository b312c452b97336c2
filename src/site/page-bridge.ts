/**
 * The content script's side of the page bridge, without extension APIs (they are passed in),
 * so it can be tested with a fake window. It answers only requests that pass
 * `acceptPageRequest` (own window, exact official origin, strict schema) and posts every reply
 * to the official origin — never '*'.
 */
import { errorInfo } from '../core/errors.js';
import type { HashProgress } from '../core/hash/types.js';
import type { Verdict } from '../core/verdict.js';
import type { TrackedDownload } from '../wire/download.js';
import {
  acceptPageRequest,
  reply,
  summarizeDownloads,
  type ExtensionReply,
  type HelloInfo,
  type MessageEventLike,
  type PageRequest,
  type ReleaseOfName,
} from '../wire/page-protocol.js';

/** Verifies a File in the extension's own context (verify-frame.html), with the extension's profile. */
export interface FileVerifier {
  verify(id: string, file: File, onProgress: (progress: HashProgress) => void): Promise<Verdict>;
  cancel(id: string): void;
}

export interface BridgeWindow {
  location: { origin: string };
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  postMessage(message: unknown, targetOrigin: string): void;
}

export interface PageBridgeDeps {
  window: BridgeWindow;
  /** Origin of the profile's official site, e.g. "https://tails.net". */
  officialOrigin: string;
  hello: HelloInfo;
  /** The extension's tracked downloads (storage.local), unfiltered: summarizeDownloads picks what the page sees. */
  readDownloads(): Promise<TrackedDownload[]>;
  /** The release a file name is of (the profile's imagePattern). */
  releaseOf: ReleaseOfName;
  /** Subscribe to changes of the tracked downloads; returns an unsubscribe function. */
  onDownloadsChanged(listener: () => void): () => void;
  verifier: FileVerifier;
  /** Diagnostics for ignored messages (tests); never answered to the page. */
  onIgnored?(event: MessageEventLike): void;
}

export interface PageBridge {
  stop(): void;
}

export function startPageBridge(deps: PageBridgeDeps): PageBridge {
  const { window: win, officialOrigin } = deps;
  const send = (message: ExtensionReply) => win.postMessage(message, officialOrigin);
  /** The page's latest status request: status is sent again under this id whenever downloads change. */
  let watchId: string | undefined;
  let unsubscribe: (() => void) | undefined;
  /** What the page was last told under `watchId`: a change elsewhere must not show as a resend. */
  let lastSent: string | undefined;

  /**
   * Status requests waiting for the next read of the downloads (id → only if changed). One read
   * is in flight at a time and answers every request that was waiting when it started: a page
   * (or two tabs) sending thousands of requests costs one storage read at a time, not thousands
   * queued in the extension's storage ahead of the real work (verifications, the background).
   */
  const waiting = new Map<string, boolean>();
  let reading = false;

  const readAndAnswer = async () => {
    reading = true;
    try {
      while (waiting.size > 0) {
        const batch = [...waiting];
        waiting.clear();
        let downloads: TrackedDownload[] | undefined;
        let failure: unknown;
        try {
          downloads = await deps.readDownloads();
        } catch (error) {
          failure = error;
        }
        for (const [id, onlyIfChanged] of batch) {
          if (downloads === undefined) {
            send(reply(id, 'error', { error: errorInfo(failure) }));
            continue;
          }
          const message = reply(id, 'status', { downloads: summarizeDownloads(downloads, deps.releaseOf) });
          const text = JSON.stringify(message);
          if (onlyIfChanged && text === lastSent) continue;
          lastSent = text;
          send(message);
        }
      }
    } finally {
      reading = false;
    }
  };

  const sendStatus = (id: string, onlyIfChanged = false) => {
    // A request already waiting keeps its strongest form: an explicit request is always answered.
    waiting.set(id, (waiting.get(id) ?? true) && onlyIfChanged);
    if (!reading) void readAndAnswer();
  };

  const handle = (request: PageRequest) => {
    switch (request.type) {
      case 'hello':
        send(reply(request.id, 'hello', deps.hello));
        return;
      case 'status':
        watchId = request.id;
        unsubscribe ??= deps.onDownloadsChanged(() => {
          if (watchId) sendStatus(watchId, true);
        });
        sendStatus(request.id);
        return;
      case 'verify-file':
        deps.verifier
          .verify(request.id, request.file, (progress) => send(reply(request.id, 'progress', { progress })))
          .then(
            (verdict) => send(reply(request.id, 'verdict', { verdict })),
            (error: unknown) => send(reply(request.id, 'error', { error: errorInfo(error) })),
          );
        return;
      case 'cancel':
        deps.verifier.cancel(request.id);
        return;
    }
  };

  const listener = (event: MessageEventLike) => {
    const request = acceptPageRequest(event, win, officialOrigin);
    if (request) handle(request);
    else deps.onIgnored?.(event);
  };
  win.addEventListener('message', listener);
  return {
    stop() {
      win.removeEventListener('message', listener);
      unsubscribe?.();
    },
  };
}
