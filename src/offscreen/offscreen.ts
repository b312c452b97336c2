/**
 * Entry of Chrome's offscreen document (public/offscreen.html, reason WORKERS): it exists only
 * while the background has a finished download to hash (src/background/chromium/offscreen-hash.ts).
 */
import { browser } from '../extension/browser-api.js';
import { BACKGROUND_SCRIPT_PATH } from '../wire/offscreen-protocol.js';
import { hashInWorkers } from '../worker/client.js';
import { closeWhenIdle, serveHashPort, type HostPort } from './hash-host.js';

/** Idle time after which the document closes itself (window.close() closes an offscreen document). */
const IDLE_CLOSE_MS = 60_000;

const workerUrl = browser.runtime.getURL('hash-worker.js');
const idle = closeWhenIdle(() => window.close(), IDLE_CLOSE_MS);
browser.runtime.onConnect.addListener((port) => {
  const served = serveHashPort(port as unknown as HostPort, {
    extensionId: browser.runtime.id,
    backgroundUrl: browser.runtime.getURL(BACKGROUND_SCRIPT_PATH),
    hash: (input, options) => hashInWorkers(input, { ...options, workerUrl }),
  });
  if (!served) return;
  idle.opened();
  port.onDisconnect.addListener(() => idle.closed());
});
