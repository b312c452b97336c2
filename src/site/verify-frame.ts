/**
 * Entry of verify-frame.html: an extension page the content script embeds (hidden) in the
 * official site's page to verify a File the user picked there. It hashes with the extension's
 * worker and sends the hash state to the background, which decides with the extension's
 * profile, pinned key and trust state; the page supplies only the File.
 *
 * It accepts a port only from its parent window on the profile's official origin (the manifest
 * already makes the frame web-accessible to that origin only), runs one verification at a time
 * (a new file replaces the running one) and answers over the port.
 */
import { activeProfile } from '../extension/active-profile.js';
import { errorInfo, IsoVerifyError } from '../core/errors.js';
import { extensionVerifyDeps } from '../extension/verify-deps.js';
import { runVerification } from '../ui-kit/verify-flow.js';
import { isFrameConnect, parseFrameRequest, type FrameReply } from '../wire/frame-protocol.js';

const officialOrigin = new URL(activeProfile.officialSite).origin;
let running: { id: string; abort: AbortController } | undefined;

function serve(port: MessagePort): void {
  const post = (message: FrameReply) => port.postMessage(message);
  port.onmessage = (event: MessageEvent) => {
    const request = parseFrameRequest(event.data);
    if (!request) return;
    if (request.type === 'cancel') {
      if (running?.id === request.id) running.abort.abort();
      return;
    }
    running?.abort.abort();
    const abort = new AbortController();
    const current = { id: request.id, abort };
    running = current;
    // Only the verdict is needed here; rebuilders are the extension's own pages' business.
    runVerification(request.file, extensionVerifyDeps({ repro: false }), {
      signal: abort.signal,
      onProgress: (progress) => post({ type: 'progress', id: request.id, progress }),
      onVerdict: () => undefined,
    })
      .then(({ verdict }) => {
        if (abort.signal.aborted) throw new IsoVerifyError('aborted');
        post({ type: 'verdict', id: request.id, verdict });
      })
      .catch((error: unknown) => post({ type: 'error', id: request.id, error: errorInfo(error) }))
      .finally(() => {
        if (running === current) running = undefined;
      });
  };
  post({ type: 'ready' });
}

window.addEventListener('message', (event: MessageEvent) => {
  if (window.parent === window || event.source !== window.parent) return;
  if (event.origin !== officialOrigin || !isFrameConnect(event.data)) return;
  const port = event.ports[0];
  if (event.ports.length !== 1 || !port) return;
  serve(port);
});
