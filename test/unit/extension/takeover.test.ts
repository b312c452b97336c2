import { describe, expect, it } from 'vitest';
import { restartFileName, takeoverDecision, type CreatedDownload } from '../../../src/extension/takeover.js';
import { pool, profile } from '../background/fixtures.js';

const URL_ = 'https://mirror.example.org/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img';

function created(overrides: Partial<CreatedDownload> = {}): CreatedDownload {
  return {
    id: 7,
    url: URL_,
    filename: '/home/u/Downloads/tails-amd64-7.2.img',
    incognito: false,
    state: 'in_progress',
    ...overrides,
  };
}

describe('takeoverDecision', () => {
  it('restarts an image the browser started from a pool mirror or the official site, under the name the browser chose', () => {
    expect(takeoverDecision(profile, pool, created())).toEqual({
      kind: 'restart',
      url: URL_,
      saveAs: 'tails-amd64-7.2.img',
      fileName: 'tails-amd64-7.2.img',
    });
    const official = 'https://download.tails.net/tails/stable/tails-amd64-7.2/tails-amd64-7.2.iso';
    expect(
      takeoverDecision(profile, pool, created({ url: official, filename: '/d/tails-amd64-7.2(1).iso' })),
    ).toMatchObject({ kind: 'restart', url: official, saveAs: 'tails-amd64-7.2(1).iso' });
    // The fragment never reaches the server: dropped, as for a handed-over link.
    expect(takeoverDecision(profile, pool, created({ url: `${URL_}#x` }))).toMatchObject({
      kind: 'restart',
      url: URL_,
    });
  });

  it("takes over a private window's download as any other (the background restarts it private)", () => {
    expect(takeoverDecision(profile, pool, created({ incognito: true }))).toMatchObject({ kind: 'restart', url: URL_ });
  });

  it('leaves alone downloads started by an extension (ours or another), finished ones and anything not an image of a mirror', () => {
    expect(takeoverDecision(profile, pool, created({ byExtensionId: 'iso-verify@iso-verify.invalid' })).kind).toBe(
      'ignore',
    );
    expect(takeoverDecision(profile, pool, created({ byExtensionId: 'other@example' })).kind).toBe('ignore');
    expect(takeoverDecision(profile, pool, created({ state: 'complete' })).kind).toBe('ignore');
    expect(takeoverDecision(profile, pool, created({ state: 'interrupted' })).kind).toBe('ignore');
    expect(takeoverDecision(profile, pool, created({ url: 'https://evil.example/tails-amd64-7.2.img' })).kind).toBe(
      'ignore',
    );
    expect(
      takeoverDecision(
        profile,
        pool,
        created({ url: 'https://mirror.example.org/tails/notes.txt', filename: '/d/notes.txt' }),
      ).kind,
    ).toBe('ignore');
  });

  it('an image matched only by its local name (URL names another file) stays with the browser, with the reason', () => {
    const d = takeoverDecision(profile, pool, created({ url: 'https://mirror.example.org/tails/get?id=7' }));
    expect(d).toMatchObject({ kind: 'leave', error: { code: 'takeover-failed' } });
  });

  it('never restarts a URL carrying credentials', () => {
    const d = takeoverDecision(
      profile,
      pool,
      created({ url: 'https://user:pw@mirror.example.org/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img' }),
    );
    expect(d.kind).not.toBe('restart');
  });
});

describe('restartFileName', () => {
  it('keeps a plain base name, falls back to the URL name for anything odd', () => {
    expect(restartFileName('C:\\Users\\u\\Downloads\\tails-amd64-7.2.img', 'x.img')).toBe('tails-amd64-7.2.img');
    expect(restartFileName(undefined, 'x.img')).toBe('x.img');
    expect(restartFileName('', 'x.img')).toBe('x.img');
    expect(restartFileName('/d/..', 'x.img')).toBe('x.img');
    expect(restartFileName('/d/a:b.img', 'x.img')).toBe('x.img');
    expect(restartFileName('/d/a\u0007b.img', 'x.img')).toBe('x.img');
    expect(restartFileName(`/d/${'a'.repeat(300)}`, 'x.img')).toBe('x.img');
  });
});
