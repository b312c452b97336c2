import { describe, expect, it } from 'vitest';
import type { TrackedDownload } from '../../../src/wire/download.js';
import { DownloadList, sortDownloads } from '../../../src/ui/components/DownloadList.js';
import { PopupView } from '../../../src/ui/components/PopupView.js';
import { downloads, verdicts } from './fixtures.js';
import { render, textOf } from './render.js';

const handlers = {
  product: 'Tails',
  onOpenVerify: () => undefined,
  onResume: () => undefined,
  onForget: () => undefined,
  onCancel: () => undefined,
};

function itemHtml(html: string, id: string): string {
  const start = html.indexOf(`data-id="${id}"`);
  expect(start).toBeGreaterThan(-1);
  const next = html.indexOf('data-testid="download"', start);
  return html.slice(start, next === -1 ? html.length : next);
}

describe('DownloadList', () => {
  it('empty state explains what the extension does', () => {
    const html = render(<DownloadList downloads={[]} {...handlers} />);
    expect(html).toContain('data-testid="downloads-empty"');
    expect(textOf(html)).toContain('When you download a Tails image from the official website');
  });

  it("empty state names the profile's product, not a hard-coded one", () => {
    const text = textOf(render(<DownloadList downloads={[]} {...handlers} product="Kali Linux" />));
    expect(text).toContain('When you download a Kali Linux image');
    expect(text).not.toContain('Tails');
  });

  it('keeps Forget in the head, so the action row has at most two buttons (no lone button on a line)', () => {
    const phases: TrackedDownload[] = [
      { ...downloads[2]!, id: 'dl-7', phase: 'failed', error: { code: 'fetch-failed' } },
      { ...downloads[2]!, id: 'dl-8', phase: 'interrupted' },
      { ...downloads[2]!, id: 'dl-9', phase: 'awaiting-file' },
      { ...downloads[2]!, id: 'dl-10', phase: 'done', verdict: verdicts.incomplete },
    ];
    const html = render(<DownloadList downloads={phases} {...handlers} onRetry={() => undefined} />);
    for (const d of phases) {
      const item = itemHtml(html, d.id);
      expect(item.match(/data-testid="forget"/g), d.id).toHaveLength(1);
      const actions = item.slice(item.lastIndexOf('class="actions actions--small"'));
      expect(actions, d.id).not.toContain('data-testid="forget"');
      expect((actions.match(/<button|<a /g) ?? []).length, d.id).toBeLessThanOrEqual(2);
    }
  });

  it('lists newest first with live state per phase', () => {
    expect(sortDownloads(downloads).map((d) => d.id)).toEqual(['dl-3', 'dl-2', 'dl-1']);
    const html = render(<DownloadList downloads={[...downloads].reverse()} {...handlers} />);
    const order = [...html.matchAll(/data-id="(dl-\d)"/g)].map((m) => m[1]);
    expect(order).toEqual(['dl-3', 'dl-2', 'dl-1']);

    const downloading = itemHtml(html, 'dl-3');
    expect(downloading).toContain('data-phase="downloading"');
    expect(downloading).toContain('role="progressbar"');
    expect(textOf(downloading)).toContain('44%');
    expect(textOf(downloading)).toContain('from mirror.example.net');
    expect(downloading).not.toContain('data-testid="forget"');

    const done = itemHtml(html, 'dl-2');
    expect(done).toContain('data-verdict="verified"');
    expect(done).toContain('data-repro-met="true"');
    expect(done).toContain('data-testid="forget"');
    expect(done).toContain('data-testid="open-verify"');

    const interrupted = itemHtml(html, 'dl-1');
    expect(textOf(interrupted)).toContain('The download was interrupted.');
    expect(textOf(interrupted)).toContain('Resume download');
  });

  it('awaiting-file points to the verification page; an incomplete verdict offers resume only when the browser can', () => {
    const awaiting: TrackedDownload = { ...downloads[2]!, id: 'dl-9', phase: 'awaiting-file' };
    const incomplete: TrackedDownload = {
      ...downloads[2]!,
      id: 'dl-8',
      phase: 'done',
      verdict: verdicts.incomplete,
      canResume: true,
    };
    const html = render(<DownloadList downloads={[awaiting, incomplete]} {...handlers} />);
    expect(textOf(itemHtml(html, 'dl-9'))).toContain('Open the verification page and choose it');
    expect(itemHtml(html, 'dl-9')).toMatch(/class="button button--primary"[^>]*data-testid="open-verify"/);
    expect(itemHtml(html, 'dl-8')).toContain('data-testid="resume"');
  });

  it('no dead Resume: a short download the browser calls complete offers to download it again, from another mirror first', () => {
    const calls: string[] = [];
    const short: TrackedDownload = {
      ...downloads[2]!,
      id: 'dl-8',
      phase: 'done',
      verdict: verdicts.incomplete,
      canResume: false,
    };
    const broken: TrackedDownload = { ...downloads[2]!, id: 'dl-7', phase: 'interrupted', canResume: false };
    const html = render(
      <DownloadList
        downloads={[short, broken]}
        {...handlers}
        onDownloadAgain={(id, from) => calls.push(`${id}:${from}`)}
      />,
    );
    for (const id of ['dl-8', 'dl-7']) {
      const item = itemHtml(html, id);
      expect(item).not.toContain('data-testid="resume"');
      expect(item).toMatch(/class="button button--primary"[^>]*data-testid="download-other-mirror"/);
      expect(item).toContain('data-testid="download-again"');
      // Two buttons, no third: the short file is no use on the verification page.
      expect(item).not.toContain('data-testid="open-verify"');
      expect(textOf(item)).toContain('The browser cannot resume this download: download it again.');
    }
  });

  it('a download from outside the pool says so', () => {
    const offPool: TrackedDownload = { ...downloads[2]!, id: 'dl-5', inPool: false };
    expect(textOf(render(<DownloadList downloads={[offPool]} {...handlers} />))).toContain(
      'This server is not one of the official mirrors.',
    );
    expect(render(<DownloadList downloads={[downloads[2]!]} {...handlers} />)).not.toContain('not-in-pool');
  });

  it('a verdict that lacked release data offers "Try again" and says when it tries by itself', () => {
    const kept = {
      engine: 'hash-wasm',
      bytes: 1,
      digests: { sha256: 'a' },
      states: { sha256: 'AA==' },
      url: 'https://m/x',
      finishedAt: '2025-01-01T00:00:00.000Z',
    };
    const offline: TrackedDownload = {
      ...downloads[2]!,
      id: 'dl-4',
      phase: 'done',
      verdict: verdicts.unverifiable,
      hash: kept,
      redecide: { attempts: 1, nextAt: '2025-01-01T00:01:00.000Z' },
    };
    const html = render(<DownloadList downloads={[offline]} {...handlers} onRetry={() => undefined} />);
    expect(html).toContain('data-testid="try-again"');
    expect(html).toContain('data-testid="redecide-at"');
    expect(textOf(html)).toContain('Could not verify yet: the official site could not be reached');
  });

  it('shows a stored error with its translated message', () => {
    const failed: TrackedDownload = {
      ...downloads[2]!,
      id: 'dl-7',
      phase: 'failed',
      error: { code: 'io-failed', detail: 'permission denied' },
    };
    const text = textOf(render(<DownloadList downloads={[failed]} {...handlers} onRetry={() => undefined} />));
    expect(text).toContain('The file could not be read. (permission denied)');
    expect(text).toContain('Try again');
  });
});

describe('PopupView', () => {
  it('shows a refused or failed action to the person, with its translated message', () => {
    const html = render(
      <PopupView
        downloads={[]}
        product="Tails"
        onOpenVerify={() => undefined}
        onOpenSettings={() => undefined}
        onResume={() => undefined}
        onForget={() => undefined}
        actionError={{ code: 'download-not-resumable', detail: 'dl-1' }}
      />,
    );
    expect(html).toContain('data-testid="action-error"');
    expect(textOf(html)).toContain('The browser cannot resume this download. (dl-1)');
    expect(
      render(
        <PopupView
          downloads={[]}
          product="Tails"
          onOpenVerify={() => undefined}
          onOpenSettings={() => undefined}
          onResume={() => undefined}
          onForget={() => undefined}
        />,
      ),
    ).not.toContain('action-error');
  });

  it('a failed check shows its error and offers to try again', () => {
    const failed: TrackedDownload = { ...downloads[2]!, id: 'dl-6', phase: 'failed', error: { code: 'fetch-failed' } };
    const html = render(<DownloadList downloads={[failed]} {...handlers} onRetry={() => undefined} />);
    expect(itemHtml(html, 'dl-6')).toContain('data-phase="failed"');
    expect(textOf(html)).toContain('Try again');
  });
});

describe('DownloadList: downloads taken over from the browser (Firefox)', () => {
  const base = downloads.find((d) => d.phase === 'downloading')!;
  it('says the download was started again, or why it was left to the browser', () => {
    const restarted: TrackedDownload = { ...base, id: 'dl-8', takeover: { kind: 'restarted', from: 3 } };
    const left: TrackedDownload = {
      ...base,
      id: 'dl-9',
      takeover: { kind: 'not-restarted', error: { code: 'takeover-no-host-access' } },
    };
    const html = render(<DownloadList downloads={[restarted, left]} {...handlers} />);
    expect(itemHtml(html, 'dl-8')).toContain('data-takeover="restarted"');
    expect(textOf(itemHtml(html, 'dl-8'))).toContain('ISO Verify restarted this download');
    expect(textOf(itemHtml(html, 'dl-9'))).toContain('Not checked while it arrived:');
    expect(textOf(itemHtml(html, 'dl-9'))).toContain('may not read this mirror');
    expect(textOf(render(<DownloadList downloads={[restarted]} {...handlers} />, 'de'))).toContain('neu gestartet');
  });
});
