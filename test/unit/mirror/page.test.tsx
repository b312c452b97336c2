import { describe, expect, it } from 'vitest';
import type { MirrorReport } from '../../../src/core/mirror/types.js';
import {
  MirrorCheckPage,
  MirrorResult,
  normalisePrefix,
  type MirrorCheckDeps,
} from '../../../src/ui/pages/MirrorCheckPage.js';
import { de, en, render, textOf } from '../ui/render.js';

const deps: MirrorCheckDeps = {
  requestAccess: async () => true,
  loadRelease: async () => {
    throw new Error('not in a static render');
  },
  sourceFor: () => {
    throw new Error('not in a static render');
  },
};

function report(overrides: Partial<MirrorReport> = {}): MirrorReport {
  return {
    mirror: 'https://mirror.example.org/tails/',
    mode: 'full',
    release: { product: 'Tails', version: '7.2', signed: true },
    ok: true,
    files: [
      {
        fileName: 'tails-amd64-7.2.img',
        kind: 'image',
        path: 'stable/tails-amd64-7.2/tails-amd64-7.2.img',
        location: 'https://mirror.example.org/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img',
        status: 'ok',
        httpStatus: 200,
        contentLength: 134217728,
        expectedSize: 134217728,
        bytesRead: 134217728,
        durationMs: 2000,
        throughput: 67_108_864,
        detail: 'verified: description signature by the pinned key',
      },
    ],
    bytesRead: 134217728,
    durationMs: 2000,
    throughput: 67_108_864,
    ...overrides,
  };
}

/** A file result with no throughput measured (nothing was read). */
function withoutThroughput<T extends { throughput?: number }>(file: T): Omit<T, 'throughput'> {
  const { throughput: _throughput, ...rest } = file;
  return rest;
}

describe('normalisePrefix', () => {
  it.each([
    ['https://mirror.example.org/tails', 'https://mirror.example.org/tails/'],
    [' http://MIRROR.example.org:8080/tails/ ', 'http://mirror.example.org:8080/tails/'],
    ['ftp://mirror.example.org/tails/', undefined],
    ['https://user:pw@mirror.example.org/tails/', undefined],
    ['https://mirror.example.org/tails/?x=1', undefined],
    ['not a url', undefined],
  ])('%j → %j', (input, expected) => {
    expect(normalisePrefix(input)).toBe(expected);
  });
});

describe('MirrorCheckPage', () => {
  it('starts with the prefix field and both check buttons, in English and German', () => {
    const html = render(<MirrorCheckPage deps={deps} initialPrefix="https://mirror.example.org/tails/" />);
    expect(html).toContain('data-testid="mirror-quick"');
    expect(html).toContain('data-testid="mirror-full"');
    expect(html).toContain('value="https://mirror.example.org/tails/"');
    expect(textOf(html)).toContain(en.mirror_title!.message);
    expect(textOf(render(<MirrorCheckPage deps={deps} />, 'de'))).toContain(de.mirror_title!.message);
  });

  it('a correct mirror: the answer, the signed release and one row per file', () => {
    const html = render(<MirrorResult report={report()} />);
    expect(html).toContain('data-outcome="correct"');
    expect(textOf(html)).toContain('https://mirror.example.org/tails/ serves the release correctly.');
    expect(textOf(html)).toContain('Checked against Tails 7.2, whose description is signed by the pinned key.');
    expect(textOf(html)).toMatch(/tails-amd64-7\.2\.img OK 134\.2 MB 67\.1 MB\/s verified/);
  });

  it('a bad mirror and an unsigned description in quick mode say so', () => {
    const bad = report({
      ok: false,
      mode: 'quick',
      release: { product: 'Tails', version: '7.2', signed: false },
      files: [
        {
          ...withoutThroughput(report().files[0]!),
          status: 'missing',
          httpStatus: 404,
          bytesRead: 0,
          detail: 'HTTP 404',
        },
      ],
    });
    const html = render(<MirrorResult report={bad} />);
    expect(html).toContain('data-outcome="bad"');
    expect(html).toContain('data-status="missing"');
    expect(html).toContain('data-signed="false"');
    expect(textOf(html)).toContain('the quick check compares with unsigned sizes only');
    expect(textOf(html)).toContain('Missing');
  });
});
