/**
 * Chromium: opens the welcome page (welcome.html) on install and the first time a download
 * waits for its file because file access is off (the rules: src/extension/file-access.ts).
 * Each is remembered in storage, so a restarted service worker does not open it again.
 */
import type { BrowserPort } from '../../extension/browser-api.js';
import { idOfDownloadKey, STORAGE_KEYS, type StorageAreaLike } from '../../extension/storage.js';
import {
  parseWelcomeRecord,
  startsAwaitingFile,
  welcomeDue,
  type WelcomeTrigger,
} from '../../extension/file-access.js';
import { logWarning } from '../../extension/log.js';

export class FileAccessWelcome {
  /** One decision at a time: two downloads finishing together open one page. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      browser: Pick<BrowserPort, 'extension' | 'tabs' | 'runtime'>;
      area: StorageAreaLike;
      now(): string;
    },
  ) {}

  /** runtime.onInstalled: a fresh install (not an update) gets the page while file access is off. */
  onInstalled(reason: string): Promise<void> {
    return reason === 'install' ? this.open('install') : Promise.resolve();
  }

  /** storage.onChanged (local): the first download that waits for its file opens the page. */
  onStorageChanged(changes: Record<string, { oldValue?: unknown; newValue?: unknown }>): Promise<void> {
    const matters = Object.entries(changes).some(
      ([key, change]) => idOfDownloadKey(key) !== undefined && startsAwaitingFile(change),
    );
    return matters ? this.open('firstNeed') : Promise.resolve();
  }

  private open(trigger: WelcomeTrigger): Promise<void> {
    const run = this.queue.then(() => this.openNow(trigger));
    this.queue = run.catch(logWarning('welcome page not opened'));
    return run;
  }

  private async openNow(trigger: WelcomeTrigger): Promise<void> {
    const { browser, area } = this.deps;
    const record = parseWelcomeRecord((await area.get(STORAGE_KEYS.fileAccessWelcome))[STORAGE_KEYS.fileAccessWelcome]);
    let fileAccess: boolean | 'unknown';
    try {
      fileAccess = await browser.extension.isAllowedFileSchemeAccess();
    } catch {
      fileAccess = 'unknown';
    }
    if (!welcomeDue(record, trigger, fileAccess)) return;
    await area.set({ [STORAGE_KEYS.fileAccessWelcome]: { ...record, [trigger]: this.deps.now() } });
    await browser.tabs.create({ url: browser.runtime.getURL('welcome.html') });
  }
}
