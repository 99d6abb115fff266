import { LogSignal } from './log-signal';

describe('LogSignal', () => {
  it('wakes a waiter at once when it fired after the generation the waiter saw', async () => {
    const signal = new LogSignal();
    const seen = signal.current;
    signal.fire();
    const started = Date.now();
    await signal.wait(seen, 10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('wakes a waiting waiter when it fires, and times out otherwise', async () => {
    const signal = new LogSignal();
    const woken = signal.wait(signal.current, 10_000);
    signal.fire();
    await woken;
    const started = Date.now();
    await signal.wait(signal.current, 20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('wakes a waiter when its abort signal aborts, and at once when it had', async () => {
    const signal = new LogSignal();
    const abort = new AbortController();
    const started = Date.now();
    const waiting = signal.wait(signal.current, 10_000, abort.signal);
    abort.abort();
    await waiting;
    await signal.wait(signal.current, 10_000, abort.signal);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
