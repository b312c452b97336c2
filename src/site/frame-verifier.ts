/**
 * Content-script side of verify-frame.html. Why a frame: hashing and verification must run in
 * the extension's own context — its profile, its pinned key, its trust state (rollback
 * protection) — and off the page's main thread. A content script cannot start a Worker from
 * the extension's origin in Chrome, and it shares the page's thread and (in Firefox) part of
 * its CSP; an extension page in a hidden iframe has none of these problems and is the same
 * code in both browsers. The frame is web-accessible to the official site's origin only.
 *
 * Where the frame lives: its URL names the extension (in Firefox a random per-install UUID that
 * survives clearing cookies: a tracking identifier), so page scripts must not be able to read
 * it. The frame is put into a CLOSED shadow root whose host is an empty element; the root is
 * held only by this content script, so `querySelector`, `host.shadowRoot`, `outerHTML` and
 * mutation observers in the page see the bare host, never the iframe or its `src`.
 */
import { IsoVerifyError } from '../core/errors.js';
import type { HashProgress } from '../core/hash/types.js';
import type { Verdict } from '../core/verdict.js';
import { FRAME_CHANNEL, type FrameConnect, type FrameReply, type FrameRequest } from '../wire/frame-protocol.js';
import type { FileVerifier } from './page-bridge.js';
import { log } from '../extension/log.js';

/**
 * How long the frame may take to load (its page and scripts, from the extension) and then to
 * say it is ready. Counted separately: a busy machine or extension (another tab flooding the
 * bridge) can delay the load a long time, and a fixed 15 s from creation then ended a
 * verification that would have worked with `internal` ("did not start").
 */
const LOAD_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 15_000;

interface Pending {
  resolve(verdict: Verdict): void;
  reject(error: unknown): void;
  onProgress(progress: HashProgress): void;
}

/**
 * An empty, hidden element in the page with a closed shadow root that will hold the frame.
 * Page scripts see the host (they could see any DOM change) but get `null` for its
 * `shadowRoot`, and a frame in a shadow tree is not in `window.frames`. The content script's
 * own world (Firefox's Xray view, Chrome's isolated world) is unaffected by page changes to
 * `attachShadow` or prototypes.
 */
export function frameHost(doc: Document): { root: ShadowRoot; remove(): void } {
  const host = doc.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  host.style.cssText = 'display:none !important';
  const root = host.attachShadow({ mode: 'closed' });
  doc.documentElement.appendChild(host);
  return { root, remove: () => host.remove() };
}

export function createFrameVerifier(frameUrl: string, doc: Document = document): FileVerifier {
  const frameOrigin = new URL(frameUrl).origin;
  const pending = new Map<string, Pending>();
  let port: Promise<MessagePort> | undefined;

  const onReply = (data: FrameReply) => {
    if (data.type === 'ready') return;
    const entry = pending.get(data.id);
    if (!entry) return;
    if (data.type === 'progress') entry.onProgress(data.progress);
    else {
      pending.delete(data.id);
      if (data.type === 'verdict') entry.resolve(data.verdict);
      else entry.reject(new IsoVerifyError(data.error.code, data.error.detail));
    }
  };

  /** Embed the frame once, hand it a port, and wait until it says it is ready. */
  const connect = (): Promise<MessagePort> =>
    new Promise<MessagePort>((resolve, reject) => {
      const frame = doc.createElement('iframe');
      frame.src = frameUrl;
      frame.setAttribute('aria-hidden', 'true');
      frame.tabIndex = -1;
      frame.style.cssText = 'display:none !important';
      const channel = new MessageChannel();
      const host = frameHost(doc);
      const fail = (detail: string) => {
        host.remove(); // a frame that never became ready is not left behind; the next send makes a new one
        channel.port1.close();
        reject(new IsoVerifyError('internal', detail));
      };
      let timer = setTimeout(() => fail('the verification frame did not load'), LOAD_TIMEOUT_MS);
      channel.port1.onmessage = (event: MessageEvent) => {
        const data = event.data as FrameReply;
        if (data?.type === 'ready') {
          clearTimeout(timer);
          resolve(channel.port1);
        }
        onReply(data);
      };
      frame.addEventListener(
        'load',
        () => {
          clearTimeout(timer);
          timer = setTimeout(() => fail('the verification frame did not start'), READY_TIMEOUT_MS);
          const hello: FrameConnect = { channel: FRAME_CHANNEL, type: 'connect' };
          frame.contentWindow?.postMessage(hello, frameOrigin, [channel.port2]);
        },
        { once: true },
      );
      host.root.appendChild(frame);
    });

  const send = async (request: FrameRequest) => {
    port ??= connect();
    try {
      (await port).postMessage(request);
    } catch (error) {
      port = undefined; // try a fresh frame next time
      throw error;
    }
  };

  return {
    verify(id, file, onProgress) {
      return new Promise<Verdict>((resolve, reject) => {
        pending.set(id, { resolve, reject, onProgress });
        send({ type: 'verify-file', id, file }).catch((error: unknown) => {
          pending.delete(id);
          reject(error);
        });
      });
    },
    cancel(id) {
      if (!pending.has(id)) return;
      // The frame may be gone already, and with it the verification: nothing is left to stop.
      void send({ type: 'cancel', id }).catch((error: unknown) => log.info('cancel not delivered', error));
    },
  };
}
