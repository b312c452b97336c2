/**
 * Chrome stops an idle extension service worker after about 30 s, and a file:// read or a
 * release-data fetch does not count as activity. Chrome's documented remedy for a long
 * operation is to call a trivial extension API every ~25 s while it runs ("Keep a service
 * worker alive until a long-running operation is finished", developer.chrome.com, extension
 * service worker lifecycle); we do that only while hashing or verifying. Firefox keeps an
 * event page alive while a webRequest StreamFilter is active, and the ping is harmless there.
 */
import { settled } from '../../core/settled.js';
import { browser } from '../../extension/browser-api.js';

const PING_MS = 25_000;
let holders = 0;
let timer: ReturnType<typeof setInterval> | undefined;

function ping(): void {
  // Any answer (or none) has done its job: the call itself keeps the worker alive.
  void settled(browser.runtime.getPlatformInfo());
}

/** Keep the background alive until `work` settles. Nested calls share one timer. */
export async function whileAlive<T>(work: () => Promise<T>): Promise<T> {
  holders += 1;
  timer ??= setInterval(ping, PING_MS);
  try {
    return await work();
  } finally {
    holders -= 1;
    if (holders === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  }
}
