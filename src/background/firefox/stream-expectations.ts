/**
 * Firefox stream hashing, part 1 of 3: the expectations it remembers. Before the extension
 * starts or resumes a download, an expectation is recorded here (memory and storage) and bound
 * to the download id the browser returns; a stopped download of ours keeps a standing one for
 * its resume. The finished stream hashes are kept under the expectation's id, and a download
 * may use only the one bound to it (stream-binding.ts acceptStreamResult). Routing
 * (stream-routing.ts) reads the expectations synchronously in onBeforeRequest; a session
 * (stream-session.ts) records its result here.
 */
import { settled } from '../../core/settled.js';
import type { StateStore } from '../state-store.js';
import {
  acceptStreamResult,
  parseBoundResult,
  parseExpectation,
  staleStreamRecords,
  type BoundStreamResult,
  type DownloadFacts,
  type StreamAcceptance,
  type StreamExpectation,
} from './stream-binding.js';
import { logWarning } from '../../extension/log.js';

export interface StreamExpectationsDeps {
  store: StateStore;
  now(): number;
  newId(): string;
}

export class StreamExpectations {
  /** Downloads we started or resumed, by expectation id (the authority for onBeforeRequest, which must decide synchronously). */
  private readonly expectations = new Map<string, StreamExpectation>();
  /** downloads.download()/resume() calls not yet returned: a completing download may wait for its binding. */
  private readonly pendingStarts = new Set<Promise<unknown>>();
  /** Finished hashes by expectation id (also in storage). */
  private readonly finished = new Map<string, BoundStreamResult>();
  private loaded: Promise<void> = Promise.resolve();

  constructor(private readonly deps: StreamExpectationsDeps) {}

  /** A restarted event page still knows the downloads it started (their requests arrive later). */
  load(): void {
    this.loaded = this.loadExpectations().catch(logWarning('stream expectations not loaded'));
  }

  /** The expectations in memory, for a decision that must be made synchronously. */
  current(): IterableIterator<StreamExpectation> {
    return this.expectations.values();
  }

  get(id: string): StreamExpectation | undefined {
    return this.expectations.get(id);
  }

  /**
   * Start a download whose request we hash: the expectation is recorded (memory and storage)
   * before `start` runs, and bound to the download id `start` returns.
   */
  async startDownload(url: string, start: () => Promise<number>): Promise<number> {
    // A stopped download of the same URL waiting for its resume would make this request
    // ambiguous (the two cannot be told apart): the new download wins, the old one's resume
    // is then checked by picking the file, as before it waited.
    await this.dropWaitingResumes((e) => e.urls.includes(url));
    return this.expectAndRun(
      { id: this.deps.newId(), urls: [url], createdAt: this.deps.now(), kind: 'start', claims: 0 },
      async (expectation) => {
        const downloadId = await start();
        expectation.downloadId = downloadId;
        return downloadId;
      },
    );
  }

  /** Resume download `downloadId`: its 206 may continue a checkpoint saved for the same download. */
  async resumeDownload(downloadId: number, urls: readonly string[], resume: () => Promise<void>): Promise<void> {
    // A waiting expectation of this download (expectBrowserResume) would make ours ambiguous: ours replaces it.
    await this.dropWaitingResumes((e) => e.downloadId === downloadId);
    const unique = [...new Set(urls)];
    return this.expectAndRun(
      {
        id: this.deps.newId(),
        urls: unique,
        createdAt: this.deps.now(),
        kind: 'resume',
        downloadId,
        claims: 0,
        standing: true,
      },
      () => resume(),
    );
  }

  /**
   * Download `downloadId` of ours stopped (interrupted or paused): expect its resume, whoever
   * starts it — the browser's Resume/Retry in the downloads panel restarts the same download
   * without an event before its request, so the expectation must already stand. A 206 from
   * exactly the checkpoint continues the hash, anything else is not hashed (decide()).
   */
  async expectBrowserResume(downloadId: number, urls: readonly string[]): Promise<void> {
    await this.loaded;
    const waiting = [...this.expectations.values()].some(
      (e) => e.downloadId === downloadId && e.kind === 'resume' && e.claims === 0,
    );
    if (waiting) return;
    const expectation: StreamExpectation = {
      id: this.deps.newId(),
      urls: [...new Set(urls)],
      createdAt: this.deps.now(),
      kind: 'resume',
      downloadId,
      claims: 0,
      standing: true,
    };
    this.expectations.set(expectation.id, expectation);
    await this.persist(expectation);
  }

  private async dropWaitingResumes(which: (e: StreamExpectation) => boolean): Promise<void> {
    await this.loaded;
    const ids = [...this.expectations.values()]
      .filter((e) => e.kind === 'resume' && e.claims === 0 && which(e))
      .map((e) => e.id);
    if (ids.length === 0) return;
    for (const id of ids) this.expectations.delete(id);
    await this.deps.store.removeStreamRecords({ expectations: ids });
  }

  private expectAndRun<T>(
    expectation: StreamExpectation,
    run: (expectation: StreamExpectation) => Promise<T>,
  ): Promise<T> {
    this.expectations.set(expectation.id, expectation);
    const started = (async () => {
      await this.persist(expectation);
      try {
        const value = await run(expectation);
        await this.persist(expectation);
        return value;
      } catch (error) {
        this.expectations.delete(expectation.id);
        await this.deps.store
          .removeStreamRecords({ expectations: [expectation.id] })
          .catch(logWarning('expectation of a failed start not removed'));
        throw error;
      }
    })();
    this.pendingStarts.add(started);
    // The caller gets the rejection; this only keeps the list of starts in flight.
    void settled(started).then(() => this.pendingStarts.delete(started));
    return started;
  }

  /** Keep a finished stream hash (memory; the session stores it too). */
  recordResult(bound: BoundStreamResult): void {
    this.finished.set(bound.expectationId, bound);
  }

  /**
   * The stream hash download `download` may use (acceptStreamResult), after any start still
   * returning its id and any session bound to this download (`sessionDone`) have finished.
   */
  async resultFor(
    download: DownloadFacts,
    sessionDone: (expectationId: string) => Promise<void> | undefined,
  ): Promise<StreamAcceptance> {
    await this.loaded;
    await Promise.allSettled([...this.pendingStarts]);
    const bound = (await this.all()).filter((e) => e.downloadId === download.downloadId);
    for (const e of bound) await sessionDone(e.id);
    const stored = await this.deps.store.streamRecords('results');
    const results: BoundStreamResult[] = [];
    for (const e of bound) {
      const hit = this.finished.get(e.id) ?? parseBoundResult(stored[e.id]);
      if (hit) results.push(hit);
    }
    // Read the expectations again: a late second request may have made one ambiguous meanwhile.
    return acceptStreamResult(download, await this.all(), results);
  }

  /** Delete every record of download `downloadId` except those of a session still running (`busy`). */
  async forgetDownload(downloadId: number, busy: (expectationId: string) => boolean): Promise<void> {
    await this.loaded;
    const ids = (await this.all()).filter((e) => e.downloadId === downloadId && !busy(e.id)).map((e) => e.id);
    if (ids.length === 0) return;
    for (const id of ids) {
      this.expectations.delete(id);
      this.finished.delete(id);
    }
    await this.deps.store.removeStreamRecords({ expectations: ids, results: ids, checkpoints: ids });
  }

  /** Start-up: drop records too old or no longer usable (stream-binding.ts staleStreamRecords), except those still in use (`busy`). */
  async purgeStale(busy: (expectationId: string) => boolean): Promise<void> {
    await this.loaded;
    const { store } = this.deps;
    const stale = staleStreamRecords(
      {
        expectations: await store.streamRecords('expectations'),
        results: await store.streamRecords('results'),
        checkpoints: await store.streamRecords('checkpoints'),
      },
      this.deps.now(),
    );
    const drop = {
      expectations: stale.expectations.filter((id) => !busy(id)),
      results: stale.results.filter((id) => !busy(id)),
      checkpoints: stale.checkpoints.filter((id) => !busy(id)),
    };
    for (const id of drop.expectations) this.expectations.delete(id);
    for (const id of drop.results) this.finished.delete(id);
    await store.removeStreamRecords(drop);
  }

  /** The download id an expectation is bound to, once the download()/resume() call that binds it has returned. */
  async boundDownloadId(expectation: StreamExpectation): Promise<number | undefined> {
    if (expectation.downloadId === undefined) await Promise.allSettled([...this.pendingStarts]);
    return expectation.downloadId;
  }

  /** Store the expectation's current state (claims, URLs), only while it is still ours. */
  persist(expectation: StreamExpectation): Promise<void> {
    // A forgotten expectation is not written back.
    if (this.expectations.get(expectation.id) !== expectation) return Promise.resolve();
    return this.deps.store.setStreamRecord('expectations', expectation.id, {
      ...expectation,
      urls: [...expectation.urls],
    });
  }

  private async loadExpectations(): Promise<void> {
    for (const value of Object.values(await this.deps.store.streamRecords('expectations'))) {
      const e = parseExpectation(value);
      if (e && !this.expectations.has(e.id)) this.expectations.set(e.id, e);
    }
  }

  /** Memory first (it holds the newest claims), then what only storage knows. */
  async all(): Promise<StreamExpectation[]> {
    const all = new Map(this.expectations);
    for (const value of Object.values(await this.deps.store.streamRecords('expectations'))) {
      const e = parseExpectation(value);
      if (e && !all.has(e.id)) all.set(e.id, e);
    }
    return [...all.values()];
  }
}
