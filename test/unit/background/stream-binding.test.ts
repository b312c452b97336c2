import { describe, expect, it } from 'vitest';
import {
  acceptStreamResult,
  checkpointForResume,
  EXPECTATION_START_MS,
  filterDecision,
  isExtensionDownloadRequest,
  parseExpectation,
  staleStreamRecords,
  STREAM_RECORD_MAX_AGE_MS,
  type BoundCheckpoint,
  type BoundStreamResult,
  type RequestFacts,
  type StreamExpectation,
} from '../../../src/background/firefox/stream-binding.js';
import type { StoredHashResult } from '../../../src/background/stored-hash.js';

const BASE = 'moz-extension://7c1d8f5e-2b6a-4e3c-9d1f-0a5b7c9e2d41/';
const URL_IMG = 'https://mirror.example.org/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img';
const T0 = 1_800_000_000_000;

/** What Firefox ESR reports for a request of downloads.download()/resume() (measured). */
function downloadRequest(over: { [K in keyof RequestFacts]?: RequestFacts[K] | undefined } = {}): RequestFacts {
  return { url: URL_IMG, method: 'GET', tabId: -1, type: 'other', documentUrl: BASE, ...over } as RequestFacts;
}

/** A page's fetch(URL_IMG, { mode: 'no-cors' }) on the official site (measured shape). */
function pageFetch(over: Partial<RequestFacts> = {}): RequestFacts {
  return {
    url: URL_IMG,
    method: 'GET',
    tabId: 2,
    type: 'xmlhttprequest',
    originUrl: 'https://tails.net/',
    documentUrl: 'https://tails.net/',
    ...over,
  };
}

function expectation(over: Partial<StreamExpectation> = {}): StreamExpectation {
  return { id: 'e1', urls: [URL_IMG], createdAt: T0, kind: 'start', claims: 0, ...over };
}

function hash(bytes: number, sha = 'a'): StoredHashResult {
  return {
    engine: 'hash-wasm',
    bytes,
    digests: { sha256: sha.repeat(64) },
    states: {},
    url: URL_IMG,
    finishedAt: new Date(T0).toISOString(),
  };
}

function result(over: Partial<BoundStreamResult> = {}): BoundStreamResult {
  return { expectationId: 'e1', sessionStartedAt: T0 + 50, result: hash(1000), ...over };
}

describe('which request gets a filter', () => {
  it('recognises only requests of our own downloads API', () => {
    expect(isExtensionDownloadRequest(downloadRequest(), BASE)).toBe(true);
    expect(isExtensionDownloadRequest(pageFetch(), BASE)).toBe(false);
    // A page's fetch, even from a tab of ours or with the type a download has: it has a tab.
    expect(isExtensionDownloadRequest(downloadRequest({ tabId: 3 }), BASE)).toBe(false);
    expect(isExtensionDownloadRequest(downloadRequest({ tabId: 0 }), BASE)).toBe(false);
    // No tab but not ours: a site's service worker, our own background fetch, another extension.
    expect(
      isExtensionDownloadRequest(
        downloadRequest({ documentUrl: 'https://tails.net/sw.js', originUrl: 'https://tails.net/sw.js' }),
        BASE,
      ),
    ).toBe(false);
    expect(isExtensionDownloadRequest(downloadRequest({ type: 'xmlhttprequest', originUrl: BASE }), BASE)).toBe(false);
    expect(isExtensionDownloadRequest(downloadRequest({ documentUrl: 'moz-extension://other-uuid/' }), BASE)).toBe(
      false,
    );
    expect(isExtensionDownloadRequest(downloadRequest({ documentUrl: undefined }), BASE)).toBe(false);
    expect(isExtensionDownloadRequest(downloadRequest({ method: 'POST' }), BASE)).toBe(false);
  });

  it('filters the one request an open expectation waits for', () => {
    const e = expectation();
    const decision = filterDecision([e], downloadRequest(), T0 + 30, BASE);
    expect(decision).toEqual({ filter: true, expectation: e });
  });

  it('never filters a page fetch of the expected URL, and it does not use up the expectation', () => {
    const e = expectation();
    expect(filterDecision([e], pageFetch(), T0 + 10, BASE)).toMatchObject({ filter: false, ambiguous: [] });
    expect(filterDecision([e], downloadRequest(), T0 + 20, BASE)).toMatchObject({ filter: true });
  });

  it('filters nothing without an open expectation for that URL', () => {
    expect(filterDecision([], downloadRequest(), T0, BASE)).toMatchObject({ filter: false, ambiguous: [] });
    expect(filterDecision([expectation()], downloadRequest(), T0 + EXPECTATION_START_MS + 1, BASE)).toMatchObject({
      filter: false,
      ambiguous: [],
    });
    expect(filterDecision([expectation()], downloadRequest(), T0 - 1, BASE)).toMatchObject({ filter: false });
    expect(filterDecision([expectation()], downloadRequest({ url: `${URL_IMG}?x` }), T0, BASE)).toMatchObject({
      filter: false,
      ambiguous: [],
    });
  });

  it('a second request for a claimed expectation is not filtered and makes it ambiguous', () => {
    const decision = filterDecision([expectation({ claims: 1 })], downloadRequest(), T0 + 100, BASE);
    expect(decision).toMatchObject({ filter: false, ambiguous: ['e1'] });
  });

  it('two open expectations for one URL: which download a request belongs to is unknown', () => {
    const decision = filterDecision(
      [expectation(), expectation({ id: 'e2', createdAt: T0 + 5 })],
      downloadRequest(),
      T0 + 100,
      BASE,
    );
    expect(decision).toMatchObject({ filter: false, ambiguous: ['e1', 'e2'] });
  });

  it('a resume soon after the start: the earlier claimed request of the same download does not block it', () => {
    const started = expectation({ downloadId: 4, claims: 1 });
    const resume = expectation({ id: 'e2', kind: 'resume', downloadId: 4, createdAt: T0 + 1000 });
    expect(filterDecision([started, resume], downloadRequest(), T0 + 1100, BASE)).toEqual({
      filter: true,
      expectation: resume,
    });
    // …but a claimed expectation of another download does.
    const otherDownload = { ...started, downloadId: 5 };
    expect(filterDecision([otherDownload, resume], downloadRequest(), T0 + 1100, BASE)).toMatchObject({
      filter: false,
      ambiguous: ['e1', 'e2'],
    });
    // A second request after the resume was claimed is ambiguous again.
    expect(filterDecision([started, { ...resume, claims: 1 }], downloadRequest(), T0 + 1200, BASE)).toMatchObject({
      filter: false,
    });
  });

  it('a standing resume (a stopped download of ours) waits past the start window until its request comes, then closes', () => {
    const waiting = expectation({ kind: 'resume', downloadId: 4, standing: true });
    const hours = T0 + 3 * 60 * 60 * 1000;
    expect(filterDecision([waiting], downloadRequest(), hours, BASE)).toEqual({ filter: true, expectation: waiting });
    // Never for a page's fetch of the same URL.
    expect(filterDecision([waiting], pageFetch(), hours, BASE)).toMatchObject({ filter: false });
    // Once claimed it is closed like any other after the window: a later request is nobody's.
    expect(filterDecision([{ ...waiting, claims: 1 }], downloadRequest(), hours, BASE)).toMatchObject({
      filter: false,
      reason: 'no download of ours expects this URL',
    });
    // A plain (non-standing) expectation that old is closed.
    const { standing: _standing, ...plain } = waiting;
    expect(filterDecision([plain], downloadRequest(), hours, BASE)).toMatchObject({ filter: false });
  });

  it('a resume expectation matches the original or the final URL', () => {
    const finalUrl = 'https://other-mirror.example/tails-amd64-7.2.img';
    const e = expectation({ kind: 'resume', downloadId: 4, urls: [URL_IMG, finalUrl] });
    expect(filterDecision([e], downloadRequest({ url: finalUrl }), T0 + 1, BASE)).toMatchObject({ filter: true });
  });
});

describe('which stream hash a download accepts', () => {
  const bound = expectation({ downloadId: 7, claims: 1 });
  const download = { downloadId: 7, startedAt: T0 + 20, fileSize: 1000 };

  it('accepts the single result bound to this download, covering exactly the file', () => {
    expect(acceptStreamResult(download, [bound], [result()])).toEqual({ kind: 'accept', result: hash(1000) });
  });

  it('ignores results bound to another download or to nothing', () => {
    const other = expectation({ id: 'e2', downloadId: 8, claims: 1 });
    const unbound = expectation({ id: 'e3', claims: 1 });
    const results = [
      result({ expectationId: 'e2' }),
      result({ expectationId: 'e3' }),
      result({ expectationId: 'nobody' }),
    ];
    expect(acceptStreamResult(download, [bound, other, unbound], results)).toEqual({ kind: 'none' });
  });

  it('attack: a page fetched the URL concurrently — its hash is never bound, the download keeps its own', () => {
    // The page's fetch (good bytes) never got a filter, so there is no record of it at all;
    // the download's own hash (bad bytes, same size) is what is accepted, and verification says mismatch.
    const own = result({ result: hash(1000, 'b') });
    expect(filterDecision([expectation()], pageFetch(), T0 + 40, BASE)).toMatchObject({ filter: false });
    expect(acceptStreamResult(download, [bound], [own])).toEqual({ kind: 'accept', result: hash(1000, 'b') });
  });

  it('attack: a second request of the same shape claimed the download → nothing accepted', () => {
    const ambiguous = { ...bound, claims: 2 };
    expect(acceptStreamResult(download, [ambiguous], [result()])).toMatchObject({ kind: 'reject' });
  });

  it('rejects two results for one download', () => {
    const resumed = expectation({ id: 'e2', downloadId: 7, claims: 1, kind: 'resume' });
    expect(acceptStreamResult(download, [bound, resumed], [result(), result({ expectationId: 'e2' })])).toMatchObject({
      kind: 'reject',
    });
  });

  it('rejects a hash that began before the download or its expectation', () => {
    expect(acceptStreamResult({ ...download, startedAt: T0 + 60_000 }, [bound], [result()])).toMatchObject({
      kind: 'reject',
    });
    expect(acceptStreamResult(download, [bound], [result({ sessionStartedAt: T0 - 1 })])).toMatchObject({
      kind: 'reject',
    });
    // Without a start time from the browser, the expectation's time still binds.
    expect(acceptStreamResult({ downloadId: 7, fileSize: 1000 }, [bound], [result()])).toMatchObject({
      kind: 'accept',
    });
  });

  it('rejects a byte count that differs from the file, or an unknown file size', () => {
    expect(acceptStreamResult({ ...download, fileSize: 999 }, [bound], [result()])).toMatchObject({ kind: 'reject' });
    expect(acceptStreamResult({ downloadId: 7, startedAt: T0 }, [bound], [result()])).toMatchObject({ kind: 'reject' });
  });
});

describe('which checkpoint a resume continues', () => {
  const cp = (expectationId: string, offset: number): BoundCheckpoint => ({
    expectationId,
    savedAt: T0,
    checkpoint: { engine: 'hash-wasm', offset, states: { sha256: 'AA==' } },
  });

  it('only one saved for the same download id', () => {
    const mine = expectation({ downloadId: 7, claims: 1 });
    const other = expectation({ id: 'e2', downloadId: 8, claims: 1 });
    const unbound = expectation({ id: 'e3', claims: 1 });
    expect(
      checkpointForResume(7, [mine, other, unbound], [cp('e2', 10), cp('e3', 20), cp('e1', 30)])?.checkpoint.offset,
    ).toBe(30);
    // A fetch that stopped at byte N (planted checkpoint) is bound to no download of ours.
    expect(checkpointForResume(7, [mine, other, unbound], [cp('e2', 10), cp('e3', 20)])).toBeUndefined();
    expect(
      checkpointForResume(7, [mine, expectation({ id: 'e4', downloadId: 7 })], [cp('e1', 30), cp('e4', 40)]),
    ).toBeUndefined();
  });
});

describe('stream record clean-up', () => {
  it('drops old, unusable and malformed records, keeps live ones', () => {
    const now = T0 + 10 * 60 * 1000;
    const live = expectation({ id: 'live', downloadId: 1, claims: 1 });
    const fresh = expectation({ id: 'fresh', createdAt: now - 1000 }); // still waiting for its request
    const neverClaimed = expectation({ id: 'never' });
    const neverBound = expectation({ id: 'unbound', claims: 1 });
    const ancient = expectation({ id: 'old', downloadId: 2, claims: 1, createdAt: now - STREAM_RECORD_MAX_AGE_MS - 1 });
    // A stopped download of ours still waiting for its resume (from the popup or the browser's panel).
    const waiting = expectation({ id: 'waiting', kind: 'resume', downloadId: 3, standing: true });
    const stale = staleStreamRecords(
      {
        expectations: {
          live,
          fresh,
          never: neverClaimed,
          unbound: neverBound,
          old: ancient,
          waiting,
          junk: 'x',
          mismatched: { ...live, id: 'other' },
        },
        results: {
          live: result({ expectationId: 'live' }),
          old: result({ expectationId: 'old' }),
          orphan: result({ expectationId: 'orphan' }),
          bad: 3,
        },
        checkpoints: {
          live: { expectationId: 'live', savedAt: now - STREAM_RECORD_MAX_AGE_MS - 1, checkpoint: { offset: 1 } },
          gone: { expectationId: 'gone', savedAt: now, checkpoint: { offset: 1 } },
        },
      },
      now,
    );
    expect(stale.expectations.sort()).toEqual(['junk', 'mismatched', 'never', 'old', 'unbound']);
    expect(stale.results.sort()).toEqual(['bad', 'old', 'orphan']);
    expect(stale.checkpoints.sort()).toEqual(['gone', 'live']);
  });

  it('validates stored expectations', () => {
    expect(parseExpectation(expectation({ downloadId: 3 }))).toEqual(expectation({ downloadId: 3 }));
    expect(parseExpectation({ ...expectation(), kind: 'other' })).toBeUndefined();
    expect(parseExpectation({ ...expectation(), urls: [1] })).toBeUndefined();
    expect(parseExpectation({ ...expectation(), downloadId: -1 })).toBeUndefined();
    expect(parseExpectation(null)).toBeUndefined();
    const standing = expectation({ kind: 'resume', downloadId: 3, standing: true });
    expect(parseExpectation(standing)).toEqual(standing);
    // Only a resume bound to a download may stand open.
    expect(parseExpectation({ ...standing, kind: 'start' })).toBeUndefined();
    expect(parseExpectation({ ...standing, downloadId: undefined })).toBeUndefined();
    expect(parseExpectation({ ...standing, standing: 'yes' })).toBeUndefined();
  });
});
