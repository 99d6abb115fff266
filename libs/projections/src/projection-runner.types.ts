import type { BackoffPolicy, Clock } from '@app/clock';
import type { EventStore, LogCheckpoint, SqlDatabase } from '@app/event-store';
import type { RebuildProgress } from './projection-rebuild';

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  /** the store's database: read models and checkpoints live there (createEventStore's `db`) */
  readonly db: SqlDatabase;
  /** stamps checkpoints' `updated_at` and measures lag; default the system clock */
  readonly clock?: Clock;
  /** events per transaction of the live loop and catch-up; default 500 */
  readonly batchSize?: number;
  /**
   * events per transaction of a rebuild (the loop's own after a version change, or
   * `rebuild()` without a batch size); default 5000. A rebuild reads the whole log: the
   * bigger its batches, the fewer row writes and statements per event (case-reports at a
   * million cases, its first 45 s: 15,098 events/s in batches of 500, 35,769 in batches of
   * 5000).
   */
  readonly rebuildBatchSize?: number;
  /** backoff after a failed batch; default 100 ms doubling to 10 s (5 ms to 100 ms under NODE_ENV=test) */
  readonly retry?: BackoffPolicy;
  /**
   * The active runner's lease. `durationMs` is how long a crashed runner keeps a standby
   * waiting (default 15 s; 2 s under NODE_ENV=test); `standbyPollMs` how often a standby
   * asks (default 1 s; 20 ms under test).
   */
  readonly lease?: { readonly durationMs?: number; readonly standbyPollMs?: number };
  /**
   * After a batch smaller than `batchSize`, how long the follower lets new events gather
   * before it reads again (the log's `lingerMs`); default 100 ms (5 ms under test). Under a
   * steady load a projection then commits about ten batches a second instead of one per
   * append: the per-batch statements (lock, lease, checkpoint, commit) stop dominating.
   * Read-your-writes waits (`?after=`) see a write at most this much later.
   */
  readonly lingerMs?: number;
  /** how often waiters look at the checkpoint when no batch of this process wakes them; default 50 ms (5 ms under test) */
  readonly pollMs?: number;
  /** names this runner in the lease; default `<host>:<pid>:<random>` */
  readonly owner?: string;
  /** errors of the background loop, which has no caller to throw to; default a process warning */
  readonly onError?: (error: Error) => void;
  /** progress of a rebuild the loop starts by itself (after a version change) */
  readonly onRebuildProgress?: (progress: RebuildProgress) => void | Promise<void>;
}

/**
 * - stopped: not started (or stopped)
 * - active: holds the lease and follows the log
 * - standby: another runner holds the lease
 * - rebuilding: holds the lease and rebuilds for a new version of the projection
 * - retrying: the last attempt failed; backing off
 */
export type RunnerStatus = 'stopped' | 'standby' | 'active' | 'rebuilding' | 'retrying';

export interface ProjectionLag {
  /** committed events after the checkpoint */
  readonly events: number;
  /** age of the oldest of them by the runner's clock; 0 when caught up */
  readonly seconds: number;
  readonly checkpoint: LogCheckpoint;
}

/** What this process's runner has done since it was made (for /metrics). */
export interface RunnerStats {
  readonly status: RunnerStatus;
  readonly batches: number;
  readonly events: number;
  readonly parked: number;
  readonly failures: number;
  readonly lastError?: string;
}
