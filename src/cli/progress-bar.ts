/**
 * A one-line hashing progress bar on stderr: percentage, MB/s, ETA. Drawn only when stderr is
 * a terminal (never into logs or pipes), and redrawn at most a few times per second.
 */
import type { HashProgress } from '../core/hash/types.js';
import type { OutputStream } from './context.js';

const REDRAW_INTERVAL_MS = 250;
const MB = 1_000_000;

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** The text of one progress line (without the carriage return), for a given width. */
export function progressLine(label: string, progress: HashProgress, width = 80): string {
  const rate = `${(progress.rate / MB).toFixed(1)} MB/s`;
  const done = `${(progress.bytes / MB).toFixed(1)} MB`;
  if (!progress.total) return `${label}  ${done}  ${rate}`;
  const fraction = Math.min(1, progress.bytes / progress.total);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const eta = `ETA ${formatDuration(progress.etaSeconds ?? Number.NaN)}`;
  const tail = ` ${percent}  ${rate}  ${eta}`;
  const barWidth = Math.max(10, Math.min(40, width - label.length - tail.length - 4));
  const filled = Math.round(fraction * barWidth);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]${tail}`;
}

export interface ProgressBar {
  update(progress: HashProgress): void;
  /** Erase the line, so the answer starts on a clean line. */
  finish(): void;
}

const NO_PROGRESS: ProgressBar = { update() {}, finish() {} };

export function createProgressBar(stream: OutputStream, label: string, clock: () => number = Date.now): ProgressBar {
  if (stream.isTTY !== true) return NO_PROGRESS;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(progress) {
      const t = clock();
      const complete = progress.total !== undefined && progress.bytes >= progress.total;
      if (!complete && t - lastDraw < REDRAW_INTERVAL_MS) return;
      lastDraw = t;
      // Some terminals (and `script`) report 0 columns: fall back to 80.
      const width = stream.columns && stream.columns >= 40 ? stream.columns : 80;
      stream.write(`\r${progressLine(label, progress, width).slice(0, width - 1)}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
