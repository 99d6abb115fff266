export interface WaitForOptions {
  /** give up after this long; default 5 s */
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
  { timeoutMs = 5_000, intervalMs = 5 }: WaitForOptions = {},
): Promise<NonNullable<T>> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};
