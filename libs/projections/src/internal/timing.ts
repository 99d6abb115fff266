/** Bounded exponential backoff: how long to wait before attempt `attempt + 1`. */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * Doubles from `initialMs` up to `maxMs`, with "equal jitter" (half fixed, half random), as
 * kafkajs does: runners that failed together do not retry in lockstep, and never at once.
 */
export const backoffDelay = (attempt: number, { initialMs, maxMs }: BackoffPolicy, random = Math.random): number => {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return ceiling / 2 + random() * (ceiling / 2);
};

/** resolves after `ms`, or at once when `signal` aborts */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Wakes waiters when a runner in this process committed a batch. A generation counter
 * closes the gap between a waiter's check and its wait: a fire in between is not lost.
 */
export class ProgressSignal {
  private generation = 0;
  private readonly waiters = new Set<() => void>();

  get current(): number {
    return this.generation;
  }

  fire(): void {
    this.generation += 1;
    for (const wake of [...this.waiters]) wake();
  }

  /** resolves once fired after generation `since`, or after `ms` */
  wait(since: number, ms: number): Promise<void> {
    if (this.generation !== since) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }
}
