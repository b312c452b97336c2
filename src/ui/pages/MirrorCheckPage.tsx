/**
 * "Check a mirror": the extension's form of `iso-verify mirror` for one URL prefix. Quick
 * (headers, signatures byte for byte) or full (every image downloaded, hashed and judged like a
 * user's download). Extension APIs stay in `deps` (src/ui/mirror-check.tsx) so the page can be
 * rendered and tested without a browser.
 */
import { useRef, useState } from 'preact/hooks';
import { errorInfo, type ErrorInfo } from '../../core/errors.js';
import type { HashEngine } from '../../core/hash/types.js';
import { checkMirror, reportIsBad } from '../../core/mirror/check.js';
import type { LoadedMirrorRelease } from '../../core/mirror/release.js';
import type {
  MirrorCheckProgress,
  MirrorFileCheck,
  MirrorFileStatus,
  MirrorReport,
  MirrorSource,
} from '../../core/mirror/types.js';
import { ErrorText } from '../../ui-kit/ErrorText.js';
import { localeOf, useT, type Translate } from '../../ui-kit/i18n-core.js';
import { formatBytes, formatNumber, formatRate } from '../../ui-kit/format.js';

export interface MirrorCheckDeps {
  /**
   * Ask for access to the mirror's origin. Called first in the click handler, before any
   * await, because browsers only grant permissions during a user gesture.
   */
  requestAccess(prefix: string): Promise<boolean>;
  loadRelease(signal: AbortSignal): Promise<LoadedMirrorRelease>;
  sourceFor(prefix: string): MirrorSource;
  engine?: HashEngine;
}

/** A usable URL prefix (http or https, no credentials, query or fragment, ending with "/"), or undefined. */
export function normalisePrefix(input: string): string | undefined {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash)
    return undefined;
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url.href;
}

type Phase =
  | { kind: 'idle' }
  | {
      kind: 'running';
      mode: 'quick' | 'full';
      done: MirrorFileCheck[];
      progress?: MirrorCheckProgress;
      release?: LoadedMirrorRelease['release'];
    }
  | { kind: 'done'; report: MirrorReport }
  | { kind: 'failed'; error: ErrorInfo }
  | { kind: 'denied'; host: string };

const STATUS_CLASS: Record<MirrorFileStatus, 'good' | 'bad' | 'neutral'> = {
  ok: 'good',
  missing: 'bad',
  'http-error': 'bad',
  'wrong-length': 'bad',
  'wrong-type': 'bad',
  'redirect-offsite': 'bad',
  truncated: 'bad',
  oversized: 'bad',
  corrupt: 'bad',
  unverifiable: 'neutral',
  dropped: 'bad',
  unreachable: 'bad',
  timeout: 'bad',
};

function statusKey(status: MirrorFileStatus): string {
  return `mirror_status_${status.replace(/-/g, '_')}`;
}

/** Sizes and rates through the UI kit's one formatter (decimal units), as on every other page. */
function size(t: Translate, bytes: number | undefined): string {
  return bytes === undefined ? '–' : formatBytes(bytes, localeOf(t));
}

function rate(t: Translate, bytesPerSecond: number | undefined): string {
  return bytesPerSecond === undefined ? '–' : formatRate(bytesPerSecond, localeOf(t));
}

function FileRows({ files }: { files: MirrorFileCheck[] }) {
  const t = useT();
  return (
    <>
      {files.map((file) => (
        <tr key={file.path} data-testid="mirror-file" data-status={file.status}>
          <td class="filename">{file.fileName}</td>
          <td>
            <span class={`badge badge--${STATUS_CLASS[file.status] ?? 'neutral'}`}>{t(statusKey(file.status))}</span>
          </td>
          <td>
            {file.httpStatus === 200 && file.status !== 'redirect-offsite'
              ? size(t, file.bytesRead || file.contentLength)
              : '–'}
          </td>
          <td>{file.kind === 'image' ? rate(t, file.throughput) : '–'}</td>
          <td class="mirror-detail">{file.detail ?? ''}</td>
        </tr>
      ))}
    </>
  );
}

function ResultTable({ files }: { files: MirrorFileCheck[] }) {
  const t = useT();
  if (files.length === 0) return null;
  return (
    <table class="mirror-table" data-testid="mirror-table">
      <thead>
        <tr>
          <th>{t('mirror_col_file')}</th>
          <th>{t('mirror_col_status')}</th>
          <th>{t('mirror_col_size')}</th>
          <th>{t('mirror_col_speed')}</th>
          <th>{t('mirror_col_detail')}</th>
        </tr>
      </thead>
      <tbody>
        <FileRows files={files} />
      </tbody>
    </table>
  );
}

function ReleaseLine({ release, mode }: { release: MirrorReport['release']; mode: 'quick' | 'full' }) {
  const t = useT();
  const name = `${release.product} ${release.version}`;
  if (release.signed) return <p data-testid="mirror-release">{t('mirror_release_signed', name)}</p>;
  return (
    <p data-testid="mirror-release" data-signed="false">
      {t(mode === 'quick' ? 'mirror_release_unsigned_quick' : 'mirror_release_unsigned_full', name)}
    </p>
  );
}

function Summary({ report }: { report: MirrorReport }) {
  const t = useT();
  const bad = reportIsBad(report);
  const kind = report.ok ? 'good' : bad ? 'bad' : 'warn';
  const key = report.ok ? 'mirror_result_correct' : bad ? 'mirror_result_bad' : 'mirror_result_incomplete';
  return (
    <div
      class={`verdict verdict--${kind}`}
      data-testid="mirror-result"
      data-outcome={report.ok ? 'correct' : bad ? 'bad' : 'not-checked'}
    >
      <p class="verdict-headline">{t(key, report.mirror)}</p>
      {report.bytesRead > 0 && report.mode === 'full' ? (
        <p class="muted">
          {t('mirror_result_traffic', [
            size(t, report.bytesRead),
            formatNumber(report.durationMs / 1000, localeOf(t), 1),
            rate(t, report.throughput),
          ])}
        </p>
      ) : null}
    </div>
  );
}

/** The finished check: the one-line answer, what it was checked against, then the file table. */
export function MirrorResult({ report }: { report: MirrorReport }) {
  return (
    <>
      <Summary report={report} />
      <ReleaseLine release={report.release} mode={report.mode} />
      <ResultTable files={report.files} />
    </>
  );
}

export function MirrorCheckPage({ deps, initialPrefix = '' }: { deps: MirrorCheckDeps; initialPrefix?: string }) {
  const t = useT();
  const [input, setInput] = useState(initialPrefix);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [inputError, setInputError] = useState(false);
  const controller = useRef<AbortController | undefined>(undefined);
  const running = phase.kind === 'running';

  function start(mode: 'quick' | 'full') {
    const prefix = normalisePrefix(input);
    if (!prefix) {
      setInputError(true);
      return;
    }
    setInputError(false);
    // First thing in the gesture: the permission prompt.
    const access = deps.requestAccess(prefix);
    const abort = new AbortController();
    controller.current = abort;
    const done: MirrorFileCheck[] = [];
    setPhase({ kind: 'running', mode, done: [] });
    void (async () => {
      try {
        if (!(await access)) {
          setPhase({ kind: 'denied', host: new URL(prefix).host });
          return;
        }
        const loaded = await deps.loadRelease(abort.signal);
        setPhase({ kind: 'running', mode, done: [], release: loaded.release });
        const report = await checkMirror(deps.sourceFor(prefix), loaded.release, {
          mode,
          ...(deps.engine ? { engine: deps.engine } : {}),
          judge: loaded.judge,
          signal: abort.signal,
          stallTimeoutMs: 30_000,
          onProgress: (progress) =>
            setPhase({ kind: 'running', mode, done: [...done], progress, release: loaded.release }),
          onFileChecked: (_mirror, check) => {
            done.push(check);
            setPhase({ kind: 'running', mode, done: [...done], release: loaded.release });
          },
        });
        setPhase({ kind: 'done', report });
      } catch (error) {
        setPhase({ kind: 'failed', error: errorInfo(error) });
      } finally {
        if (controller.current === abort) controller.current = undefined;
      }
    })();
  }

  return (
    <main class="page-main">
      <header class="page-header">
        <h1 class="page-title">{t('mirror_title')}</h1>
      </header>
      <p class="lead">{t('mirror_intro')}</p>
      <section class="card">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!running) start('quick');
          }}
        >
          <p>
            <label for="mirror-prefix">{t('mirror_prefix_label')}</label>
            <br />
            <input
              id="mirror-prefix"
              data-testid="mirror-prefix"
              type="url"
              class="mirror-input"
              placeholder="https://mirror.example.org/tails/"
              value={input}
              disabled={running}
              aria-invalid={inputError ? 'true' : 'false'}
              onInput={(event) => setInput((event.target as HTMLInputElement).value)}
            />
          </p>
          {inputError ? (
            <p class="verdict-error" data-testid="mirror-input-error">
              {t('mirror_prefix_invalid')}
            </p>
          ) : null}
          <p class="actions">
            <button
              type="button"
              class="button button--primary"
              data-testid="mirror-quick"
              disabled={running}
              onClick={() => start('quick')}
            >
              {t('mirror_quick')}
            </button>
            <button
              type="button"
              class="button"
              data-testid="mirror-full"
              disabled={running}
              onClick={() => start('full')}
            >
              {t('mirror_full')}
            </button>
            {running ? (
              <button
                type="button"
                class="button button--quiet"
                data-testid="mirror-cancel"
                onClick={() => controller.current?.abort()}
              >
                {t('mirror_cancel')}
              </button>
            ) : null}
          </p>
          <p class="muted">{t('mirror_modes_explain')}</p>
        </form>
      </section>

      {phase.kind === 'running' ? (
        <section class="card" data-testid="mirror-running" aria-live="polite">
          {phase.release ? (
            <ReleaseLine release={phase.release} mode={phase.mode} />
          ) : (
            <p>{t('mirror_loading_release')}</p>
          )}
          {phase.progress ? (
            <p>
              <span class="filename">{phase.progress.fileName}</span>{' '}
              <progress max={phase.progress.total} value={phase.progress.bytes} /> {size(t, phase.progress.bytes)} /{' '}
              {size(t, phase.progress.total)}
            </p>
          ) : null}
          <ResultTable files={phase.done} />
        </section>
      ) : null}

      {phase.kind === 'done' ? (
        <section class="card" data-testid="mirror-done">
          <MirrorResult report={phase.report} />
        </section>
      ) : null}

      {phase.kind === 'denied' ? (
        <section class="card" data-testid="mirror-denied">
          <p class="verdict-error">{t('mirror_permission_denied', phase.host)}</p>
        </section>
      ) : null}

      {phase.kind === 'failed' ? (
        <section class="card" data-testid="mirror-failed">
          <p class="verdict-error">
            {phase.error.code === 'aborted' ? t('mirror_cancelled') : <ErrorText error={phase.error} />}
          </p>
        </section>
      ) : null}
    </main>
  );
}
