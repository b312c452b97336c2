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

const reader = new DownloadsReader(browser.storage.local, browser.storage.onChanged);

export function readDownloads(): Promise<TrackedDownload[]> {
  return reader.list();
}

/** Live list of tracked downloads; undefined until the first read finished. */
export function useDownloads(): TrackedDownload[] | undefined {
  const [downloads, setDownloads] = useState<TrackedDownload[] | undefined>(undefined);
  useEffect(() => reader.subscribe(setDownloads, (error) => log.warn('downloads not read', error)), []);
  return downloads;
}

export function askBackground<R extends BackgroundRequest>(request: R): Promise<Reply<ReplyValue<R>>> {
  return sendRequest(browser.runtime, request);
}
