import { describe, expect, it } from 'vitest';
import { Throttle, type ThrottleClock } from '../../../src/background/throttle.js';

function fakeClock() {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const clock: ThrottleClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return t;
    },
    clearTimeout: (handle) => {
      const i = timers.indexOf(handle as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of [...timers].sort((a, b) => a.at - b.at)) {
      if (t.at <= now) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    }
  };
  return { clock, advance, pending: () => timers.length };
}

describe('Throttle', () => {
  it('runs at most twice a second and delivers the latest value last', () => {
    const { clock, advance } = fakeClock();
    const seen: number[] = [];
    const throttle = new Throttle<number>((v) => void seen.push(v), 500, clock);
    for (let i = 1; i <= 100; i++) {
      throttle.push(i);
      advance(10); // 100 pushes over one second
    }
    advance(1000);
    expect(seen[0]).toBe(1);
    expect(seen[seen.length - 1]).toBe(100);
    expect(seen.length).toBeLessThanOrEqual(4);
    expect(seen.length).toBeGreaterThanOrEqual(2);
  });

  it('drops the trailing call on cancel', () => {
    const { clock, advance, pending } = fakeClock();
    const seen: number[] = [];
    const throttle = new Throttle<number>((v) => void seen.push(v), 500, clock);
    throttle.push(1);
    throttle.push(2);
    expect(pending()).toBe(1);
    throttle.cancel();
    advance(1000);
    expect(seen).toEqual([1]);
  });

  it('waits for a slow write before the next, and then writes only the latest value', async () => {
    const { clock, advance } = fakeClock();
    const started: number[] = [];
    const finish: Array<() => void> = [];
    const throttle = new Throttle<number>(
      (v) => {
        started.push(v);
        return new Promise<void>((resolve) => finish.push(resolve));
      },
      500,
      clock,
    );
    // Five seconds of progress while the first write hangs: nothing else starts.
    for (let i = 1; i <= 50; i++) {
      throttle.push(i);
      advance(100);
    }
    expect(started).toEqual([1]);
    finish[0]!();
    await Promise.resolve();
    await Promise.resolve();
    advance(500);
    expect(started).toEqual([1, 50]);
    // Cancelled while a write runs: nothing follows it.
    throttle.push(51);
    throttle.cancel();
    finish[1]!();
    await Promise.resolve();
    await Promise.resolve();
    advance(1000);
    expect(started).toEqual([1, 50]);
  });

  it('a trailing timer that fires late, while a write runs, leaves its value to the end of that write', async () => {
    let now = 0;
    const timers: Array<() => void> = [];
    const clock: ThrottleClock = {
      now: () => now,
      setTimeout: (fn) => timers.push(fn),
      clearTimeout: () => undefined,
    };
    const started: number[] = [];
    const finish: Array<() => void> = [];
    let inFlight = 0;
    let most = 0;
    const throttle = new Throttle<number>(
      (v) => {
        started.push(v);
        inFlight += 1;
        most = Math.max(most, inFlight);
        return new Promise<void>((resolve) =>
          finish.push(() => {
            inFlight -= 1;
            resolve();
          }),
        );
      },
      500,
      clock,
    );
    const settle = async (i: number) => {
      finish[i]!();
      for (let k = 0; k < 3; k++) await Promise.resolve();
    };
    throttle.push(1);
    await settle(0);
    now = 100;
    throttle.push(2); // trailing timer set for t = 500
    now = 600; // the timer has not fired yet (a busy event loop)
    throttle.push(3); // due: written at once
    throttle.push(4); // waits for 3
    timers[0]!(); // the late timer
    expect(started).toEqual([1, 3]);
    expect(most).toBe(1);
    now = 1200;
    await settle(1);
    expect(started).toEqual([1, 3, 4]);
    expect(most).toBe(1);
  });
});
