/**
 * The progress line of `iso-verify mirror` on a terminal's stderr: files done out of all files
 * of all mirrors, and (full mode) the bytes read and the overall rate. Drawn only on a TTY, at
 * most four times a second, erased before the table is printed.
 */
import type { MirrorCheckProgress, MirrorFileCheck } from '../core/mirror/types.js';
import type { OutputStream } from './context.js';
import { formatRate } from './mirror-output.js';

const REDRAW_INTERVAL_MS = 250;

export interface MirrorProgress {
  onProgress(progress: MirrorCheckProgress): void;
  onFileChecked(mirror: string, check: MirrorFileCheck): void;
  finish(): void;
}

const NONE: MirrorProgress = { onProgress() {}, onFileChecked() {}, finish() {} };

export function createMirrorProgress(
  stream: OutputStream,
  plan: { mirrors: number; filesPerMirror: number; bytesPerMirror: number; full: boolean },
  clock: () => number = Date.now,
): MirrorProgress {
  if (stream.isTTY !== true) return NONE;
  const started = clock();
  const totalFiles = plan.mirrors * plan.filesPerMirror;
  const totalBytes = plan.mirrors * plan.bytesPerMirror;
  const inFlight = new Map<string, number>();
  let filesDone = 0;
  /** Work finished: the expected size of every finished file (a 404 is as done as a full read). */
  let bytesDone = 0;
  let bytesRead = 0;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;

  const draw = (force = false) => {
    const t = clock();
    if (!force && t - lastDraw < REDRAW_INTERVAL_MS) return;
    lastDraw = t;
    let current = 0;
    for (const bytes of inFlight.values()) current += bytes;
    const fraction =
      plan.full && totalBytes > 0 ? (bytesDone + current) / totalBytes : totalFiles > 0 ? filesDone / totalFiles : 1;
    const width = stream.columns && stream.columns >= 40 ? stream.columns : 80;
    const rate = plan.full ? `  ${formatRate(((bytesRead + current) * 1000) / Math.max(1, t - started))}` : '';
    const tail = ` ${String(Math.floor(Math.min(1, fraction) * 100)).padStart(3)}%  ${filesDone}/${totalFiles} files${rate}`;
    const label = `checking ${plan.mirrors} mirror${plan.mirrors === 1 ? '' : 's'}`;
    const barWidth = Math.max(10, Math.min(40, width - label.length - tail.length - 4));
    const filled = Math.round(Math.min(1, fraction) * barWidth);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]${tail}`;
    stream.write(`\r${line.slice(0, width - 1)}\x1b[K`);
    drawn = true;
  };

  return {
    onProgress(progress) {
      inFlight.set(`${progress.mirror}\n${progress.fileName}`, progress.bytes);
      draw();
    },
    onFileChecked(mirror, check) {
      inFlight.delete(`${mirror}\n${check.fileName}`);
      filesDone++;
      bytesDone += check.expectedSize;
      bytesRead += check.bytesRead;
      draw(true);
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
