import type { RecordedEvent, SqlDatabase, SqlQueryable, SqlTransaction } from '@app/event-store';
import { ApplyFailed, isRetriable, messageOf } from '../projection.errors';
import type { Projection } from '../projection';
import type { Generation } from './generations';
import { parkEvent, parkedStreamsAmong } from './parked';

export interface ApplyContext {
  readonly projection: Projection;
  readonly generation: Generation;
  /** events that failed in an earlier attempt at this same work, with their error */
  readonly poison: ReadonlyMap<string, string>;
  readonly now: Date;
  /**
   * the events are whole streams new to the generation, in stream order (a rebuild's pass
   * stream by stream): applied with the projection's `applyNewStreams`
   */
  readonly newStreams?: boolean;
}

/**
 * Applies events in log order to a generation's tables. An event is parked instead when
 * it is poison (it failed before) or when its stream already has parked events: applying
 * a stream's later events over a hole would make rows that no replay could produce. Other
 * streams go on. Resolves to the number of events parked.
 */
export const applyEvents = async (
  tx: SqlQueryable,
  { projection, generation, poison, now, newStreams = false }: ApplyContext,
  events: readonly RecordedEvent[],
): Promise<number> => {
  const handled = events.filter((event) => projection.handles.includes(event.type));
  if (handled.length === 0) return 0;
  const streams = [...new Set(handled.map((event) => event.streamId))];
  const parkedStreams = await parkedStreamsAmong(tx, projection.name, generation.generation, streams);
  let parked = 0;
  const batch: RecordedEvent[] = [];
  for (const event of handled) {
    const failure = poison.get(event.eventId);
    if (failure !== undefined || parkedStreams.has(event.streamId)) {
      const reason = parkedStreams.has(event.streamId) ? 'behind' : 'failed';
      await parkEvent(
        tx,
        projection.name,
        generation.generation,
        event,
        reason,
        reason === 'failed' ? failure! : null,
        now,
      );
      parkedStreams.add(event.streamId);
      parked += 1;
      continue;
    }
    batch.push(event);
  }
  if (batch.length > 0 && !(await applyBatch(tx, projection, generation, batch, newStreams)))
    // one at a time through applyBatch, also after applyNewStreams: each event then finds
    // the rows its stream's earlier ones wrote in this transaction
    for (const event of batch) await applyOne(tx, projection, generation.tables, event);
  return parked;
};

/** One event as a batch of one: whatever it throws is that event's failure. */
export const applyOne = async (
  tx: SqlQueryable,
  projection: Projection,
  tables: Generation['tables'],
  event: RecordedEvent,
): Promise<void> => {
  try {
    await projection.applyBatch(tx, [event], tables);
  } catch (error) {
    throw new ApplyFailed(projection.name, event, error);
  }
};

/**
 * The batch, under a savepoint: true when it applied. An error naming one of the events
 * (`error.event`) is that event's failure, and parks it; a retriable one fails the batch as
 * usual. Any other is rolled back to the savepoint and answered false: the caller then
 * applies the events one at a time (batches of one), which names the culprit. The savepoint
 * costs two statements per batch, not per event.
 */
const applyBatch = async (
  tx: SqlQueryable,
  projection: Projection,
  generation: Generation,
  events: readonly RecordedEvent[],
  newStreams: boolean,
): Promise<boolean> => {
  await tx.query('SAVEPOINT projection_batch');
  try {
    if (newStreams && projection.applyNewStreams) await projection.applyNewStreams(tx, events, generation.tables);
    else await projection.applyBatch(tx, events, generation.tables);
  } catch (error) {
    if (isRetriable(error)) throw new ApplyFailed(projection.name, events[0], error);
    const named = (error as { event?: RecordedEvent } | null)?.event;
    const event = named && events.find((e) => e.eventId === named.eventId);
    if (event) throw new ApplyFailed(projection.name, event, error);
    await tx.query('ROLLBACK TO SAVEPOINT projection_batch');
    return false;
  }
  await tx.query('RELEASE SAVEPOINT projection_batch');
  return true;
};

/**
 * Runs `work` in one transaction. When it fails because an event could not be applied and
 * a retry would not help, the transaction is rolled back and `work` runs again with that
 * event in `poison`, so that this time it is parked instead. Each round adds one event, so
 * this ends. Why a redo and not a savepoint per event: the common case (nothing fails)
 * then costs no extra round trip per event; a failure is rare and costs one batch.
 */
export const transactionParkingPoison = async <T>(
  db: SqlDatabase,
  work: (tx: SqlTransaction, poison: ReadonlyMap<string, string>) => Promise<T>,
): Promise<T> => {
  const poison = new Map<string, string>();
  for (;;) {
    try {
      return await db.transaction((tx) => work(tx, poison));
    } catch (error) {
      if (!(error instanceof ApplyFailed) || error.retriable || poison.has(error.event.eventId)) throw error;
      poison.set(error.event.eventId, messageOf(error.cause));
    }
  }
};
