/**
 * Extension glue shared by the pages: tracked downloads from storage (live via onChanged) and
 * typed requests to the background. Storage is read directly so a page shows state even while
 * the background service worker is asleep.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from './browser-api.js';
import { STORAGE_KEYS, type BackgroundRequest, type TrackedDownload } from './download.js';

/** Tolerate a missing or malformed value: anything not shaped like downloads is dropped. */
export function downloadsFrom(value: unknown): TrackedDownload[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.values(value as Record<string, unknown>).filter(
    (entry): entry is TrackedDownload =>
      typeof entry === 'object' && entry !== null && typeof (entry as TrackedDownload).id === 'string' && typeof (entry as TrackedDownload).fileName === 'string',
  );
}

export async function readDownloads(): Promise<TrackedDownload[]> {
  const stored = await browser.storage.local.get(STORAGE_KEYS.downloads);
  return downloadsFrom(stored[STORAGE_KEYS.downloads]);
}

/** Live list of tracked downloads; undefined until the first read finished. */
export function useDownloads(): TrackedDownload[] | undefined {
  const [downloads, setDownloads] = useState<TrackedDownload[] | undefined>(undefined);
  useEffect(() => {
    let live = true;
    readDownloads().then((list) => live && setDownloads(list), () => live && setDownloads([]));
    const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
      if (area === 'local' && STORAGE_KEYS.downloads in changes) setDownloads(downloadsFrom(changes[STORAGE_KEYS.downloads]?.newValue));
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => {
      live = false;
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, []);
  return downloads;
}

export function sendRequest<T = unknown>(request: BackgroundRequest): Promise<T> {
  return browser.runtime.sendMessage(request) as Promise<T>;
}
