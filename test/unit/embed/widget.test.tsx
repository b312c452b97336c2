import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../src/core/verdict.js';
import { downloadLineKey, Widget, type WidgetStage } from '../../../src/embed/Widget.js';
import { summarizeVerdict, type DownloadSummary, type HelloInfo } from '../../../src/wire/page-protocol.js';
import { render, tagWith, textOf } from '../ui/render.js';

const hello: HelloInfo = { extension: 'iso-verify', version: '0.1.0', profile: 'demo', product: 'Tails' };
const noDeps = () => Promise.reject(new Error('not used'));

const verified: Verdict = {
  kind: 'verified',
  expected: {
    product: 'Tails',
    version: '7.2',
    type: 'img',
    name: 'tails-amd64-7.2.img',
    url: 'https://m.example/x.img',
    size: 10,
    sha256: 'a'.repeat(64),
  },
  signer: {
    primaryFingerprint: 'F'.repeat(40),
    signingKeyFingerprint: 'E'.repeat(40),
    signatureTime: '2025-01-01T00:00:00.000Z',
    over: 'description',
  },
  evidence: {
    file: { name: 'tails-amd64-7.2.img', size: 10, sha256: 'a'.repeat(64) },
    signatures: [],
    inputs: [],
    profile: 'demo',
    checkedAt: '2025-01-02T00:00:00.000Z',
  },
};

function widget(
  initial: { extension?: HelloInfo; downloads?: DownloadSummary[]; stage?: WidgetStage },
  locale: 'en' | 'de' = 'en',
) {
  return render(<Widget product="Tails" loadDeps={noDeps} inputId="f1" initial={initial} />, locale);
}

describe('the widget', () => {
  it('without the extension: intro and picker, no extension notice', () => {
    const html = widget({});
    expect(tagWith(html, 'data-testid="iso-verify-widget"')).toContain('data-extension="absent"');
    expect(textOf(html)).toContain('release data signed by Tails');
    expect(html).toContain('id="f1"');
    expect(html).not.toContain('extension-present');
  });

  it('with the extension: its version and the verdict of a watched download', () => {
    const html = widget({
      extension: hello,
      downloads: [
        {
          fileName: 'tails-amd64-7.2.img',
          phase: 'done',
          verdict: {
            kind: 'verified',
            product: 'Tails',
            version: '7.2',
            type: 'img',
            signatureTime: '2025-01-01T00:00:00.000Z',
          },
        },
      ],
    });
    expect(tagWith(html, 'data-testid="iso-verify-widget"')).toContain('data-extension="present"');
    const text = textOf(html);
    expect(text).toContain('The ISO Verify extension (0.1.0) is installed');
    expect(text).toContain('Your download tails-amd64-7.2.img was verified by the ISO Verify extension');
    expect(text).toContain('Tails 7.2, USB image (IMG), signed');
    expect(tagWith(html, 'data-testid="extension-download"')).toContain('data-verdict="verified"');
    // Verified already: no "Choose the image file you downloaded" under it, another file one click away.
    // The picker is folded away inside "Check another image file" (a closed <details>).
    expect(html).toMatch(
      /<details part="picker" data-testid="picker-other-file"><summary>Check another image file<\/summary>.*Choose the image file you downloaded.*<\/details>/s,
    );
    expect(html).not.toMatch(/<details[^>]*\bopen\b[^>]*data-testid="picker-other-file"/);
    expect(text).toContain('Check another image file');
  });

  it('a verified download whose version no signature names: no version in the line (only signed facts)', () => {
    const text = textOf(
      widget({
        extension: hello,
        downloads: [
          {
            fileName: 'tails-amd64-7.2.img',
            phase: 'done',
            verdict: { kind: 'verified', product: 'Tails', type: 'img', signatureTime: '2025-01-01T00:00:00.000Z' },
          },
        ],
      }),
    );
    expect(text).toContain('Tails, USB image (IMG), signed');
    expect(text).not.toContain('7.2,');
    const summary = summarizeVerdict({
      ...verified,
      evidence: { ...verified.evidence, facts: { release: 'unsigned', reference: 'unsigned', bytes: 'image' } },
    });
    expect(summary).not.toHaveProperty('version');
    expect(summarizeVerdict(verified)).toMatchObject({ version: '7.2' });
  });

  it('a watched download not verified: the picker stays in plain view', () => {
    const html = widget({
      extension: hello,
      downloads: [{ fileName: 'a.img', phase: 'done', verdict: { kind: 'mismatch' } }],
    });
    expect(textOf(html)).toContain('Choose the image file you downloaded');
    expect(html).not.toContain('picker-other-file');
  });

  it('words every watched state, in German too', () => {
    const line = (verdict: DownloadSummary['verdict'], phase: DownloadSummary['phase'] = 'done', percent?: number) =>
      textOf(
        widget({
          extension: hello,
          downloads: [
            {
              fileName: 'tails-amd64-7.2.img',
              phase,
              ...(verdict ? { verdict } : {}),
              ...(percent === undefined ? {} : { percent }),
            },
          ],
        }),
      );
    expect(line({ kind: 'mismatch', proven: true })).toContain('failed the ISO Verify extension');
    // Only unsigned data says so (#20): not "do not use it", and not red.
    expect(line({ kind: 'mismatch' })).toContain('could not verify your download');
    expect(
      widget({ extension: hello, downloads: [{ fileName: 'a.img', phase: 'done', verdict: { kind: 'mismatch' } }] }),
    ).toContain('extension-download--warn');
    expect(
      widget({
        extension: hello,
        downloads: [{ fileName: 'a.img', phase: 'done', verdict: { kind: 'mismatch', proven: true } }],
      }),
    ).toContain('extension-download--bad');
    expect(line({ kind: 'incomplete' })).toContain('is incomplete');
    expect(line({ kind: 'unverifiable' })).toContain('could not verify your download');
    expect(line({ kind: 'checksum-only' })).toContain('only an unsigned checksum');
    expect(line(undefined, 'hashing', 40)).toContain(
      'is checking your download tails-amd64-7.2.img: Checking the file… 40%',
    );
    const german = textOf(
      widget(
        {
          extension: hello,
          downloads: [{ fileName: 'a.img', phase: 'done', verdict: { kind: 'mismatch', proven: true } }],
        },
        'de',
      ),
    );
    expect(german).toContain('Ihr Download a.img hat die Verifizierung');
    expect(downloadLineKey({ fileName: 'a', phase: 'done', verdict: { kind: 'oversized', proven: true } })).toBe(
      'embed_download_bad',
    );
    expect(downloadLineKey({ fileName: 'a', phase: 'done', verdict: { kind: 'wrong-release', proven: true } })).toBe(
      'embed_download_bad',
    );
    expect(downloadLineKey({ fileName: 'a', phase: 'done', verdict: { kind: 'wrong-release' } })).toBe(
      'embed_download_unverifiable',
    );
  });

  it('shows the same verdict view as the extension, and says when the extension checked', () => {
    const own = widget({ stage: { step: 'done', verdict: verified, byExtension: false } });
    expect(tagWith(own, 'data-testid="verdict"')).toContain('data-verdict="verified"');
    expect(own).not.toContain('checked-by-extension');
    const viaExtension = widget({ extension: hello, stage: { step: 'done', verdict: verified, byExtension: true } });
    expect(textOf(viaExtension)).toContain('Checked by the ISO Verify extension, with its own pinned key.');
  });

  it('shows progress with rate, time left and a cancel button while hashing; errors as text', () => {
    const html = widget({
      stage: {
        step: 'hashing',
        fileName: 'tails-amd64-7.2.img',
        progress: { bytes: 50e6, total: 100e6, rate: 25e6, etaSeconds: 2 },
        byExtension: false,
      },
    });
    const text = textOf(html);
    expect(text).toContain('Checking tails-amd64-7.2.img');
    expect(text).toContain('50%');
    expect(text).toContain('left');
    expect(html).toContain('data-testid="cancel"');
    expect(tagWith(html, 'data-testid="file-input"')).toContain('disabled');
    const failed = textOf(widget({ stage: { step: 'failed', error: { code: 'fetch-failed', detail: 'offline' } } }));
    expect(failed).toContain('offline');
  });
});
