/**
 * The background's one clock. background.ts makes it once from the platform (`platformClock`)
 * and hands it to every part that decides by time: the verification's `now` (signed times
 * decide; the clock only explains — `clock-wrong`, `clock-past-key-expiry`, "expires soon"),
 * the release-data and mirror-pool caches' ages, the alarm that decides again, the history's
 * expiry and every timestamp written to a download's record. Tests make their own and move it.
 *
 * Nothing else in src/background reads the platform's time (test/unit/background/clock.test.ts
 * checks it); a progress throttle measures intervals on the monotonic `performance.now()`.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  nowMs(): number;
}

/** The platform's clock: the person's, right or wrong. */
export const platformClock: Clock = { nowMs: () => Date.now() };

/** Now as a Date (the verification's `now`). */
export function dateOf(clock: Clock): Date {
  return new Date(clock.nowMs());
}

/** Now as ISO-8601 (timestamps in a download's record). */
export function isoOf(clock: Clock): string {
  return new Date(clock.nowMs()).toISOString();
}

/** A clock that stands still at `start` until moved (tests). */
export class MovableClock implements Clock {
  private ms: number;
  constructor(start: Date | number) {
    this.ms = typeof start === 'number' ? start : start.getTime();
  }
  nowMs(): number {
    return this.ms;
  }
  set(at: Date | number): void {
    this.ms = typeof at === 'number' ? at : at.getTime();
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}
