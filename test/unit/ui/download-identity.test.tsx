/**
 * Telling downloads of the same name apart (issue #25): when each started, its size and, where
 * names collide, the start of its SHA-256 — and the verification page's card offering the
 * popup's actions (same labels, same handlers).
 */
import { describe, expect, it } from 'vitest';
import type { TrackedDownload } from '../../../src/wire/download.js';
import { formatStarted } from '../../../src/ui-kit/format.js';
import { HASH_PREFIX_DIGITS, identityOf, nameCollides } from '../../../src/ui/components/download-identity.js';
import { DownloadCard, DownloadList } from '../../../src/ui/components/DownloadList.js';
import { downloads, FIXTURE_NOW, IMG_SIZE, OTHER_SHA256, sameNameDownloads, verdicts } from './fixtures.js';
import { render, textOf } from './render.js';

const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatStarted', () => {
  const now = Date.parse('2025-11-20T10:00:00.000Z');
  it('the time alone today, day and month before on another day, the year when it is another year', () => {
    expect(plain(formatStarted('2025-11-20T09:10:00.000Z', now, 'en', 'UTC'))).toBe('9:10 AM');
    expect(formatStarted('2025-11-20T09:10:00.000Z', now, 'de', 'UTC')).toBe('09:10');
    expect(plain(formatStarted('2025-11-19T18:00:00.000Z', now, 'en', 'UTC'))).toBe('Nov 19, 6:00 PM');
    expect(plain(formatStarted('2025-11-19T18:00:00.000Z', now, 'de', 'UTC'))).toBe('19. Nov., 18:00');
    expect(plain(formatStarted('2025-11-19T18:00:00.000Z', now, 'ru', 'UTC'))).toBe('19 нояб., 18:00');
    expect(plain(formatStarted('2024-11-19T18:00:00.000Z', now, 'en', 'UTC'))).toBe('Nov 19, 2024, 6:00 PM');
  });

  it('"today" is the day in the time zone shown, not in UTC', () => {
    // 23:30 UTC on the 19th is 00:30 on the 20th in Berlin: today there.
    expect(formatStarted('2025-11-19T23:30:00.000Z', now, 'de', 'Europe/Berlin')).toBe('00:30');
    expect(plain(formatStarted('2025-11-19T23:30:00.000Z', now, 'de', 'UTC'))).toBe('19. Nov., 23:30');
  });

  it('shows a value that does not parse as it is', () => {
    expect(formatStarted('yesterday', now)).toBe('yesterday');
  });
});

describe('identityOf', () => {
  it('host and start always; size once the bytes stop arriving; a hash prefix only where names collide', () => {
    const [verified, short, other] = sameNameDownloads as [TrackedDownload, TrackedDownload, TrackedDownload];
    expect(identityOf(verified, sameNameDownloads)).toEqual({
      host: 'mirror.example.net',
      startedAt: verified.startedAt,
      size: IMG_SIZE,
      hashPrefix: '5f3e2b1c',
    });
    expect(identityOf(short, sameNameDownloads)).toMatchObject({ size: 812_400_000, hashPrefix: 'a9b8c7d6' });
    expect(identityOf(other, sameNameDownloads).hashPrefix).toBe(OTHER_SHA256.slice(0, HASH_PREFIX_DIGITS));
    // Alone, its name is enough: no hash.
    expect(identityOf(verified, [verified])).not.toHaveProperty('hashPrefix');
    expect(nameCollides(verified, [verified, { ...verified }])).toBe(false); // the same record twice
  });

  it('no size while the progress bar shows it; the received bytes when interrupted; no hash before hashing', () => {
    const [downloading, , interrupted] = downloads as [TrackedDownload, TrackedDownload, TrackedDownload];
    expect(identityOf(downloading, downloads)).not.toHaveProperty('size');
    expect(identityOf(downloading, downloads)).not.toHaveProperty('hashPrefix');
    expect(identityOf(interrupted, downloads)).toMatchObject({ size: 412_000_000 });
    expect(identityOf(interrupted, downloads)).not.toHaveProperty('hashPrefix');
    expect(identityOf({ ...interrupted, receivedBytes: 0 }, [])).toMatchObject({ size: IMG_SIZE });
  });
});

describe('three downloads named tails-amd64-7.2.img from one mirror', () => {
  const lines = (html: string) =>
    [
      ...html.matchAll(
        /class="muted download-mirror">(.*?)<\/span><span[^>]*data-testid="download-identity"[^>]*>(.*?)<\/span><\/div>/g,
      ),
    ].map((m) => `${textOf(m[1]!)} · ${textOf(m[2]!)}`);

  it('each card says when it started, how big it is and how its SHA-256 begins, all different', () => {
    const html = render(
      <DownloadList
        downloads={sameNameDownloads}
        product="Tails"
        onOpenVerify={() => undefined}
        onResume={() => undefined}
        onForget={() => undefined}
        now={FIXTURE_NOW}
      />,
    );
    const shown = lines(html).map(plain);
    expect(shown).toHaveLength(3);
    expect(new Set(shown).size).toBe(3);
    // (The times are in this machine's time zone: formatStarted's own tests fix the zone.)
    expect(shown[0]).toMatch(/^from mirror\.example\.net · started [^·]+ · 1\.56 GB · SHA-256 5f3e2b1c…$/);
    expect(shown[1]).toMatch(/^from mirror\.example\.net · started [^·]+ · 812\.4 MB · SHA-256 a9b8c7d6…$/);
    expect(shown[2]).toMatch(/^from mirror\.example\.net · started [^·]+ · 1\.56 GB · SHA-256 0c1d2e3f…$/);
  });

  it('in German through Intl: German date, decimal comma', () => {
    const html = render(
      <DownloadList
        downloads={sameNameDownloads}
        product="Tails"
        onOpenVerify={() => undefined}
        onResume={() => undefined}
        onForget={() => undefined}
        now={FIXTURE_NOW}
      />,
      'de',
    );
    const shown = lines(html).map(plain);
    expect(shown[1]).toMatch(/^von mirror\.example\.net · gestartet [^·]+ · 812,4 MB · SHA-256 a9b8c7d6…$/);
    expect(shown[1]).not.toMatch(/AM|PM/);
  });
});

describe('the verification page’s card (no "Open verification page", no "Forget")', () => {
  const card = (download: TrackedDownload, handlers: Record<string, unknown> = {}) =>
    render(
      <DownloadCard
        as="section"
        download={download}
        identity={identityOf(download, [download])}
        now={FIXTURE_NOW}
        onResume={() => undefined}
        onRetry={() => undefined}
        onDownloadAgain={() => undefined}
        {...handlers}
      />,
    );

  it('a short download: "Download from another mirror" and "Download again", the popup’s labels', () => {
    const html = card(sameNameDownloads[1]!);
    expect(html).toMatch(/^<section class="download"/);
    expect(html).toContain('data-testid="download-other-mirror"');
    expect(html).toContain('data-testid="download-again"');
    expect(textOf(html)).toContain('Download from another mirror');
    expect(html).not.toContain('data-testid="open-verify"');
    expect(html).not.toContain('data-testid="forget"');
  });

  it('decided while the official site was down: "Try again"', () => {
    const offline: TrackedDownload = {
      ...downloads[2]!,
      id: 'dl-4',
      phase: 'done',
      verdict: verdicts.unverifiable,
      hash: {
        engine: 'hash-wasm',
        bytes: 1,
        digests: {},
        states: {},
        url: 'https://m/x',
        finishedAt: '2025-01-01T00:00:00.000Z',
      },
    };
    const html = card(offline);
    expect(html).toContain('data-testid="try-again"');
    expect(textOf(html)).toContain('Try again');
    // Without the handler (a page given no actions) there is no button that does nothing.
    expect(card(offline, { onRetry: undefined })).not.toContain('data-testid="try-again"');
  });

  it('waiting for its file: no "Open the verification page" sentence on that page; its verdict can step aside', () => {
    const awaiting: TrackedDownload = { ...downloads[2]!, id: 'dl-9', phase: 'awaiting-file' };
    expect(textOf(card(awaiting))).not.toContain('Open the verification page');
    expect(card(sameNameDownloads[0]!, { showVerdict: false })).not.toContain('data-testid="verdict"');
    expect(card(sameNameDownloads[0]!)).toContain('data-testid="verdict"');
  });
});
