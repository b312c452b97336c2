import { describe, expect, it } from 'vitest';
import type { TrackedDownload } from '../../../src/wire/download.js';
import { needsWatchdog } from '../../../src/background/watchdog.js';

const base: TrackedDownload = {
  id: 'dl-1',
  downloadId: 1,
  url: 'u',
  finalUrl: 'u',
  fileName: 'f',
  mirror: 'm',
  startedAt: '',
  updatedAt: '',
  phase: 'cancelled',
  receivedBytes: 0,
  hashSource: 'file',
};

describe('watchdog alarm', () => {
  it('runs while a download is downloading, hashing or verifying', () => {
    for (const phase of ['downloading', 'hashing', 'verifying'] as const)
      expect(needsWatchdog([base, { ...base, phase }])).toBe(true);
  });
  it('is not needed for settled downloads or ones waiting for the user', () => {
    for (const phase of ['cancelled', 'awaiting-file', 'interrupted'] as const)
      expect(needsWatchdog([{ ...base, phase }])).toBe(false);
    expect(needsWatchdog([{ ...base, phase: 'failed', error: { code: 'io-failed' } }])).toBe(false);
    expect(needsWatchdog([])).toBe(false);
  });
});
