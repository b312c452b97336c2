/**
 * At most one call per interval, with the latest value kept for a trailing call, so progress
 * reaches storage about twice a second however fast the bytes come, and the last value is
 * never lost. The clock and timer are injectable for tests.
 */
export interface ThrottleClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: ThrottleClock = {
  // Intervals, not dates: the monotonic clock (a wrong or jumping wall clock does not matter).
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

export class Throttle<T> {
  private lastRunAt = Number.NEGATIVE_INFINITY;
  private pending: { value: T } | undefined;
  private timer: unknown;
  /** A call whose promise has not settled: the next waits for it (see `fn`). */
  private busy = false;

  constructor(
    /**
     * The write. When it returns a promise, the next call waits until it settles: on a loaded
     * machine a storage write can take longer than the interval, and writes started regardless
     * queued up behind each other (seen: seconds of stale progress ahead of a verdict).
     */
    private readonly fn: (value: T) => void | Promise<unknown>,
    private readonly intervalMs = 500,
    private readonly clock: ThrottleClock = realClock,
  ) {}

  push(value: T): void {
    if (this.busy) {
      this.pending = { value };
      return;
    }
    const now = this.clock.now();
    if (now - this.lastRunAt >= this.intervalMs) {
      this.run(value, now);
      return;
    }
    this.pending = { value };
    this.timer ??= this.clock.setTimeout(
      () => {
        this.timer = undefined;
        const p = this.pending;
        // A write still running (the timer came late on a busy machine) takes it when it ends.
        if (p && !this.busy) this.run(p.value, this.clock.now());
      },
      this.intervalMs - (now - this.lastRunAt),
    );
  }

  /** Drop any trailing call (the work ended; a final state is written separately). */
  cancel(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }

  private run(value: T, at: number): void {
    this.pending = undefined;
    this.lastRunAt = at;
    const result = this.fn(value);
    if (!isPromiseLike(result)) return;
    this.busy = true;
    const settled = () => {
      this.busy = false;
      // The latest value that came meanwhile (none after cancel()), within the interval as always.
      const p = this.pending;
      if (p) this.push(p.value);
    };
    result.then(settled, settled);
  }
}
