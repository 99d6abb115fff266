/**
 * Wakes waiters when something they follow may have moved: the store's followers of the
 * global log when it may have grown (after an append in this process, or a NOTIFY from any
 * process), and the projection runner's waiters when a runner in this process committed a
 * batch (`waitForPosition`). A generation counter closes the gap between a waiter's read and
 * its wait: a wake that lands in between is not lost, because the waiter passes the
 * generation it saw before reading and returns at once if it moved. The one such signal of
 * the repository.
 */
export class LogSignal {
  private generation = 0;
  private readonly waiters = new Set<() => void>();

  get current(): number {
    return this.generation;
  }

  fire(): void {
    this.generation += 1;
    for (const wake of [...this.waiters]) wake();
  }

  /** resolves once fired after generation `since`, after `ms`, or when `signal` aborts */
  wait(since: number, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.generation !== since || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
