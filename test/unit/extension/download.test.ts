import { describe, expect, it } from 'vitest';
import { canResumeDownload, canRetry, phaseForDownloadState } from '../../../src/extension/download.js';
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
  it('resumes only interrupted or incomplete downloads', () => {
    expect(canResumeDownload(tracked({ phase: 'interrupted' }))).toBe(true);
    expect(canResumeDownload(tracked({ phase: 'done', verdict: verdict('incomplete') }))).toBe(true);
    expect(canResumeDownload(tracked({ phase: 'done', verdict: verdict('mismatch') }))).toBe(false);
    expect(canResumeDownload(tracked({ phase: 'downloading' }))).toBe(false);
  });

  it('retries anything not in flight', () => {
    expect(canRetry({ phase: 'hashing' })).toBe(false);
    expect(canRetry({ phase: 'verifying' })).toBe(false);
    for (const phase of ['downloading', 'awaiting-file', 'done', 'failed', 'interrupted', 'cancelled'] as const) expect(canRetry({ phase })).toBe(true);
  });
});
