/**
 * Tracked downloads in storage: pages and the content script read and follow them here
 * (`DownloadsReader`); the background alone changes them (`DownloadsWriter`). Each download
 * is its own key (storage.ts), so a write touches one record and a follower patches one entry.
 *
 * Two areas: `storage.local` (on disk) holds the history of downloads made in ordinary
 * windows, for the period the person chose (src/extension/history.ts); `storage.session`
 * (memory only, gone when the browser quits) holds every download made in a private window,
 * and every download while the person keeps no history. A record is never in both.
 */
import { parseTrackedDownload, type TrackedDownload } from '../wire/download.js';
import { isExpired } from './history.js';
import {
  downloadKey,
  idOfDownloadKey,
  STORAGE_KEYS,
  type StorageAreaLike,
  type StorageChangeEvents,
  type StorageChangeListener,
} from './storage.js';

/** Every parsable record of `items` (a storage.get result), keyed by tracked id. */
function downloadsIn(items: Record<string, unknown>): Map<string, TrackedDownload> {
  const out = new Map<string, TrackedDownload>();
  for (const [key, value] of Object.entries(items)) {
    const id = idOfDownloadKey(key);
    if (id === undefined) continue;
    const download = parseTrackedDownload(value);
    if (download && download.id === id) out.set(id, download);
  }
  return out;
}

/** The storage areas (storage.onChanged names) that hold download records. */
const DOWNLOAD_AREAS = new Set(['local', 'session']);

/** Call `listener` with the changed download records (key → new value) whenever one changes. */
export function followDownloadChanges(
  events: StorageChangeEvents,
  listener: (changes: Record<string, { newValue?: unknown }>) => void,
): () => void {
  const onChanged: StorageChangeListener = (changes, area) => {
    if (DOWNLOAD_AREAS.has(area) && Object.keys(changes).some((key) => idOfDownloadKey(key) !== undefined))
      listener(changes);
  };
  events.addListener(onChanged);
  return () => events.removeListener(onChanged);
}

type ReadableArea = Pick<StorageAreaLike, 'get'>;

export interface ReaderOptions {
  /** Only records this accepts are listed (the official site's content script: the records of its own kind of window). */
  visible?: (download: TrackedDownload) => boolean;
}

/** Read `keys` of every area, merged; an area that cannot be read (storage.session in a content script) counts as empty. */
async function readAll(areas: readonly ReadableArea[], keys: string | null): Promise<Map<string, TrackedDownload>> {
  const out = new Map<string, TrackedDownload>();
  for (const area of areas) {
    let items: Record<string, unknown>;
    try {
      items = await area.get(keys);
    } catch (error) {
      if (area === areas[0]) throw error;
      continue;
    }
    for (const [id, download] of downloadsIn(items)) out.set(id, download);
  }
  return out;
}

export class DownloadsReader {
  private readonly areas: readonly ReadableArea[];

  /** `area`: storage.local, or [storage.local, storage.session] (see the header comment). */
  constructor(
    area: ReadableArea | readonly ReadableArea[],
    private readonly events?: StorageChangeEvents,
    private readonly options: ReaderOptions = {},
  ) {
    this.areas = Array.isArray(area) ? area : [area as ReadableArea];
  }

  private shown(downloads: Map<string, TrackedDownload>): Map<string, TrackedDownload> {
    const visible = this.options.visible;
    if (!visible) return downloads;
    for (const [id, download] of downloads) if (!visible(download)) downloads.delete(id);
    return downloads;
  }

  async list(): Promise<TrackedDownload[]> {
    return [...this.shown(await readAll(this.areas, null)).values()];
  }

  async get(id: string): Promise<TrackedDownload | undefined> {
    return this.shown(await readAll(this.areas, downloadKey(id))).get(id);
  }

  /**
   * Call `listener` with every download now and again after each change (only the changed
   * records are read from the event). Returns the unsubscribe function.
   */
  subscribe(listener: (downloads: TrackedDownload[]) => void, onError?: (error: unknown) => void): () => void {
    const events = this.events;
    if (!events) throw new Error('DownloadsReader: no storage events to follow');
    let current: Map<string, TrackedDownload> | undefined;
    const pending: Array<Record<string, { newValue?: unknown }>> = [];
    let live = true;
    const apply = (changes: Record<string, { newValue?: unknown }>) => {
      if (!current) return pending.push(changes);
      for (const [key, change] of Object.entries(changes)) {
        const id = idOfDownloadKey(key);
        if (id === undefined) continue;
        const next = parseTrackedDownload(change.newValue);
        // (A record moving between areas is removed from one before it is written to the other.)
        if (next && next.id === id && (this.options.visible?.(next) ?? true)) current.set(id, next);
        else current.delete(id);
      }
    };
    const unfollow = followDownloadChanges(events, (changes) => {
      apply(changes);
      if (current) listener([...current.values()]);
    });
    readAll(this.areas, null).then(
      (items) => {
        if (!live) return;
        current = this.shown(items);
        for (const changes of pending.splice(0)) apply(changes);
        listener([...current.values()]);
      },
      (error: unknown) => {
        if (!live) return;
        current = new Map();
        listener([]);
        onError?.(error);
      },
    );
    return () => {
      live = false;
      unfollow();
    };
  }
}

export interface WriterOptions {
  /** storage.session, or an in-memory area where the browser has none: private downloads, and all under "keep no history". */
  session?: StorageAreaLike;
  /** Whether the person keeps no history now (records of ordinary windows then go to `session` too). */
  keepNoHistory?: () => boolean | Promise<boolean>;
}

/**
 * The background's writer. Changes to one download run one after another (read, change,
 * write of that one key), so two events for the same download never interleave. Where a
 * record is written is decided at every write: a private download only ever into the session
 * area (a record without a session area to go to is not written at all).
 */
export class DownloadsWriter extends DownloadsReader {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly session: StorageAreaLike | undefined;

  constructor(
    private readonly store: StorageAreaLike,
    private readonly writerOptions: WriterOptions = {},
  ) {
    super(writerOptions.session ? [store, writerOptions.session] : store);
    this.session = writerOptions.session;
  }

  private serial<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const before = this.queues.get(id) ?? Promise.resolve();
    // A failed write must not block the next one: it is reported to its own caller.
    const run = before.then(fn, fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(id, tail);
    void tail.then(() => {
      if (this.queues.get(id) === tail) this.queues.delete(id);
    });
    return run;
  }

  override async get(id: string): Promise<TrackedDownload | undefined> {
    await this.queues.get(id);
    return super.get(id);
  }

  override async list(): Promise<TrackedDownload[]> {
    await Promise.all(this.queues.values());
    return super.list();
  }

  /** The area a record belongs in: undefined when it may be written nowhere. */
  private async areaFor(download: TrackedDownload): Promise<StorageAreaLike | undefined> {
    if (download.private === true || (await this.writerOptions.keepNoHistory?.()) === true) return this.session;
    return this.store;
  }

  /** Which area holds `id` now, and its record. */
  private async locate(id: string): Promise<{ area: StorageAreaLike; download: TrackedDownload } | undefined> {
    const key = downloadKey(id);
    for (const area of this.session ? [this.session, this.store] : [this.store]) {
      const download = downloadsIn(await area.get(key)).get(id);
      if (download) return { area, download };
    }
    return undefined;
  }

  /**
   * Change one download. `fn` gets the current record (undefined if none) and returns the new
   * one, or undefined to leave storage untouched. Returns what was stored.
   */
  update(
    id: string,
    fn: (current: TrackedDownload | undefined) => TrackedDownload | undefined,
  ): Promise<TrackedDownload | undefined> {
    return this.serial(id, async () => {
      const found = await this.locate(id);
      const next = fn(found?.download);
      if (next === undefined) return undefined;
      // Once private, always private: a record never moves from memory to disk.
      if (found?.download.private === true) next.private = true;
      const target = await this.areaFor(next);
      if (found && found.area !== target) await found.area.remove(downloadKey(id));
      if (!target) return undefined;
      await target.set({ [downloadKey(id)]: next });
      return next;
    });
  }

  /**
   * Move an existing record on with one of its transitions (src/wire/download.ts), e.g.
   * `transition(id, (d) => toVerifying(d, now))`. A record that is gone (forgotten meanwhile)
   * stays gone: the answer is then undefined.
   */
  transition(id: string, to: (current: TrackedDownload) => TrackedDownload): Promise<TrackedDownload | undefined> {
    return this.update(id, (current) => (current ? to(current) : undefined));
  }

  remove(id: string): Promise<void> {
    return this.serial(id, async () => {
      await this.store.remove(downloadKey(id));
      await this.session?.remove(downloadKey(id));
    });
  }

  /**
   * Forget the history that is due (src/extension/history.ts): records on disk not changed
   * for `keepDays` days, and with `keepDays` 0 every one not being worked on. Returns how
   * many were removed. Session records end with the browser session.
   */
  async expire(nowMs: number, keepDays: number): Promise<number> {
    const due = [...downloadsIn(await this.store.get(null)).values()].filter((d) => isExpired(d, nowMs, keepDays));
    for (const d of due) await this.serial(d.id, () => this.store.remove(downloadKey(d.id)));
    return due.length;
  }

  /** Move records of the one-map layout to their own keys (once, at start-up). */
  async migrateLegacy(): Promise<number> {
    const legacy = (await this.store.get(STORAGE_KEYS.legacyDownloads))[STORAGE_KEYS.legacyDownloads];
    if (legacy === undefined) return 0;
    let moved = 0;
    if (typeof legacy === 'object' && legacy !== null) {
      for (const value of Object.values(legacy as Record<string, unknown>)) {
        const download = parseTrackedDownload(value);
        if (!download) continue;
        await this.update(download.id, (current) => current ?? download);
        moved += 1;
      }
    }
    await this.store.remove(STORAGE_KEYS.legacyDownloads);
    return moved;
  }
}
