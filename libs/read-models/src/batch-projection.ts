import type { RecordedEvent, SqlQueryable } from '@app/event-store';
import type { Projection, ProjectionTables } from '@app/projections';

/**
 * A projection that can also write a whole batch at once: load the rows the batch touches
 * in one query, fold the events in memory, write the changed rows back with one multi-row
 * upsert per table. That is two to six round trips per batch instead of two or more per
 * event, which is what rebuilding 200,000 events in seconds takes (docs/metrics.md,
 * "Throughput"). `apply` stays, as the runner's contract: it is `applyBatch` of one event.
 *
 * `applyBatch` has `apply`'s obligations: idempotent per event (the case's `version` guard),
 * and it refuses an event it cannot apply by throwing an error that names the event
 * ({@link EventRefused}), so that a runner applying batches can park exactly that event.
 */
export interface BatchProjection<T extends string = string> extends Projection<T> {
  applyBatch(tx: SqlQueryable, events: readonly RecordedEvent[], tables: ProjectionTables<T>): Promise<void>;
}

/** An event a projection cannot apply (not retriable: the runner parks it and the rest of its stream). */
export class EventRefused extends Error {
  readonly retriable = false;
  constructor(
    readonly code: string,
    readonly event: RecordedEvent,
    message: string,
  ) {
    super(message);
    this.name = 'EventRefused';
  }
}
