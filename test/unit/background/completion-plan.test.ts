import { describe, expect, it } from 'vitest';
import { completionPlan } from '../../../src/background/completion-plan.js';

describe('completionPlan', () => {
  it('uses a stream hash only when it covers exactly the file', () => {
    expect(completionPlan({ streamHash: { bytes: 100 }, fileSize: 100, fileAccess: false })).toEqual({
      kind: 'verify-stream',
    });
    expect(completionPlan({ streamHash: { bytes: 90 }, fileSize: 100, fileAccess: false })).toEqual({
      kind: 'await-file',
      reason: 'stream-size-mismatch',
    });
    expect(completionPlan({ streamHash: { bytes: 100 }, fileAccess: false })).toEqual({
      kind: 'await-file',
      reason: 'stream-size-mismatch',
    });
    expect(completionPlan({ streamHash: { bytes: 100 }, fileSize: -1, fileAccess: false })).toEqual({
      kind: 'await-file',
      reason: 'stream-size-mismatch',
    });
  });

  it('a stream hash not bound to this download is never used', () => {
    expect(completionPlan({ streamRejected: true, fileSize: 100, fileAccess: false })).toEqual({
      kind: 'await-file',
      reason: 'stream-not-bound',
    });
    expect(completionPlan({ streamRejected: true, fileSize: 100, fileAccess: true, localPath: '/tmp/x.img' })).toEqual({
      kind: 'read-file',
    });
  });

  it('reads the file with file access, else asks for it', () => {
    expect(completionPlan({ fileSize: 100, fileAccess: true, localPath: '/tmp/x.img' })).toEqual({ kind: 'read-file' });
    expect(
      completionPlan({ streamHash: { bytes: 1 }, fileSize: 100, fileAccess: true, localPath: '/tmp/x.img' }),
    ).toEqual({ kind: 'read-file' });
    expect(completionPlan({ fileSize: 100, fileAccess: true })).toEqual({
      kind: 'await-file',
      reason: 'no-stream-hash',
    });
    expect(completionPlan({ fileSize: 100, fileAccess: false, localPath: '/tmp/x.img' })).toEqual({
      kind: 'await-file',
      reason: 'no-file-access',
    });
  });
});
