/**
 * Bounded exponential backoff: the one retry-delay rule of the repository. The wait before
 * attempt `attempt + 1` after `attempt` failed ones doubles from `initialMs` up to `maxMs`.
 * Its users:
 *
 * - in-process retry loops, with {@link backoffDelay} (jittered): the projection runner
 *   (libs/projections, a failed batch or start), the Kafka relay (libs/messaging, a failed
 *   send or save);
 * - durable retries, with {@link backoffCeiling}: the next attempt is a due time stored in
 *   the row (a timer, a survey or notification e-mail), taken by whichever process claims it
 *   then, so it survives a restart (libs/timers).
 *
 * Why no retry library (p-retry, cockatiel): the durable retries are not a loop in a process
 * but a due time in a table, and the two loops retry forever, stop on an abort signal and
 * report each failure in their status and metrics; what they share is this delay.
 */
export interface BackoffPolicy {
  /** the wait after the first failure */
  readonly initialMs: number;
  /** the longest wait */
  readonly maxMs: number;
}

/** `initialMs · 2^(attempt − 1)`, at most `maxMs` (attempts below 1 count as 1) */
export const backoffCeiling = (attempt: number, { initialMs, maxMs }: BackoffPolicy): number =>
  Math.min(maxMs, initialMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));

/**
 * {@link backoffCeiling} with "equal jitter" (half fixed, half random), as kafkajs does:
 * processes that failed together do not retry in lockstep, and never at once.
 */
export const backoffDelay = (attempt: number, policy: BackoffPolicy, random = Math.random): number => {
  const ceiling = backoffCeiling(attempt, policy);
  return ceiling / 2 + random() * (ceiling / 2);
};
