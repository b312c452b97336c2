/**
 * Firefox stream hashing, part 2 of 3: the routing of webRequest events. onBeforeRequest
 * decides synchronously (stream-binding.ts filterDecision) whether a request is one of our
 * expected downloads; if so a filtered response's session (stream-session.ts) is opened for it.
 * onHeadersReceived hands that session its response headers (a redirect's are not the image's),
 * a redirect hop within the pool gets a new session under the same expectation, and
 * onCompleted / onErrorOccurred close the request's routes (a failed one is remembered, so its
 * download does not end as complete).
 */
import { errorInfo } from '../../core/errors.js';
import type { Profile } from '../../core/profile.js';
import type { Mirror } from '../../core/release/types.js';
import type { Browser, WebRequest } from '../../extension/browser-api.js';
import { fileNameFromUrl, matchesImagePattern, sourcePrefixFor } from '../../extension/download-match.js';
import { filterDecision, type StreamExpectation } from './stream-binding.js';
import type { StreamExpectations } from './stream-expectations.js';
import { log, logWarning } from '../../extension/log.js';

export interface StreamBrowser {
  webRequest: Pick<
    Browser['webRequest'],
    'onBeforeRequest' | 'onHeadersReceived' | 'onCompleted' | 'onErrorOccurred' | 'filterResponseData'
  >;
  runtime: Pick<Browser['runtime'], 'getURL'>;
}

/** What the decision needs from onHeadersReceived. */
export type ResponseDetails = Pick<WebRequest.OnHeadersReceivedDetailsType, 'url' | 'statusCode' | 'responseHeaders'>;

/** Hands a session its response headers; undefined: it will get none (redirected away, failed). */
export type HeadersResolver = (details: ResponseDetails | undefined) => void;

/** One filtered request (or redirect hop) a session is opened for. */
export interface FilteredRequest {
  requestId: string;
  expectation: StreamExpectation;
  url: string;
  startedAt: number;
  /** Its response headers, once onHeadersReceived has them (undefined: none will come). */
  headers: Promise<ResponseDetails | undefined>;
  /** The resolver of `headers`, which identifies this hop's route (see release()). */
  resolver: HeadersResolver;
}

export interface StreamRoutingDeps {
  browser: StreamBrowser;
  profile: Profile;
  expectations: StreamExpectations;
  /** The mirror pool as far as it is loaded in memory (undefined: not loaded yet). */
  poolNow(): Mirror[] | undefined;
  now(): number;
  extensionBaseUrl(): string;
  /** Open the session of a filtered request (its filter is created synchronously, here). */
  open(request: FilteredRequest): void;
}

export class StreamRouting {
  /** Filters waiting for their response headers, by request id (undefined: the request was redirected away). */
  private readonly awaitingHeaders = new Map<string, HeadersResolver>();
  /** The expectation each filtered request serves, by request id (a redirect hop keeps it). */
  private readonly requestExpectations = new Map<string, StreamExpectation>();
  /** Filtered requests that webRequest reported failed (onErrorOccurred): their download must not end as complete. */
  private readonly failedRequests = new Set<string>();

  constructor(private readonly deps: StreamRoutingDeps) {}

  /** Register the webRequest listeners. Must run synchronously at background start-up. */
  register(): void {
    const filter = { urls: ['https://*/*', 'http://*/*'] };
    const { webRequest } = this.deps.browser;
    webRequest.onBeforeRequest.addListener(
      (details) => {
        try {
          this.onBeforeRequest(details);
        } catch (error) {
          // Never block or break the user's download because of our own failure.
          log.warn('stream hashing not started', details.url, errorInfo(error));
        }
        return {};
      },
      filter,
      ['blocking'],
    );
    webRequest.onHeadersReceived.addListener(
      (details) => {
        const pending = this.awaitingHeaders.get(details.requestId);
        // A redirect's headers are not the image's: wait for the hop that answers.
        if (!pending || (details.statusCode >= 300 && details.statusCode < 400)) return;
        this.awaitingHeaders.delete(details.requestId);
        pending(details);
      },
      filter,
      ['responseHeaders'],
    );
    const forget = (details: { requestId: string }) => {
      // A filter still waiting for headers never gets any: let it decide (not to hash).
      this.awaitingHeaders.get(details.requestId)?.(undefined);
      this.awaitingHeaders.delete(details.requestId);
      this.requestExpectations.delete(details.requestId);
    };
    webRequest.onCompleted.addListener(forget, filter);
    webRequest.onErrorOccurred.addListener((details) => {
      if (this.requestExpectations.has(details.requestId)) this.failedRequests.add(details.requestId);
      forget(details);
    }, filter);
  }

  /** Whether webRequest reported this filtered request failed. */
  hasFailed(requestId: string): boolean {
    return this.failedRequests.has(requestId);
  }

  /** A session ended: drop its route (a redirect hop may have its own by now under the same request id: remove only this one). */
  release(requestId: string, resolver: HeadersResolver): void {
    this.failedRequests.delete(requestId);
    if (this.awaitingHeaders.get(requestId) === resolver) this.awaitingHeaders.delete(requestId);
  }

  private onBeforeRequest(details: WebRequest.OnBeforeRequestDetailsType): void {
    const { expectations } = this.deps;
    // A redirect hop of a request we filter: Firefox disconnects a filter at every redirect.
    const followed = this.requestExpectations.get(details.requestId);
    if (followed) {
      this.followRedirect(details, followed);
      return;
    }
    const decision = filterDecision(expectations.current(), details, this.deps.now(), this.deps.extensionBaseUrl());
    if (!decision.filter) {
      for (const id of decision.ambiguous) {
        const e = expectations.get(id);
        if (!e) continue;
        e.claims += 1;
        log.warn('download request ambiguous, its stream hash will not be used', details.url, decision.reason);
        void expectations.persist(e).catch(logWarning('ambiguous claim not stored'));
      }
      return;
    }
    const { expectation } = decision;
    expectation.claims = 1;
    void expectations.persist(expectation).catch(logWarning('claim not stored'));
    this.requestExpectations.set(details.requestId, expectation);
    this.attachFilter(details.requestId, expectation, details.url);
  }

  private attachFilter(requestId: string, expectation: StreamExpectation, url: string): void {
    let resolver: HeadersResolver = () => undefined;
    const headers = new Promise<ResponseDetails | undefined>((resolve) => (resolver = resolve));
    this.awaitingHeaders.set(requestId, resolver);
    this.deps.open({ requestId, expectation, url, startedAt: this.deps.now(), headers, resolver });
  }

  /**
   * A request we filter is redirected. Within the pool (another mirror, same image name) the
   * new hop gets a new filter under the same expectation, so the hash is kept; anywhere else
   * the request is left alone and the file is checked afterwards (read or picked).
   */
  private followRedirect(details: WebRequest.OnBeforeRequestDetailsType, expectation: StreamExpectation): void {
    const previous = this.awaitingHeaders.get(details.requestId);
    // The old filter will never see a response: let it end without a hash.
    this.awaitingHeaders.delete(details.requestId);
    previous?.(undefined);
    const { profile } = this.deps;
    const pool = this.deps.poolNow();
    const name = fileNameFromUrl(details.url);
    const inPool = pool !== undefined && sourcePrefixFor(profile, pool, details.url) !== undefined;
    if (!inPool || name === undefined || !matchesImagePattern(profile, name)) {
      this.requestExpectations.delete(details.requestId);
      log.info('not following a redirect outside the pool', details.url);
      return;
    }
    if (!expectation.urls.includes(details.url)) expectation.urls.push(details.url);
    void this.deps.expectations.persist(expectation).catch(logWarning('redirect not stored'));
    this.attachFilter(details.requestId, expectation, details.url);
  }
}
