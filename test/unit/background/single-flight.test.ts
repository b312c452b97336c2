import { describe, expect, it } from 'vitest';
import { singleFlight } from '../../../src/background/single-flight.js';

describe('singleFlight', () => {
  it('runs once at a time and folds every request made meanwhile into one more run', async () => {
    const finish: Array<() => void> = [];
    let runs = 0;
    const request = singleFlight(() => {
      runs += 1;
      return new Promise<void>((resolve) => finish.push(resolve));
    });
    request();
    for (let i = 0; i < 100; i++) request();
    expect(runs).toBe(1);
    finish[0]!();
    await Promise.resolve();
    await Promise.resolve();
    expect(runs).toBe(2);
    finish[1]!();
    await Promise.resolve();
    await Promise.resolve();
    expect(runs).toBe(2);
    request();
    expect(runs).toBe(3);
  });

  it('a run that fails does not stop the next', async () => {
    let runs = 0;
    const request = singleFlight(async () => {
      runs += 1;
      throw new Error('storage gone');
    });
    request();
    request();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toBe(2);
  });
});
