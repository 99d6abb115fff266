import { createHash } from 'node:crypto';

/** SQL text plus a name derived from it, so each statement is prepared once per connection. */
export interface Statement {
  readonly text: string;
  readonly name: string;
}

const statement = (text: string): Statement => ({
  text,
  name: `event_store_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`,
});

/**
 * The store's SQL, shared by PostgreSQL and PGlite.
 *
 * Append is one statement, so in autocommit it is one round trip and one transaction:
 * the stream's current version is read (a backward scan of the primary key) and the rows
 * are inserted only if it equals the expected version ($7; NULL means 'any'). Zero rows
 * back means the guard refused. Two appenders that both pass the guard at the same moment
 * collide on the primary key (stream_id, stream_version), and the second gets a unique
 * violation: a conflict, never a fork.
 */
const CURRENT_VERSION = '(SELECT COALESCE(MAX(stream_version), 0) AS v FROM events WHERE stream_id = $1) AS cur';
const GUARD = 'WHERE $7::bigint IS NULL OR cur.v = $7::bigint';
const APPENDED = 'RETURNING stream_version, global_position, transaction_id::text AS transaction_id';
const COLUMNS = 'INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata)';

/** One event: plain parameters, no arrays to build or parse. */
export const APPEND_ONE = statement(`${COLUMNS}
SELECT $1, cur.v + 1, $2::uuid, $3::text, $4::int, $5::jsonb, $6::jsonb
FROM ${CURRENT_VERSION}
${GUARD}
${APPENDED}`);

/** Several events: parallel arrays, numbered by ORDINALITY so versions and positions follow the batch order. */
export const APPEND_MANY = statement(`${COLUMNS}
SELECT $1, cur.v + e.n, e.id, e.t, e.s, e.d, e.m
FROM ${CURRENT_VERSION},
  unnest($2::uuid[], $3::text[], $4::int[], $5::jsonb[], $6::jsonb[]) WITH ORDINALITY AS e(id, t, s, d, m, n)
${GUARD}
ORDER BY e.n
${APPENDED}`);

export const STREAM_VERSION = statement(
  `SELECT COALESCE(MAX(stream_version), 0) AS v FROM events WHERE stream_id = $1`,
);

/** Where the given ids are stored, to tell a retry from a clash. */
export const FIND_EVENT_IDS =
  statement(`SELECT event_id::text AS event_id, stream_id, stream_version, global_position, transaction_id::text AS transaction_id
FROM events WHERE event_id = ANY($1::uuid[]) ORDER BY global_position`);

const EVENT_COLUMNS = `e.event_id::text AS event_id, e.event_type, e.schema_version, e.data, e.metadata, e.stream_id,
  e.stream_version, e.global_position, e.transaction_id::text AS transaction_id, e.recorded_at`;

/**
 * A stream's events and its current version, from one snapshot. The LEFT JOIN keeps one
 * row (with NULL event columns) when no event matches, to carry the current version.
 */
export const READ_STREAM = statement(`SELECT cur.v AS current_version, ${EVENT_COLUMNS}
FROM ${CURRENT_VERSION}
LEFT JOIN events e ON e.stream_id = $1 AND e.stream_version >= $2
  AND ($3::bigint IS NULL OR e.stream_version <= $3::bigint)
  AND ($4::timestamptz IS NULL OR e.recorded_at <= $4::timestamptz)
ORDER BY e.stream_version`);

/**
 * The global log in commit order, never skipping (architecture.md).
 * Positions are taken at insert time, but transactions commit out of order: a reader that
 * moved past position N could miss a row with a smaller N committed later. So a row is
 * returned only once every transaction that might still add an earlier row has ended:
 * its transaction is older than the oldest one in flight (the snapshot's xmin), and the
 * order is (transaction id, position). A long transaction delays readers; it never makes
 * them skip.
 */
export const READ_ALL = statement(`SELECT ${EVENT_COLUMNS}
FROM events e
WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
  AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY e.transaction_id, e.global_position
LIMIT $3`);
