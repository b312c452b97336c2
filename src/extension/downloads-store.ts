/**
 * Tracked downloads in storage: pages and the content script read and follow them here
 * (`DownloadsReader`); the background alone changes them (`DownloadsWriter`). Each download
 * is its own key (storage.ts), so a write touches one record and a follower patches one entry.
 */
import { parseTrackedDownload, type TrackedDownload } from '../wire/download.js';
import { downloadKey, idOfDownloadKey, STORAGE_KEYS, type StorageAreaLike, type StorageChangeEvents, type StorageChangeListener } from './storage.js';

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

/** Call `listener` with the changed download records (key → new value) whenever one changes. */
export function followDownloadChanges(events: StorageChangeEvents, listener: (changes: Record<string, { newValue?: unknown }>) => void): () => void {
  const onChanged: StorageChangeListener = (changes, area) => {
    if (area === 'local' && Object.keys(changes).some((key) => idOfDownloadKey(key) !== undefined)) listener(changes);
  };
  events.addListener(onChanged);
  return () => events.removeListener(onChanged);
}

export class DownloadsReader {
  constructor(
    private readonly area: Pick<StorageAreaLike, 'get'>,
    private readonly events?: StorageChangeEvents,
  ) {}

  async list(): Promise<TrackedDownload[]> {
    return [...downloadsIn(await this.area.get(null)).values()];
  }

  async get(id: string): Promise<TrackedDownload | undefined> {
    const key = downloadKey(id);
    return downloadsIn(await this.area.get(key)).get(id);
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
        if (next && next.id === id) current.set(id, next);
        else current.delete(id);
      }
    };
    const unfollow = followDownloadChanges(events, (changes) => {
      apply(changes);
      if (current) listener([...current.values()]);
    });
    this.area.get(null).then(
      (items) => {
        if (!live) return;
        current = downloadsIn(items);
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

/**
 * The background's writer. Changes to one download run one after another (read, change,
 * write of that one key), so two events for the same download never interleave.
 */
export class DownloadsWriter extends DownloadsReader {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly store: StorageAreaLike) {
    super(store);
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

  /**
   * Change one download. `fn` gets the current record (undefined if none) and returns the new
   * one, or undefined to leave storage untouched. Returns what was stored.
   */
  update(id: string, fn: (current: TrackedDownload | undefined) => TrackedDownload | undefined): Promise<TrackedDownload | undefined> {
    return this.serial(id, async () => {
      const next = fn(await super.get(id));
      if (next === undefined) return undefined;
      await this.store.set({ [downloadKey(id)]: next });
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
    return this.serial(id, () => this.store.remove(downloadKey(id)));
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
