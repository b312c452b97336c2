/**
 * Background entry (Chrome: service worker; Firefox: event page). Every listener is added
 * synchronously at top level, so an event that wakes the background finds its listener;
 * the state they act on is in storage, never only in memory.
 */
import { errorInfo } from '../core/errors.js';
import { createCappedFetcher, isLoopbackHost } from '../core/net/capped-fetch.js';
import { wasmEngine } from '../core/hash/wasm-engine.js';
import { activeProfile } from '../extension/active-profile.js';
import { browser, canFilterResponses, type Runtime } from '../extension/browser-api.js';
import { Controller } from './controller.js';
import { StreamHasher } from './firefox-stream.js';
import { handleMessage } from './messages.js';
import { MirrorPoolCache, type CachedMirrorPool } from './mirror-pool-cache.js';
import { trackedIdFromNotification } from './notification-text.js';
import { needsWatchdog, WATCHDOG_ALARM, WATCHDOG_PERIOD_MINUTES } from './watchdog.js';
import { STORAGE_KEYS } from '../extension/download.js';
import { StateStore } from './state-store.js';
import { Throttle } from './throttle.js';
import { MaterialCache } from './verification.js';

const profile = activeProfile;

function allowsLoopbackHttp(): boolean {
  const site = new URL(profile.officialSite);
  return site.protocol === 'http:' && isLoopbackHost(site.hostname);
}

const store = new StateStore(browser.storage.local);
const fetcher = createCappedFetcher(globalThis.fetch.bind(globalThis), { allowLoopbackHttp: allowsLoopbackHttp() });
const pool = new MirrorPoolCache({
  profile,
  fetcher,
  read: () => store.readKey(STORAGE_KEYS.mirrorPool),
  write: (value: CachedMirrorPool) => store.writeKey(STORAGE_KEYS.mirrorPool, value),
});
const materials = new MaterialCache(profile, fetcher);

let controller: Controller;
const streamProgress = new Map<string, Throttle<Parameters<Controller['onStreamProgress']>>>();
const stream = canFilterResponses()
  ? new StreamHasher({
      profile,
      engine: wasmEngine,
      store,
      poolNow: () => pool.snapshot(),
      pool: () => pool.cached(),
      onProgress: (urls, progress) => {
        const key = urls[0]!;
        let throttle = streamProgress.get(key);
        if (!throttle) {
          throttle = new Throttle((args) => void controller.onStreamProgress(...args).catch(logError('progress')), 500);
          streamProgress.set(key, throttle);
        }
        throttle.push([urls, progress]);
      },
      onSettled: (urls) => {
        streamProgress.get(urls[0]!)?.cancel();
        streamProgress.delete(urls[0]!);
        void controller.onStreamSettled(urls).catch(logError('stream settled'));
      },
    })
  : undefined;

controller = new Controller({ profile, store, pool, materials, fetcher, engine: wasmEngine, ...(stream ? { stream } : {}) });

function logError(what: string): (error: unknown) => void {
  return (error) => console.error(`ISO Verify: ${what} failed`, errorInfo(error));
}

browser.downloads.onCreated.addListener((item) => void controller.onCreated(item).catch(logError('onCreated')));
browser.downloads.onChanged.addListener((delta) => void controller.onChanged(delta).catch(logError('onChanged')));
browser.downloads.onErased.addListener((id) => void controller.onErased(id).catch(logError('onErased')));
stream?.register();

browser.notifications.onClicked.addListener((notificationId) => {
  const id = trackedIdFromNotification(notificationId);
  if (id) void controller.onNotificationClicked(id).catch(logError('notification click'));
});

async function updateWatchdog(): Promise<void> {
  const unfinished = needsWatchdog(Object.values(await store.downloads()));
  if (!unfinished) await browser.alarms.clear(WATCHDOG_ALARM);
  else if (!(await browser.alarms.get(WATCHDOG_ALARM))) browser.alarms.create(WATCHDOG_ALARM, { periodInMinutes: WATCHDOG_PERIOD_MINUTES });
}

// The alarm's only job is to start a stopped background; the start itself resumes the work.
browser.alarms.onAlarm.addListener(() => void updateWatchdog().catch(logError('watchdog')));

browser.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local' || !(STORAGE_KEYS.downloads in changes)) return;
  void controller.refreshBadge().catch(logError('badge'));
  void updateWatchdog().catch(logError('watchdog'));
});

const senderPolicy = {
  extensionId: browser.runtime.id,
  extensionOrigin: browser.runtime.getURL(''),
  officialSite: profile.officialSite,
};
browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => handleMessage(controller, senderPolicy, message, sender));

// Warm the mirror pool (so the first download is recognised) and resume unfinished work.
void pool.get().catch(logError('mirror pool'));
void controller.resumeOnStartup().catch(logError('start-up'));
