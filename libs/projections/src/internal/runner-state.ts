import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { systemClock, type BackoffPolicy, type Clock } from '@app/clock';
import { LogSignal, type EventStore, type SqlDatabase } from '@app/event-store';
import type { Projection } from '../projection';
import type { ProjectionRunnerOptions, RunnerStats, RunnerStatus } from '../projection-runner.types';

/** A runner's options with every default filled in. */
export interface RunnerSettings {
  readonly projection: Projection;
  readonly name: string;
  readonly store: EventStore;
  readonly db: SqlDatabase;
  readonly clock: Clock;
  readonly batchSize: number;
  readonly rebuildBatchSize: number;
  readonly retryPolicy: BackoffPolicy;
  readonly leaseMs: number;
  readonly standbyPollMs: number;
  readonly pollMs: number;
  readonly lingerMs: number;
  readonly owner: string;
}

/** Short waits under NODE_ENV=test, as kafkajs and the event store do. */
const testing = () => process.env.NODE_ENV === 'test';

export const runnerSettings = (projection: Projection, options: ProjectionRunnerOptions): RunnerSettings => {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new TypeError('batchSize must be a positive integer');
  const rebuildBatchSize = options.rebuildBatchSize ?? 5_000;
  if (!Number.isInteger(rebuildBatchSize) || rebuildBatchSize < 1)
    throw new TypeError('rebuildBatchSize must be a positive integer');
  return {
    projection,
    name: projection.name,
    store: options.store,
    db: options.db,
    clock: options.clock ?? systemClock,
    batchSize,
    rebuildBatchSize,
    retryPolicy: options.retry ?? (testing() ? { initialMs: 5, maxMs: 100 } : { initialMs: 100, maxMs: 10_000 }),
    leaseMs: options.lease?.durationMs ?? (testing() ? 2_000 : 15_000),
    standbyPollMs: options.lease?.standbyPollMs ?? (testing() ? 20 : 1_000),
    pollMs: options.pollMs ?? (testing() ? 5 : 50),
    lingerMs: options.lingerMs ?? (testing() ? 5 : 100),
    owner: options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
  };
};

/** What a runner knows about itself in this process: status, counters, the last error, progress. */
export class RunnerState {
  status: RunnerStatus = 'stopped';
  /** fired after every batch this process commits: waiters look at the checkpoint at once */
  readonly progress = new LogSignal();
  private readonly counters = { batches: 0, events: 0, parked: 0, failures: 0 };
  private lastError?: Error;

  constructor(private readonly onError: (error: Error) => void) {}

  recordBatch(events: number, parked: number): void {
    this.counters.batches += 1;
    this.counters.events += events;
    this.counters.parked += parked;
    this.progress.fire();
  }

  /** hands an error of the background loop to `onError`: never swallowed, never fatal */
  report(error: unknown): void {
    const failure = error instanceof Error ? error : new Error(String(error));
    this.counters.failures += 1;
    this.lastError = failure;
    try {
      this.onError(failure);
    } catch {
      // a failing error handler must not end the loop that reported to it
    }
  }

  stats(): RunnerStats {
    return { status: this.status, ...this.counters, lastError: this.lastError?.message };
  }
}
