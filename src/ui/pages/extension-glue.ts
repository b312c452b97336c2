/**
 * The pages' link to the extension: tracked downloads from storage (live, through the
 * kernel's DownloadsReader) and typed requests to the background. Storage is read directly so
 * a page shows state even while the background service worker is asleep.
 */
import { useEffect, useState } from 'preact/hooks';
import { sendRequest } from '../../extension/background-client.js';
import { browser } from '../../extension/browser-api.js';
import type { TrackedDownload } from '../../wire/download.js';
import { DownloadsReader } from '../../extension/downloads-store.js';
import type { BackgroundRequest, Reply, ReplyValue } from '../../wire/messages.js';
import { log } from '../../extension/log.js';
import { isInPrivateWindow } from '../../extension/private-window.js';

// storage.local holds the history, storage.session private-window downloads (downloads-store.ts).
const areas = [browser.storage.local, browser.storage.session].filter((area) => area !== undefined);
const reader = new DownloadsReader(areas, browser.storage.onChanged);
// Lists show a private window's downloads in private windows only (private-window.ts).
const inPrivateWindow = isInPrivateWindow(browser);
const listed: Promise<DownloadsReader> = inPrivateWindow.then(
  (inPrivate) =>
    new DownloadsReader(areas, browser.storage.onChanged, {
      visible: (d) => (d.private === true) === inPrivate,
    }),
);

/** Every download, live (the verify page follows the one its notification named, in whatever window it opens). */
export function watchAllDownloads(listener: (downloads: TrackedDownload[]) => void): () => void {
  return reader.subscribe(listener, (error) => log.warn('downloads not read', error));
}

/** Live list of tracked downloads; undefined until the first read finished. */
export function useDownloads(): TrackedDownload[] | undefined {
  const [downloads, setDownloads] = useState<TrackedDownload[] | undefined>(undefined);
  useEffect(() => {
    let unsubscribe: (() => void) | undefined;
    let live = true;
    void listed.then((reader) => {
      if (live) unsubscribe = reader.subscribe(setDownloads, (error) => log.warn('downloads not read', error));
    });
    return () => {
      live = false;
      unsubscribe?.();
    };
  }, []);
  return downloads;
}

export function askBackground<R extends BackgroundRequest>(request: R): Promise<Reply<ReplyValue<R>>> {
  return sendRequest(browser.runtime, request);
}
