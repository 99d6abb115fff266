import { backoffDelay } from '@app/clock';
import type { LogCheckpoint } from '@app/event-store';
import { isRetriable, ProjectionVersionAhead } from '../projection.errors';
import type { RebuildOptions } from '../projection-rebuild';
import { writeBatch, type BatchOutcome } from './batch-writer';
import { readCheckpoint } from './checkpoints';
import { checkpointNameFor, readGeneration, type Generation } from './generations';
import { acquireLease } from './lease';
import type { RunnerSettings, RunnerState } from './runner-state';
import { sleep } from './timing';

type RoundOutcome = BatchOutcome | 'standby' | 'stopped';

export interface LiveLoopHooks {
  /** makes the first generation again if it disappeared */
  prepare(): Promise<void>;
  /** rebuilds for a new version of the code, resuming a half-built generation */
  rebuild(options: RebuildOptions): Promise<unknown>;
}

/**
 * The background loop of a started runner: take the lease (or stand by), follow the log
 * from the stored checkpoint, write batches, and after anything unexpected start again
 * from the stored checkpoint. Never throws: failures are reported and retried with backoff.
 */
export const runLiveLoop = async (
  s: RunnerSettings,
  state: RunnerState,
  hooks: LiveLoopHooks,
  stop: AbortSignal,
): Promise<void> => {
  let failures = 0;
  while (!stop.aborted) {
    try {
      const outcome = await round(s, state, hooks, stop);
      failures = 0;
      // 'moved': read the checkpoint again at once; otherwise another runner, a swap or a
      // retry of parked events has the projection for now: look again a little later
      if (outcome !== 'moved' && outcome !== 'stopped') await sleep(s.standbyPollMs, stop);
    } catch (error) {
      // a rebuild stopped between batches by stop(): not a failure
      if (stop.aborted && (error as Error | undefined)?.name === 'AbortError') break;
      failures += 1;
      state.status = 'retrying';
      state.report(error);
      // retriable (a lost connection): back off and go on from the stored checkpoint; not
      // retriable and outside any event (a table missing…): keep trying at the slowest pace
      const attempt = isRetriable(error) ? failures : Number.MAX_SAFE_INTEGER;
      await sleep(backoffDelay(attempt, s.retryPolicy), stop);
    }
  }
};

/** Takes or renews the lease, with this process's presence (SqlLease). */
const renewLease = async (s: RunnerSettings): Promise<boolean> =>
  acquireLease(s.db, s.name, s.owner, s.leaseMs, await s.db.presence?.());

/** One stretch as the active runner, from the stored checkpoint until something says to read it again. */
const round = async (
  s: RunnerSettings,
  state: RunnerState,
  hooks: LiveLoopHooks,
  stop: AbortSignal,
): Promise<RoundOutcome> => {
  if (!(await renewLease(s))) {
    state.status = 'standby';
    return 'standby';
  }
  return whileLeased(s, state, stop, async (signal) => {
    const active = await readGeneration(s.db, s.name, 'active');
    if (!active) {
      await hooks.prepare();
      return 'moved';
    }
    if (active.version > s.projection.version)
      throw new ProjectionVersionAhead(s.name, s.projection.version, active.version);
    if (active.version < s.projection.version) {
      // a new version of the code: rebuild beside the old tables, which keep serving
      state.status = 'rebuilding';
      await hooks.rebuild({ fresh: false, signal });
      return 'moved';
    }
    state.status = 'active';
    return follow(s, state, active, signal);
  });
};

const follow = async (
  s: RunnerSettings,
  state: RunnerState,
  active: Generation,
  signal: AbortSignal,
): Promise<RoundOutcome> => {
  let after: LogCheckpoint | undefined = await readCheckpoint(s.db, checkpointNameFor(active));
  if (!after) return 'moved';
  const lease = { owner: s.owner, durationMs: s.leaseMs };
  for await (const batch of s.store.follow({ after, limit: s.batchSize, signal, lingerMs: s.lingerMs })) {
    const input = { scope: 'active' as const, events: batch.events, after, through: batch.checkpoint, lease };
    const result = await writeBatch(s.db, s.projection, s.clock, input);
    // anything but 'applied' means the stored checkpoint is not where this follower is
    if (result.outcome !== 'applied') return result.outcome;
    state.recordBatch(batch.events.length, result.parked);
    after = batch.checkpoint;
  }
  return signal.aborted ? 'stopped' : 'moved';
};

/**
 * Runs `work` while renewing the lease every third of its duration. If a renewal finds the
 * lease taken (this runner stalled past its expiry), `work`'s signal aborts; the batch in
 * flight would be refused anyway, as every batch renews the lease in its own transaction.
 */
const whileLeased = async (
  s: RunnerSettings,
  state: RunnerState,
  stop: AbortSignal,
  work: (signal: AbortSignal) => Promise<RoundOutcome>,
): Promise<RoundOutcome> => {
  const lost = new AbortController();
  let beat: Promise<void> | undefined;
  const timer = setInterval(() => {
    beat ??= renewLease(s)
      .then(
        (held) => (held ? undefined : lost.abort()),
        (error: unknown) => state.report(error),
      )
      .finally(() => (beat = undefined));
  }, s.leaseMs / 3);
  try {
    const outcome = await work(AbortSignal.any([stop, lost.signal]));
    return lost.signal.aborted && !stop.aborted ? 'lease-lost' : outcome;
  } finally {
    clearInterval(timer);
    await beat;
  }
};
