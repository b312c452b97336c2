import { describe, expect, it } from 'vitest';
import { formatMirrorTable, formatSize, mirrorExitStatus, mirrorOutcome } from '../../../src/cli/mirror-output.js';
import type { MirrorFileCheck, MirrorReport } from '../../../src/core/mirror/types.js';

function file(status: MirrorFileCheck['status'], extra: Partial<MirrorFileCheck> = {}): MirrorFileCheck {
  return {
    fileName: 'tails-amd64-7.2.img',
    kind: 'image',
    path: 'stable/x.img',
    location: 'https://m.example/tails/stable/x.img',
    status,
    expectedSize: 10,
    bytesRead: 0,
    durationMs: 1,
    ...extra,
  };
}

function report(
  mirror: string,
  statuses: MirrorFileCheck['status'][],
  extra: Partial<MirrorReport> = {},
): MirrorReport {
  const files = statuses.map((s) => file(s));
  return {
    mirror,
    mode: 'quick',
    release: { product: 'Tails', version: '7.2', signed: true },
    ok: files.every((f) => f.status === 'ok'),
    files,
    bytesRead: 0,
    durationMs: 5,
    ...extra,
  };
}

describe('mirror outcome and exit status', () => {
  it('0 only when every mirror is correct', () => {
    expect(mirrorExitStatus([report('a', ['ok', 'ok']), report('b', ['ok'])])).toBe(0);
  });

  it('1 as soon as one mirror serves wrong or incomplete data, whatever else happened', () => {
    expect(mirrorExitStatus([report('a', ['ok']), report('b', ['timeout']), report('c', ['unverifiable'])])).toBe(1);
  });

  it('2 when a mirror could only be checked partly, or not at all, and none is bad', () => {
    expect(mirrorOutcome(report('a', ['ok', 'unverifiable']))).toBe('not-checked');
    expect(mirrorExitStatus([report('a', ['ok']), report('b', ['unverifiable'])])).toBe(2);
    expect(mirrorExitStatus([report('a', [], { ok: false, error: { code: 'internal', detail: 'boom' } })])).toBe(2);
    expect(mirrorExitStatus([])).toBe(2);
  });
});

describe('mirror table', () => {
  it('names the mirror on every row, hides sizes of error pages, and sums up', () => {
    const a = report('https://a.example/tails/', ['ok']);
    a.files[0] = file('ok', { httpStatus: 200, contentLength: 10 });
    const b = report('https://b.example/tails/', ['missing']);
    b.files[0] = file('missing', { httpStatus: 404, contentLength: 120, detail: 'HTTP 404' });
    const text = formatMirrorTable([a, b], {
      releaseLine: 'Release: Tails 7.2',
      notes: ['skipped https://c.example/tails/: weight 0'],
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Release: Tails 7.2');
    expect(lines.find((l) => l.startsWith('https://a.example/tails/ '))).toMatch(/tails-amd64-7\.2\.img +OK +10 B +-$/);
    expect(lines.find((l) => l.startsWith('https://b.example/tails/ '))).toMatch(/MISSING +- +- +HTTP 404$/);
    expect(text).toContain('CORRECT  https://a.example/tails/ (quick): the file as released');
    expect(text).toContain('BAD  https://b.example/tails/ (quick): tails-amd64-7.2.img missing');
    expect(text).toContain('skipped https://c.example/tails/: weight 0');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      '2 mirrors checked: 1 correct, 1 serving wrong or incomplete data, 0 not fully checked.',
    );
  });

  it('sizes', () => {
    expect(formatSize(undefined)).toBe('-');
    expect(formatSize(228)).toBe('228 B');
    expect(formatSize(134217728)).toBe('134.2 MB');
    expect(formatSize(1_450_000_000)).toBe('1.45 GB');
  });
});
