import {
  checkpointOf,
  toRecordedEvent,
  type EventRow,
  type LogCheckpoint,
  type RecordedEvent,
  type SqlQueryable,
} from '@app/event-store';
import { statement } from './statement';

/**
 * The few reads of the store's `events` table that the `EventStore` port does not offer:
 * inside a transaction (PGlite has one connection, so a read through the store would wait
 * for the transaction that needs it), and a position's place in it.
 * A projection lives in the store's database (its checkpoint commits with its rows), so it
 * can read the table; these queries use its (transaction_id, global_position) index.
 */
// Qualified with the table's alias throughout: ORDER BY transaction_id would otherwise name
// the text output column and sort '999' after '1000'.
const COLUMNS = `e.event_id::text AS event_id, e.event_type, e.schema_version, e.data, e.metadata, e.stream_id,
  e.stream_version, e.global_position, e.transaction_id::text AS transaction_id, e.recorded_at`;

/**
 * The place in the log of the event at a global position (committed), or undefined.
 * Positions alone do not order the log: transactions commit out of order, so a checkpoint
 * with a larger position may still be before this event.
 */
const AT_POSITION = statement(
  'SELECT e.transaction_id::text AS transaction_id, e.global_position FROM events e WHERE e.global_position = $1',
);

export const checkpointOfPosition = async (
  q: SqlQueryable,
  globalPosition: number,
): Promise<LogCheckpoint | undefined> => {
  const { rows } = await q.query<{ transaction_id: string; global_position: number | string }>(
    AT_POSITION.text,
    [globalPosition],
    AT_POSITION,
  );
  return rows[0] ? checkpointOf(rows[0]) : undefined;
};

const BEHIND = statement(`SELECT count(*) AS events, min(recorded_at) AS oldest FROM events
WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)`);

/** how many committed events lie after a checkpoint, and when the oldest was recorded */
export const eventsAfter = async (
  q: SqlQueryable,
  after: LogCheckpoint,
): Promise<{ events: number; oldest?: Date }> => {
  const { rows } = await q.query<{ events: number | string; oldest: Date | string | null }>(
    BEHIND.text,
    [after.transactionId, after.globalPosition],
    BEHIND,
  );
  const oldest = rows[0]?.oldest;
  return { events: Number(rows[0]?.events ?? 0), oldest: oldest ? new Date(oldest) : undefined };
};

const RANGE = statement(`SELECT ${COLUMNS} FROM events e
WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
  AND (e.transaction_id, e.global_position) <= ($3::xid8, $4::bigint)
ORDER BY e.transaction_id, e.global_position LIMIT $5`);

/**
 * Events in (after, upTo], in log order. Only for a range whose end a reader has already
 * been given: every event in it is committed, so no visibility filter is needed.
 */
export const readRange = async (
  q: SqlQueryable,
  after: LogCheckpoint,
  upTo: LogCheckpoint,
  limit: number,
): Promise<RecordedEvent[]> => {
  const params = [after.transactionId, after.globalPosition, upTo.transactionId, upTo.globalPosition, limit];
  const { rows } = await q.query<EventRow>(RANGE.text, params, RANGE);
  return rows.map(toRecordedEvent);
};

const STREAM_VERSIONS = statement(`SELECT ${COLUMNS} FROM events e
WHERE e.stream_id = $1 AND e.stream_version = ANY($2::bigint[]) ORDER BY e.stream_version`);

/** the given versions of one stream, in stream order */
export const readStreamVersions = async (
  q: SqlQueryable,
  streamId: string,
  versions: readonly number[],
): Promise<RecordedEvent[]> => {
  const { rows } = await q.query<EventRow>(STREAM_VERSIONS.text, [streamId, versions], STREAM_VERSIONS);
  return rows.map(toRecordedEvent);
};
