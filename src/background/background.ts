/**
 * Background entry (Chrome: service worker; Firefox: event page). Every listener is added
 * synchronously at top level, so an event that wakes the background finds its listener;
 * the state they act on is in storage, never only in memory.
 */
import { KeyValueTrustState } from '../core/freshness.js';
import { createCappedFetcher } from '../core/net/capped-fetch.js';
import { profileAllowsLoopbackHttp } from '../core/profile.js';
import { wasmEngine } from '../core/hash/wasm-engine.js';
import { activeProfile } from '../extension/active-profile.js';
import { browser, canFilterResponses, offscreenApi, type Runtime } from '../extension/browser-api.js';
import { DownloadsWriter } from '../extension/downloads-store.js';
import { idOfDownloadKey, STORAGE_KEYS, type StorageAreaLike } from '../extension/storage.js';
import { sessionArea } from '../extension/memory-area.js';
import { HISTORY_ALARM, HISTORY_ALARM_PERIOD_MINUTES, HistoryKeeper } from './history-keeper.js';
import { hashLocalFile } from './chromium/chrome-file.js';
import { GrowingFileHashes } from './chromium/growing-file.js';
import { offscreenHashing } from './chromium/offscreen-hash.js';
import { OFFSCREEN_DOCUMENT_PATH, OFFSCREEN_HASH_PORT } from '../wire/offscreen-protocol.js';
import { log, logError } from '../extension/log.js';
import { Controller } from './controller.js';
import { StreamHasher } from './firefox/firefox-stream.js';
import { whileAlive } from './chromium/keep-alive.js';
import { handleMessage } from './messages.js';
import { MirrorPoolCache, type CachedMirrorPool } from './mirror-pool-cache.js';
import { trackedIdFromNotification } from './notification-text.js';
import { needsWatchdog, WATCHDOG_ALARM, WATCHDOG_PERIOD_MINUTES } from './watchdog.js';
import { nextRedecideAt, REDECIDE_ALARM } from './redecide.js';
import { FileAccessWelcome } from './chromium/file-access-welcome.js';
import { StateStore } from './state-store.js';
import { singleFlight } from './single-flight.js';
import type { TrackedDownload } from '../wire/download.js';
import { Takeover } from './firefox/takeover.js';
import { backgroundVerification, MaterialCache } from './verification.js';
import { loadPersonRepro } from '../extension/person-reproducers.js';
import { dateOf, isoOf, platformClock } from './clock.js';

const profile = activeProfile;
// The one clock every decision by time reads (clock.ts): the person's, right or wrong.
const clock = platformClock;
const nowIso = (): string => isoOf(clock);

// On disk: the rollback record (trust state), settings, and downloads of ordinary windows for
// the time the person chose. In memory only (storage.session): private-window downloads, the
// Firefox stream-hash records (URLs, hash states) and the mirror pool. README "What is stored".
const session = sessionArea(browser.storage as { session?: StorageAreaLike });
const store = new StateStore(browser.storage.local);
const sessionStore = new StateStore(session);
const history: HistoryKeeper = new HistoryKeeper({
  area: browser.storage.local,
  downloads: { expire: (now: number, days: number): Promise<number> => downloads.expire(now, days) },
  nowMs: () => clock.nowMs(),
});
const downloads: DownloadsWriter = new DownloadsWriter(browser.storage.local, {
  session,
  keepNoHistory: (): Promise<boolean> => history.keepsNoHistory(),
});
// cache 'no-store': nothing fetched for a verification (release data, signatures named after the
// image) is written to the browser's disk cache; MaterialCache keeps it in memory.
const fetcher = createCappedFetcher((input, init) => globalThis.fetch(input, { ...init, cache: 'no-store' }), {
  allowLoopbackHttp: profileAllowsLoopbackHttp(profile),
});
const pool = new MirrorPoolCache({
  profile,
  fetcher,
  read: () => sessionStore.readKey(STORAGE_KEYS.mirrorPool),
  write: (value: CachedMirrorPool) => sessionStore.writeKey(STORAGE_KEYS.mirrorPool, value),
  now: () => clock.nowMs(),
});
const materials = new MaterialCache(profile, fetcher, () => clock.nowMs());
const trustState = new KeyValueTrustState(
  {
    read: () => store.readKey(STORAGE_KEYS.trustState),
    write: (value) => store.writeKey(STORAGE_KEYS.trustState, value),
  },
  // The refreshed signing key, kept so that later checks without a connection still know it.
  {
    read: () => store.readKey(STORAGE_KEYS.signingKeys),
    write: (value) => store.writeKey(STORAGE_KEYS.signingKeys, value),
  },
);

// The stream hasher reports by download id to the controller, which is made after it (the
// callbacks run only once requests arrive, long after start-up).
const stream = canFilterResponses()
  ? new StreamHasher({
      browser,
      profile,
      engine: wasmEngine,
      store: sessionStore,
      poolNow: () => pool.snapshot(),
      pool: () => pool.cached(),
      onProgress: (downloadId, progress) => controller.tracking.onStreamProgress(downloadId, progress),
      onSettled: (downloadId) => void controller.tracking.onStreamSettled(downloadId).catch(logError('stream settled')),
      pauseDownload: (downloadId) => browser.downloads.pause(downloadId),
      now: () => clock.nowMs(),
    })
  : undefined;

// Chrome: a download is hashed in the offscreen document's workers (offscreen-hash.ts), most of
// it while Chrome writes it (growing-file.ts), the rest when it is finished.
const offscreen = stream ? undefined : offscreenApi();
const offscreenHashes = offscreen
  ? offscreenHashing({
      offscreen,
      documentUrl: browser.runtime.getURL(OFFSCREEN_DOCUMENT_PATH),
      connect: () => browser.runtime.connect({ name: OFFSCREEN_HASH_PORT }),
      fallback: hashLocalFile,
    })
  : undefined;
const hashFile = offscreenHashes?.hashFile ?? hashLocalFile;
const growing = offscreenHashes
  ? new GrowingFileHashes({
      hashRange: offscreenHashes.hashRange,
      fileAccess: () => browser.extension.isAllowedFileSchemeAccess(),
      log: (message, detail) => log.info(message, detail ?? ''),
    })
  : undefined;

const controller = new Controller(
  {
    browser,
    profile,
    downloads,
    pool,
    materials,
    verification: backgroundVerification({
      profile,
      fetcher,
      materials,
      trustState,
      // The person's own reproducers and k-of-n (options page) are read at each check.
      person: () => loadPersonRepro(profile),
      pool: () => pool.cached(),
      now: () => dateOf(clock),
    }),
    engine: wasmEngine,
    hashFile,
    ...(growing ? { growing } : {}),
    ...(stream ? { stream } : {}),
    now: nowIso,
  },
  { keepAlive: whileAlive },
);
const { tracking, requests, delivery } = controller;
// Firefox: a download of an image the browser started by itself is started again by us, so it is hashed (takeover.ts).
const takeover = new Takeover({
  browser,
  profile,
  pool,
  ...(stream ? { stream } : {}),
  tracking,
  downloads,
  now: nowIso,
});

browser.downloads.onCreated.addListener((item) => void takeover.onCreated(item).catch(logError('onCreated')));
browser.downloads.onChanged.addListener((delta) => {
  if (!takeover.owns(delta.id)) void tracking.onChanged(delta).catch(logError('onChanged'));
});
browser.downloads.onErased.addListener((id) => void tracking.onErased(id).catch(logError('onErased')));
stream?.register();

browser.notifications.onClicked.addListener((notificationId) => {
  const id = trackedIdFromNotification(notificationId);
  if (id) void requests.onNotificationClicked(id).catch(logError('notification click'));
});

async function updateWatchdog(list?: TrackedDownload[]): Promise<void> {
  const unfinished = needsWatchdog(list ?? (await downloads.list()));
  if (!unfinished) await browser.alarms.clear(WATCHDOG_ALARM);
  else if (!(await browser.alarms.get(WATCHDOG_ALARM)))
    browser.alarms.create(WATCHDOG_ALARM, { periodInMinutes: WATCHDOG_PERIOD_MINUTES });
}

/** One alarm at the earliest automatic attempt to decide again a verdict that lacked release data. */
async function updateRedecideAlarm(list: TrackedDownload[]): Promise<void> {
  const at = nextRedecideAt(list);
  if (at === undefined) {
    await browser.alarms.clear(REDECIDE_ALARM);
    return;
  }
  const current = await browser.alarms.get(REDECIDE_ALARM);
  if (current?.scheduledTime !== at)
    browser.alarms.create(REDECIDE_ALARM, { when: Math.max(at, clock.nowMs() + 1000) });
}

// The watchdog's only job is to start a stopped background; the start itself resumes the work.
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === HISTORY_ALARM) void history.expire().catch(logError('history'));
  if (alarm.name === REDECIDE_ALARM) void controller.redecideDue().catch(logError('deciding again'));
  void updateWatchdog().catch(logError('watchdog'));
});

// Chromium without file access: the one-time set-up page, on install and when it first matters.
const welcome = stream ? undefined : new FileAccessWelcome({ browser, area: browser.storage.local, now: nowIso });
browser.runtime.onInstalled.addListener(
  (details) => void welcome?.onInstalled(details.reason).catch(logError('welcome')),
);
// Firefox: load the mirror pool at install, so the options page can offer the one-time mirror
// access before the first download (the README's promise), not only after it.
if (stream) browser.runtime.onInstalled.addListener(() => void pool.get().catch(logError('mirror pool')));

// What follows a change of the downloads: one read of them for the badge, the watchdog and the
// retry alarm, never more than one at a time (single-flight.ts).
const afterDownloadsChanged = singleFlight(async () => {
  const list = await downloads.list().catch(logError('downloads'));
  if (!list) return;
  await Promise.all([
    delivery.refreshBadge(list).catch(logError('badge')),
    updateWatchdog(list).catch(logError('watchdog')),
    updateRedecideAlarm(list).catch(logError('redecide alarm')),
  ]);
});

browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local') void history.onStorageChanged(changes).catch(logError('history'));
  if (
    (area !== 'local' && area !== 'session') ||
    !Object.keys(changes).some((key) => idOfDownloadKey(key) !== undefined)
  )
    return;
  void welcome?.onStorageChanged(changes).catch(logError('welcome'));
  afterDownloadsChanged();
});

const senderPolicy = {
  extensionId: browser.runtime.id,
  extensionOrigin: browser.runtime.getURL(''),
  officialSite: profile.officialSite,
};
browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
  handleMessage(requests, senderPolicy, message, sender),
);

// Chrome: the official site's content script may read storage.session (it lists only the records
// of its own kind of window, src/site/bridge.ts). Firefox has no setAccessLevel (bug 1724754).
const sessionAccess = (
  browser.storage.session as { setAccessLevel?: (options: { accessLevel: string }) => Promise<void> } | undefined
)?.setAccessLevel;
if (sessionAccess)
  void sessionAccess
    .call(browser.storage.session, { accessLevel: 'TRUSTED_AND_UNTRUSTED_CONTEXTS' })
    .catch(logError('session access'));

// Forget the history that is due, now and every hour.
void history.expire().catch(logError('history'));
void browser.alarms.get(HISTORY_ALARM).then((alarm) => {
  if (!alarm) browser.alarms.create(HISTORY_ALARM, { periodInMinutes: HISTORY_ALARM_PERIOD_MINUTES });
}, logError('history alarm'));

// Warm the mirror pool (so the first download is recognised) and resume unfinished work.
void pool.get().catch(logError('mirror pool'));
void controller.resumeOnStartup().catch(logError('start-up'));
