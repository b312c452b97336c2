import { describe, expect, it } from 'vitest';
import {
  canDownloadAgain,
  canResumeDownload,
  needsReleaseData,
  canRetry,
  parseTrackedDownload,
  phaseForDownloadState,
  toAwaitingFile,
  toDone,
  toDownloading,
  toFailed,
  toHashing,
  toVerifying,
  withBrowserState,
  withProgress,
  withRepro,
} from '../../../src/wire/download.js';
import { tracked, verdict } from '../background/fixtures.js';

describe('phaseForDownloadState', () => {
  it('moves between downloading and interrupted', () => {
    expect(phaseForDownloadState('downloading', 'interrupted', 'NETWORK_FAILED')).toBe('interrupted');
    expect(phaseForDownloadState('interrupted', 'in_progress')).toBe('downloading');
    expect(phaseForDownloadState('downloading', 'in_progress')).toBeUndefined();
  });

  it('stops when the user cancels the download', () => {
    expect(phaseForDownloadState('downloading', 'interrupted', 'USER_CANCELED')).toBe('cancelled');
    expect(phaseForDownloadState('interrupted', 'interrupted', 'USER_CANCELLED')).toBe('cancelled');
  });

  it('never reopens a settled download and leaves completion to the plan', () => {
    expect(phaseForDownloadState('done', 'in_progress')).toBeUndefined();
    expect(phaseForDownloadState('failed', 'interrupted', 'NETWORK_FAILED')).toBeUndefined();
    expect(phaseForDownloadState('cancelled', 'interrupted', 'NETWORK_FAILED')).toBeUndefined();
    expect(phaseForDownloadState('downloading', 'complete')).toBeUndefined();
    expect(phaseForDownloadState('hashing', 'interrupted', 'FILE_FAILED')).toBeUndefined();
  });
});

describe('requests allowed per phase', () => {
  it('resumes only interrupted or incomplete downloads, and only where the browser can', () => {
    expect(canResumeDownload(tracked({ phase: 'interrupted' }))).toBe(true);
    expect(canResumeDownload(tracked({ phase: 'interrupted', canResume: false }))).toBe(false);
    expect(canResumeDownload(tracked({ phase: 'done', verdict: verdict('incomplete'), canResume: true }))).toBe(true);
    // The browser considers it complete: resuming cannot work, download it again instead.
    expect(canResumeDownload(tracked({ phase: 'done', verdict: verdict('incomplete'), canResume: false }))).toBe(false);
    expect(canDownloadAgain(tracked({ phase: 'done', verdict: verdict('incomplete'), canResume: false }))).toBe(true);
    expect(canDownloadAgain(tracked({ phase: 'interrupted', canResume: false }))).toBe(true);
    expect(canDownloadAgain(tracked({ phase: 'interrupted' }))).toBe(false);
    expect(canDownloadAgain(tracked({ phase: 'done', verdict: verdict('verified') }))).toBe(false);
    expect(canResumeDownload(tracked({ phase: 'done', verdict: verdict('mismatch') }))).toBe(false);
    expect(canResumeDownload(tracked({ phase: 'downloading' }))).toBe(false);
  });

  it('retries anything not in flight', () => {
    expect(canRetry({ phase: 'hashing' })).toBe(false);
    expect(canRetry({ phase: 'verifying' })).toBe(false);
    for (const phase of ['downloading', 'awaiting-file', 'done', 'failed', 'interrupted', 'cancelled'] as const)
      expect(canRetry({ phase })).toBe(true);
  });
});

describe('transitions', () => {
  const AT = '2025-01-02T00:00:00.000Z';

  it('carry only the fields of the new phase: no stale verdict, error or progress survives', () => {
    const failed = toFailed(tracked({ phase: 'hashing', progress: { bytes: 1, rate: 1 } }), { code: 'io-failed' }, AT);
    expect(failed).toMatchObject({ phase: 'failed', error: { code: 'io-failed' }, updatedAt: AT });
    expect('progress' in failed).toBe(false);
    const done = toDone(failed, verdict('verified'), { alternativeUrl: undefined }, AT);
    expect('error' in done).toBe(false);
    expect('alternativeUrl' in done).toBe(false);
    const again = toDownloading(toDone(done, verdict('incomplete'), { alternativeUrl: 'https://m/x.img' }, AT), AT);
    expect(Object.keys(again).sort()).not.toContain('verdict');
    expect(Object.keys(again).sort()).not.toContain('alternativeUrl');
    expect(toAwaitingFile(again, undefined, AT)).toMatchObject({ phase: 'awaiting-file', hashSource: 'page' });
    expect(toHashing(again, AT).hashSource).toBe('file');
  });

  it('take progress only while bytes move, and reproducibility only after a verdict', () => {
    const downloading = withProgress(tracked(), { bytes: 40, total: 100, rate: 2 }, AT);
    expect(downloading).toMatchObject({ receivedBytes: 40, totalBytes: 100, progress: { bytes: 40 } });
    const verifying = toVerifying(downloading, AT);
    expect(withProgress(verifying, { bytes: 50, rate: 1 }, AT)).toBe(verifying);
    const repro = {
      fileName: 'x',
      threshold: 1,
      reproducedBy: 1,
      anyMismatch: false,
      met: true,
      rebuilders: [],
      checkedAt: AT,
    };
    expect(withRepro(verifying, repro, AT)).toBe(verifying);
    expect(withRepro(toDone(verifying, verdict('verified'), {}, AT), repro, AT)).toMatchObject({
      repro: { met: true },
    });
  });

  it('apply the browser state rules once', () => {
    const d = tracked();
    expect(withBrowserState(d, 'interrupted', 'NETWORK_FAILED', AT).phase).toBe('interrupted');
    expect(withBrowserState(d, 'interrupted', 'USER_CANCELED', AT).phase).toBe('cancelled');
    expect(withBrowserState(d, 'complete', undefined, AT)).toBe(d);
  });
});

describe('parseTrackedDownload', () => {
  it('accepts each phase with its own fields and drops what does not belong', () => {
    const done = parseTrackedDownload({
      ...tracked({ phase: 'done', verdict: verdict('verified') }),
      error: { code: 'internal' },
      progress: { bytes: 1, rate: 1 },
    });
    expect(done).toMatchObject({ phase: 'done', verdict: { kind: 'verified' } });
    expect(done && ('error' in done || 'progress' in done)).toBe(false);
    expect(
      parseTrackedDownload(tracked({ phase: 'failed', error: { code: 'fetch-failed', detail: 'x' } })),
    ).toMatchObject({ phase: 'failed' });
  });

  it('rejects what is not a download: bad id, unknown phase, failed without an error, a verdict that does not parse', () => {
    expect(parseTrackedDownload(null)).toBeUndefined();
    expect(parseTrackedDownload(tracked({ id: '__proto__' }))).toBeUndefined();
    expect(parseTrackedDownload(tracked({ phase: 'bogus' }))).toBeUndefined();
    expect(parseTrackedDownload(tracked({ phase: 'failed' }))).toBeUndefined();
    const bad = {
      ...verdict('verified'),
      evidence: { ...verdict('verified').evidence, file: { name: 'x', size: 1, sha256: 'not-hex' } },
    };
    expect(parseTrackedDownload(tracked({ phase: 'done', verdict: bad }))).toBeUndefined();
  });

  it('reads a failure stored by an earlier version (done, no verdict, an error) as failed', () => {
    expect(parseTrackedDownload(tracked({ phase: 'done', error: { code: 'io-failed' } }))).toMatchObject({
      phase: 'failed',
      error: { code: 'io-failed' },
    });
  });
});

describe('verdicts that lacked release data', () => {
  const kept = {
    engine: 'hash-wasm',
    bytes: 1000,
    digests: { sha256: 'a'.repeat(64) },
    states: { sha256: 'AA==' },
    url: 'https://m/x',
    finishedAt: '2025-01-01T00:00:00.000Z',
  };
  it('keep the hash and the schedule only while offline, and both survive storage', () => {
    expect(needsReleaseData(verdict('unverifiable'))).toBe(true);
    expect(needsReleaseData(verdict('verified'))).toBe(false);
    const offline = toDone(
      tracked(),
      verdict('unverifiable'),
      { hash: kept, redecide: { attempts: 2, nextAt: '2025-01-01T00:02:00.000Z' } },
      '2025-01-01T00:00:01.000Z',
    );
    expect(offline).toMatchObject({ hash: kept, redecide: { attempts: 2 } });
    expect(parseTrackedDownload(JSON.parse(JSON.stringify(offline)))).toEqual(offline);
    const verified = toDone(offline, verdict('verified'), { hash: kept }, '2025-01-01T00:00:02.000Z');
    expect('hash' in verified || 'redecide' in verified).toBe(false);
    // A stored hash next to a verdict that does not need one is dropped on reading.
    expect(parseTrackedDownload({ ...verified, hash: kept })).toEqual(verified);
    expect(parseTrackedDownload({ ...offline, hash: { ...kept, states: 'x' } })).not.toHaveProperty('hash');
  });

  it('a paused download stays interrupted; inPool and canResume round-trip', () => {
    const d = tracked({ phase: 'downloading', inPool: false, canResume: true });
    expect(withBrowserState(d, 'interrupted', 'USER_CANCELED', '2025-01-02T00:00:00.000Z', true).phase).toBe(
      'interrupted',
    );
    expect(parseTrackedDownload(JSON.parse(JSON.stringify(d)))).toMatchObject({ inPool: false, canResume: true });
  });
});

describe('takeover note', () => {
  it('survives storage and phase changes; a malformed note is dropped, the record kept', async () => {
    const {
      parseTrackedDownload: parse,
      toVerifying: verifying,
      withTakeover: note,
    } = await import('../../../src/wire/download.js');
    const { tracked: fixture } = await import('../background/fixtures.js');
    const d = note(fixture(), { kind: 'restarted', from: 4 }, '2025-01-01T00:00:01.000Z');
    const back = parse(JSON.parse(JSON.stringify(verifying(d, '2025-01-01T00:00:02.000Z'))));
    expect(back?.takeover).toEqual({ kind: 'restarted', from: 4 });
    const left = parse({
      ...fixture(),
      takeover: { kind: 'not-restarted', error: { code: 'takeover-failed', detail: 'x' } },
    });
    expect(left?.takeover).toEqual({ kind: 'not-restarted', error: { code: 'takeover-failed', detail: 'x' } });
    for (const bad of [
      { kind: 'restarted', from: -1 },
      { kind: 'not-restarted', error: { code: 'nope' } },
      'restarted',
      { kind: 'other' },
    ]) {
      const parsed = parse({ ...fixture(), takeover: bad });
      expect(parsed?.id).toBe('dl-1');
      expect(parsed?.takeover).toBeUndefined();
    }
  });
});
