/**
 * `iso-verify mirror` output: one table row per mirror and file (mirror, file, status, size,
 * throughput, detail) — every row names its mirror so a cron log can be grepped — then one
 * summary line per mirror and an overall line. Pure functions of the reports, for testing.
 */
import { reportIsBad } from '../core/mirror/check.js';
import { formatBytesEnglish } from '../core/units.js';
import type { MirrorFileCheck, MirrorReport } from '../core/mirror/types.js';
import { describeError } from './messages.js';

export type MirrorOutcome = 'correct' | 'bad' | 'not-checked';

/** Correct: every file ok. Bad: wrong or incomplete data. Otherwise it could not be checked fully. */
export function mirrorOutcome(report: MirrorReport): MirrorOutcome {
  if (report.error) return 'not-checked';
  if (reportIsBad(report)) return 'bad';
  return report.ok ? 'correct' : 'not-checked';
}

/** Exit status: 0 all correct, 1 any mirror serves wrong or incomplete data, 2 anything else unchecked. */
export function mirrorExitStatus(reports: readonly MirrorReport[]): 0 | 1 | 2 {
  const outcomes = reports.map(mirrorOutcome);
  if (outcomes.includes('bad')) return 1;
  if (reports.length === 0 || outcomes.includes('not-checked')) return 2;
  return 0;
}

/** The same decimal sizes as the extension's pages ("134.2 MB", src/core/units.ts), in English. */
export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return '-';
  return formatBytesEnglish(bytes);
}

/** A transfer rate with a unit that fits it: never "0.0 MB/s" for a slow but working mirror. */
export function formatRate(bytesPerSecond: number | undefined): string {
  if (bytesPerSecond === undefined) return '-';
  if (bytesPerSecond >= 1_000_000) return `${(bytesPerSecond / 1_000_000).toFixed(1)} MB/s`;
  if (bytesPerSecond >= 1_000) return `${(bytesPerSecond / 1_000).toFixed(bytesPerSecond < 10_000 ? 1 : 0)} kB/s`;
  return `${Math.round(bytesPerSecond)} B/s`;
}

/** What was seen of the file's size: the bytes read, else the announced length. */
function observedSize(file: MirrorFileCheck): number | undefined {
  // The length of a 404 page or a redirect says nothing about the file.
  if (file.httpStatus !== 200 || file.status === 'redirect-offsite') return undefined;
  if (file.bytesRead > 0) return file.bytesRead;
  return file.contentLength;
}

const STATUS_WORD: Record<MirrorFileCheck['status'], string> = {
  ok: 'OK',
  missing: 'MISSING',
  'http-error': 'HTTP-ERROR',
  'wrong-length': 'WRONG-LENGTH',
  'wrong-type': 'WRONG-TYPE',
  'redirect-offsite': 'REDIRECT-OFFSITE',
  truncated: 'TRUNCATED',
  oversized: 'OVERSIZED',
  corrupt: 'CORRUPT',
  unverifiable: 'UNVERIFIABLE',
  dropped: 'DROPPED',
  unreachable: 'UNREACHABLE',
  timeout: 'TIMEOUT',
};

export function statusWord(status: MirrorFileCheck['status']): string {
  return STATUS_WORD[status] ?? status.toUpperCase();
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

export interface TableOptions {
  /** The release line shown above the table. */
  releaseLine: string;
  /** Notes shown before the summary (e.g. skipped mirrors). */
  notes?: string[];
}

export function formatMirrorTable(reports: readonly MirrorReport[], options: TableOptions): string {
  const header = ['MIRROR', 'FILE', 'STATUS', 'SIZE', 'SPEED', 'DETAIL'];
  const rows: string[][] = [];
  for (const report of reports) {
    if (report.error) {
      rows.push([report.mirror, '-', 'NOT-CHECKED', '-', '-', oneLine(describeError(report.error))]);
      continue;
    }
    for (const file of report.files) {
      rows.push([
        report.mirror,
        file.fileName,
        statusWord(file.status),
        formatSize(observedSize(file)),
        formatRate(file.kind === 'image' ? file.throughput : undefined),
        oneLine(file.detail ?? ''),
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const render = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();

  const lines = [options.releaseLine, '', render(header), ...rows.map(render), ''];
  for (const report of reports) lines.push(summaryLine(report));
  const hints = reports.flatMap((r) => (r.hints ?? []).map((hint) => `hint  ${r.mirror}: ${oneLine(hint)}`));
  if (hints.length) lines.push('', ...hints);
  if (options.notes?.length) lines.push('', ...options.notes);
  lines.push('', overallLine(reports));
  return `${lines.join('\n')}\n`;
}

export function summaryLine(report: MirrorReport): string {
  const outcome = mirrorOutcome(report);
  const word = outcome === 'correct' ? 'CORRECT' : outcome === 'bad' ? 'BAD' : 'NOT CHECKED';
  if (report.error) return `${word}  ${report.mirror}: ${oneLine(describeError(report.error))}`;
  const problems = report.files
    .filter((f) => f.status !== 'ok')
    .map((f) => `${f.fileName} ${statusWord(f.status).toLowerCase()}`);
  const traffic =
    report.mode === 'full' && report.bytesRead > 0
      ? `, ${formatSize(report.bytesRead)} read in ${(report.durationMs / 1000).toFixed(1)} s (${formatRate(report.throughput)})`
      : '';
  const n = report.files.length;
  const what = problems.length ? problems.join(', ') : `${n === 1 ? 'the file' : `all ${n} files`} as released`;
  return `${word}  ${report.mirror} (${report.mode}): ${what}${traffic}`;
}

export function overallLine(reports: readonly MirrorReport[]): string {
  const counts = { correct: 0, bad: 0, 'not-checked': 0 };
  for (const r of reports) counts[mirrorOutcome(r)]++;
  const total = reports.length;
  return `${total} mirror${total === 1 ? '' : 's'} checked: ${counts.correct} correct, ${counts.bad} serving wrong or incomplete data, ${counts['not-checked']} not fully checked.`;
}

/* ---------- monitoring: Nagios/Icinga plugin output and Prometheus text exposition ---------- */

/** Monitoring-plugins return codes (https://www.monitoring-plugins.org/doc/guidelines.html). */
export const NAGIOS = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;
export type NagiosCode = (typeof NAGIOS)[keyof typeof NAGIOS];
const NAGIOS_WORD = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;

/**
 * The plugin state: CRITICAL when a mirror serves wrong or incomplete data (what `mirror` exits
 * 1 for), WARNING when a mirror could not be fully judged, OK when all are correct; UNKNOWN
 * when nothing was checked (the plugin itself could not do its job).
 */
export function nagiosCode(reports: readonly MirrorReport[]): NagiosCode {
  if (reports.length === 0) return NAGIOS.UNKNOWN;
  const outcomes = reports.map(mirrorOutcome);
  if (outcomes.includes('bad')) return NAGIOS.CRITICAL;
  if (outcomes.includes('not-checked')) return NAGIOS.WARNING;
  return NAGIOS.OK;
}

/** Plugin text may not contain '|' (it starts the performance data) nor line breaks. */
function pluginText(text: string): string {
  return oneLine(text).replace(/\|/g, '/');
}

/** A perfdata label: quoted; '=' and "'" are the two characters a label may not hold. */
function perfLabel(text: string): string {
  return `'${pluginText(text).replace(/['=]/g, '_')}'`;
}

/** 0 correct, 1 not fully checked, 2 wrong or incomplete data: the same scale as the plugin state. */
function outcomeValue(outcome: MirrorOutcome): number {
  return outcome === 'correct' ? 0 : outcome === 'bad' ? 2 : 1;
}

/**
 * One status line "MIRRORS <STATE> - <summary> | <perfdata>", then one line per mirror (the
 * plugin's long output). Perfdata per mirror: its state (0/1/2, warn 1, crit 2), the bytes read
 * and the seconds taken, so a graph shows a mirror slowing down before it fails.
 */
export function formatNagios(
  reports: readonly MirrorReport[],
  release?: { product: string; version: string },
): { text: string; code: NagiosCode } {
  const code = nagiosCode(reports);
  const bad = reports.filter((r) => mirrorOutcome(r) === 'bad');
  const unchecked = reports.filter((r) => mirrorOutcome(r) === 'not-checked');
  const what = release ? `${release.product} ${release.version}` : 'the release';
  const name = (r: MirrorReport) =>
    r.error
      ? `${r.mirror} (not checked)`
      : `${r.mirror} (${r.files
          .filter((f) => f.status !== 'ok')
          .map((f) => `${f.fileName} ${statusWord(f.status).toLowerCase()}`)
          .join(', ')})`;
  let summary: string;
  if (code === NAGIOS.UNKNOWN) summary = 'no mirror was checked';
  else if (code === NAGIOS.OK)
    summary = `${reports.length} mirror${reports.length === 1 ? ' serves' : 's serve'} ${what} correctly`;
  else {
    const parts = [];
    if (bad.length)
      parts.push(`${bad.length} of ${reports.length} serve wrong or incomplete data: ${bad.map(name).join(', ')}`);
    if (unchecked.length)
      parts.push(`${unchecked.length} of ${reports.length} not fully checked: ${unchecked.map(name).join(', ')}`);
    summary = parts.join('; ');
  }
  const perf: string[] = [];
  for (const r of reports) {
    perf.push(`${perfLabel(`${r.mirror} state`)}=${outcomeValue(mirrorOutcome(r))};1;2;0;2`);
    perf.push(`${perfLabel(`${r.mirror} read`)}=${r.bytesRead}B;;;0`);
    perf.push(`${perfLabel(`${r.mirror} time`)}=${(r.durationMs / 1000).toFixed(3)}s;;;0`);
  }
  const lines = [`MIRRORS ${NAGIOS_WORD[code]} - ${pluginText(summary)}${perf.length ? ` | ${perf.join(' ')}` : ''}`];
  for (const r of reports) lines.push(pluginText(summaryLine(r)));
  return { text: `${lines.join('\n')}\n`, code };
}

/** The plugin's answer when the check itself could not run (release data unavailable, usage). */
export function nagiosUnknown(reason: string): string {
  return `MIRRORS UNKNOWN - ${pluginText(reason)}\n`;
}

/** A label value in the text exposition format: backslash, double quote and line feed escaped. */
function promLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function promNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
}

class Exposition {
  private readonly out: string[] = [];
  family(
    name: string,
    type: 'gauge',
    help: string,
    samples: { labels?: Record<string, string>; value: number }[],
  ): void {
    if (samples.length === 0) return;
    this.out.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
    for (const s of samples) {
      const labels = Object.entries(s.labels ?? {});
      const text = labels.length ? `{${labels.map(([k, v]) => `${k}="${promLabel(v)}"`).join(',')}}` : '';
      this.out.push(`${name}${text} ${promNumber(s.value)}`);
    }
  }
  toString(): string {
    return `${this.out.join('\n')}\n`;
  }
}

export interface PrometheusInput {
  reports: readonly MirrorReport[];
  release?: { product: string; version: string; signed: boolean } | undefined;
  /** When the check could not run at all: every mirror metric is absent, `check_success` is 0. */
  error?: string | undefined;
  /** The time of the run (seconds since the epoch): a sample value, never a sample timestamp (the textfile collector refuses those). */
  nowSeconds: number;
}

/**
 * The text exposition format (version 0.0.4) for the node exporter's textfile collector: one
 * family per metric, HELP and TYPE once, no sample timestamps. Alert on
 * `iso_verify_mirror_ok == 0` or `iso_verify_mirror_check_success == 0`, and on
 * `time() - iso_verify_mirror_last_run_timestamp_seconds` for a check that stopped running.
 */
export function formatPrometheus(input: PrometheusInput): string {
  const x = new Exposition();
  x.family(
    'iso_verify_mirror_check_success',
    'gauge',
    'Whether the release data could be loaded and the mirrors checked (1) or not (0).',
    [{ value: input.error === undefined ? 1 : 0 }],
  );
  x.family('iso_verify_mirror_last_run_timestamp_seconds', 'gauge', 'When the check ran, in seconds since the epoch.', [
    { value: input.nowSeconds },
  ]);
  if (input.release) {
    x.family('iso_verify_mirror_release_info', 'gauge', 'The release the mirrors were checked against.', [
      {
        labels: {
          product: input.release.product,
          version: input.release.version,
          signed_description: String(input.release.signed),
        },
        value: 1,
      },
    ]);
  }
  const reports = input.error === undefined ? input.reports : [];
  x.family(
    'iso_verify_mirror_ok',
    'gauge',
    'Whether the mirror serves every file of the release exactly (1) or not (0).',
    reports.map((r) => ({ labels: { mirror: r.mirror }, value: mirrorOutcome(r) === 'correct' ? 1 : 0 })),
  );
  x.family(
    'iso_verify_mirror_outcome',
    'gauge',
    'The mirror outcome as a state set: correct, bad (wrong or incomplete data) or not_checked.',
    reports.flatMap((r) =>
      (['correct', 'bad', 'not-checked'] as const).map((o) => ({
        labels: { mirror: r.mirror, outcome: o.replace('-', '_') },
        value: mirrorOutcome(r) === o ? 1 : 0,
      })),
    ),
  );
  const files = reports.flatMap((r) => r.files.map((f) => ({ r, f })));
  x.family(
    'iso_verify_mirror_file_ok',
    'gauge',
    'Whether the mirror serves this file exactly (1) or not (0); status names what was wrong.',
    files.map(({ r, f }) => ({
      labels: { mirror: r.mirror, file: f.fileName, status: f.status.replace(/-/g, '_') },
      value: f.status === 'ok' ? 1 : 0,
    })),
  );
  x.family(
    'iso_verify_mirror_read_bytes',
    'gauge',
    'Bytes read from the mirror in this check.',
    reports.map((r) => ({ labels: { mirror: r.mirror }, value: r.bytesRead })),
  );
  x.family(
    'iso_verify_mirror_duration_seconds',
    'gauge',
    'Seconds the check of the mirror took.',
    reports.map((r) => ({ labels: { mirror: r.mirror }, value: r.durationMs / 1000 })),
  );
  const rates = reports.filter((r) => r.throughput !== undefined && r.bytesRead > 0);
  x.family(
    'iso_verify_mirror_throughput_bytes_per_second',
    'gauge',
    'Transfer rate while reading the images (full mode).',
    rates.map((r) => ({ labels: { mirror: r.mirror }, value: r.throughput! })),
  );
  return x.toString();
}
