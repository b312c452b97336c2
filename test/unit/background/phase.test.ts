import { describe, expect, it } from 'vitest';
import { canResumeDownload, canRetry, completionPlan, phaseForDownloadState } from '../../../src/background/completion-plan.js';
import { verdict } from './fixtures.js';

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
    expect(phaseForDownloadState('cancelled', 'interrupted', 'NETWORK_FAILED')).toBeUndefined();
    expect(phaseForDownloadState('downloading', 'complete')).toBeUndefined();
    expect(phaseForDownloadState('hashing', 'interrupted', 'FILE_FAILED')).toBeUndefined();
  });
});

describe('completionPlan', () => {
  it('uses a stream hash only when it covers exactly the file', () => {
    expect(completionPlan({ streamHash: { bytes: 100 }, fileSize: 100, fileAccess: false })).toEqual({ kind: 'verify-stream' });
    expect(completionPlan({ streamHash: { bytes: 90 }, fileSize: 100, fileAccess: false })).toEqual({ kind: 'await-file', reason: 'stream-size-mismatch' });
    expect(completionPlan({ streamHash: { bytes: 100 }, fileAccess: false })).toEqual({ kind: 'await-file', reason: 'stream-size-mismatch' });
    expect(completionPlan({ streamHash: { bytes: 100 }, fileSize: -1, fileAccess: false })).toEqual({ kind: 'await-file', reason: 'stream-size-mismatch' });
  });

  it('a stream hash not bound to this download is never used', () => {
    expect(completionPlan({ streamRejected: true, fileSize: 100, fileAccess: false })).toEqual({ kind: 'await-file', reason: 'stream-not-bound' });
    expect(completionPlan({ streamRejected: true, fileSize: 100, fileAccess: true, localPath: '/tmp/x.img' })).toEqual({ kind: 'read-file' });
  });

  it('reads the file with file access, else asks for it', () => {
    expect(completionPlan({ fileSize: 100, fileAccess: true, localPath: '/tmp/x.img' })).toEqual({ kind: 'read-file' });
    expect(completionPlan({ streamHash: { bytes: 1 }, fileSize: 100, fileAccess: true, localPath: '/tmp/x.img' })).toEqual({ kind: 'read-file' });
    expect(completionPlan({ fileSize: 100, fileAccess: true })).toEqual({ kind: 'await-file', reason: 'no-stream-hash' });
    expect(completionPlan({ fileSize: 100, fileAccess: false, localPath: '/tmp/x.img' })).toEqual({ kind: 'await-file', reason: 'no-file-access' });
  });
});

describe('requests allowed per phase', () => {
  it('resumes only interrupted or incomplete downloads', () => {
    expect(canResumeDownload({ phase: 'interrupted' })).toBe(true);
    expect(canResumeDownload({ phase: 'done', verdict: verdict('incomplete') })).toBe(true);
    expect(canResumeDownload({ phase: 'done', verdict: verdict('mismatch') })).toBe(false);
    expect(canResumeDownload({ phase: 'downloading' })).toBe(false);
  });

  it('retries anything not in flight', () => {
    expect(canRetry({ phase: 'hashing' })).toBe(false);
    expect(canRetry({ phase: 'verifying' })).toBe(false);
    for (const phase of ['downloading', 'awaiting-file', 'done', 'interrupted', 'cancelled'] as const) expect(canRetry({ phase })).toBe(true);
  });
});
