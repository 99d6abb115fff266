export interface WaitForOptions {
  /**
   * a hang guard, not a budget: the condition decides when the wait ends, so a busy machine
   * only makes it longer; default 120 s (below jest's testTimeout, so this message is the one seen)
   */
  readonly timeoutMs?: number;
  /** between checks; default 5 ms */
  readonly intervalMs?: number;
}

/**
 * Polls `condition` until it returns something truthy (and returns that), or fails at the
 * deadline with `describe()`'s account of what was seen. Use it instead of sleeping.
 */
export const waitFor = async <T>(
  condition: () => T | Promise<T>,
  describe: () => string,
  { timeoutMs = 120_000, intervalMs = 5 }: WaitForOptions = {},
): Promise<NonNullable<T>> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};
