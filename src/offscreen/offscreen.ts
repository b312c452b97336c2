/**
 * Entry of Chrome's offscreen document (public/offscreen.html, reason WORKERS): it exists only
 * while the background has a finished download to hash (src/background/offscreen-hash.ts).
 */
import { browser } from '../extension/browser-api.js';
import { BACKGROUND_SCRIPT_PATH } from '../extension/offscreen-protocol.js';
import { hashInWorkers } from '../worker/client.js';
import { serveHashPort, type HostPort } from './hash-host.js';

const workerUrl = browser.runtime.getURL('hash-worker.js');
browser.runtime.onConnect.addListener((port) => {
  serveHashPort(port as unknown as HostPort, {
    extensionId: browser.runtime.id,
    backgroundUrl: browser.runtime.getURL(BACKGROUND_SCRIPT_PATH),
    hash: (input, options) => hashInWorkers(input, { ...options, workerUrl }),
  });
});
