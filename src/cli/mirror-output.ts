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
  const problems = report.files.filter((f) => f.status !== 'ok').map((f) => `${f.fileName} ${statusWord(f.status).toLowerCase()}`);
  const traffic = report.mode === 'full' && report.bytesRead > 0 ? `, ${formatSize(report.bytesRead)} read in ${(report.durationMs / 1000).toFixed(1)} s (${formatRate(report.throughput)})` : '';
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
