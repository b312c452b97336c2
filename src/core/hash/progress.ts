/**
 * Progress reports for a long hash: bytes done, rate averaged since the start, and ETA.
 * Throttled so a fast hash does not flood a UI or a worker channel; the clock is injectable
 * so tests do not depend on real time.
 */
import type { HashProgress } from './types.js';

export const DEFAULT_PROGRESS_INTERVAL_MS = 100;

export interface ProgressTrackerOptions {
  /** Total bytes expected (the whole input, including any resumed prefix). */
  total?: number | undefined;
  /** Bytes already hashed before this session (a resumed checkpoint); not counted in the rate. */
  startOffset?: number;
  /** Minimum milliseconds between two throttled reports. */
  intervalMs?: number;
  /** Millisecond clock; defaults to performance.now(). */
  now?: (() => number) | undefined;
}

function defaultClock(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

export class ProgressTracker {
  private readonly total: number | undefined;
  private readonly startOffset: number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly startedAt: number;
  private lastReportAt = Number.NEGATIVE_INFINITY;

  constructor(options: ProgressTrackerOptions = {}) {
    this.total =
      options.total !== undefined && Number.isFinite(options.total) && options.total >= 0 ? options.total : undefined;
    this.startOffset = options.startOffset ?? 0;
    this.intervalMs = options.intervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.now = options.now ?? defaultClock;
    this.startedAt = this.now();
  }

  /** A report for `bytes` done if the interval has passed since the last one, else undefined. */
  due(bytes: number): HashProgress | undefined {
    const at = this.now();
    if (at - this.lastReportAt < this.intervalMs) return undefined;
    return this.reportAt(bytes, at);
  }

  /** A report for `bytes` done, regardless of throttling (first and last reports). */
  report(bytes: number): HashProgress {
    return this.reportAt(bytes, this.now());
  }

  private reportAt(bytes: number, at: number): HashProgress {
    this.lastReportAt = at;
    const seconds = (at - this.startedAt) / 1000;
    const rate = seconds > 0 ? Math.max(0, bytes - this.startOffset) / seconds : 0;
    const progress: HashProgress = { bytes, rate };
    if (this.total !== undefined) {
      progress.total = this.total;
      if (rate > 0) progress.etaSeconds = Math.max(0, this.total - bytes) / rate;
    }
    return progress;
  }
}
