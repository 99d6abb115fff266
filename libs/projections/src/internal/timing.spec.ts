import { backoffDelay, ProgressSignal, sleep } from './timing';

describe('backoffDelay', () => {
  const policy = { initialMs: 100, maxMs: 1_000 };

  it('doubles from the first delay and stops at the bound, half of it fixed and half random', () => {
    expect([1, 2, 3, 4, 5, 30].map((attempt) => backoffDelay(attempt, policy, () => 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect([1, 2, 3, 4, 5, 30].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('stays within the bound for any attempt, even a huge one', () => {
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, policy, () => 0.5)).toBe(750);
  });
});

describe('ProgressSignal', () => {
  it('wakes a waiter at once when it fired after the generation the waiter saw', async () => {
    const signal = new ProgressSignal();
    const seen = signal.current;
    signal.fire();
    const started = Date.now();
    await signal.wait(seen, 10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('wakes a waiting waiter when it fires, and times out otherwise', async () => {
    const signal = new ProgressSignal();
    const woken = signal.wait(signal.current, 10_000);
    signal.fire();
    await woken;
    const started = Date.now();
    await signal.wait(signal.current, 20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('sleep ends early when its signal aborts', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const sleeping = sleep(10_000, abort.signal);
    abort.abort();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
