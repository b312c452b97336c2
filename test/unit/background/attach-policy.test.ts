import { describe, expect, it } from 'vitest';
import { mayAttachVerdict } from '../../../src/background/attach-policy.js';
import type { TrackedDownload } from '../../../src/wire/download.js';
import type { Verdict } from '../../../src/core/verdict.js';

const tracked: TrackedDownload = {
  id: 'dl-1',
  downloadId: 1,
  url: 'u',
  finalUrl: 'u',
  fileName: 'tails-amd64-7.2.img',
  mirror: 'm',
  startedAt: '',
  updatedAt: '',
  phase: 'awaiting-file',
  receivedBytes: 100,
  totalBytes: 100,
  hashSource: 'page',
};

function verdictFor(name: string, size: number): Verdict {
  return {
    kind: 'unverifiable',
    reason: 'offline',
    error: { code: 'fetch-failed' },
    evidence: {
      file: { name, size, sha256: '0'.repeat(64) },
      signatures: [],
      inputs: [],
      profile: 'demo',
      checkedAt: '',
    },
  };
}

describe('attaching a page verdict to a tracked download', () => {
  it('accepts a verdict about the same file name and size', () => {
    expect(mayAttachVerdict(tracked, verdictFor('tails-amd64-7.2.img', 100)).ok).toBe(true);
  });
  it('refuses a verdict about another file or another size', () => {
    expect(mayAttachVerdict(tracked, verdictFor('tails-amd64-7.1.img', 100)).ok).toBe(false);
    expect(mayAttachVerdict(tracked, verdictFor('tails-amd64-7.2.img', 99)).ok).toBe(false);
  });
  it('never replaces a verdict the extension computed from the bytes it saw', () => {
    const judged: Verdict = { ...verdictFor('tails-amd64-7.2.img', 100), reason: 'signature-bad' } as Verdict;
    const own = { ...tracked, phase: 'done' as const, hashSource: 'stream' as const, verdict: judged };
    expect(mayAttachVerdict(own, verdictFor('tails-amd64-7.2.img', 100)).ok).toBe(false);
    expect(mayAttachVerdict({ ...own, hashSource: 'page' }, verdictFor('tails-amd64-7.2.img', 100)).ok).toBe(true);
  });

  it("replaces the extension's own verdict when it lacked release data (the site was unreachable)", () => {
    const offline = {
      ...tracked,
      phase: 'done' as const,
      hashSource: 'file' as const,
      verdict: verdictFor('tails-amd64-7.2.img', 100),
    };
    expect(mayAttachVerdict(offline, verdictFor('tails-amd64-7.2.img', 100)).ok).toBe(true);
  });
});
