import { statement } from './statement';

/**
 * The store's SQL, shared by PostgreSQL and PGlite.
 *
 * Append is one statement, so in autocommit it is one round trip and one transaction.
 * (stream_id, stream_version) is unique, so two writers of one version cannot both commit:
 * a conflict, never a fork. Each row carries its hash in the audit chain (event-hash.ts):
 * SHA-256 of the previous hash in the stream and the UTF-8 of the event's canonical JSON,
 * which the adapter builds for the version the statement writes. Data and metadata arrive as
 * their canonical JSON text, the very text that is hashed, so what is stored is what was
 * hashed. There are two forms, by what the adapter knows of the stream's head:
 *
 * - INSERT_ONE / INSERT_MANY: the adapter knows the hash of the expected version (the stream
 *   is new, or this process appended or read its head: sql-append.ts, StreamHeads) and sends
 *   each event's hash. A plain insert: a unique violation on the primary key means the stream
 *   moved past the expected version.
 * - APPEND_ONE / APPEND_MANY: it does not, so the statement reads the hash of version $7
 *   in the same probe of the primary key that guards the append (it writes $7 + 1 only if
 *   version $7 exists, or $7 is 0), and computes the new hashes itself. Zero rows back means
 *   the stream is behind the expected version; a unique violation that it is ahead. A previous
 *   event written before the chain existed (no hash) chains as the genesis does.
 *
 * A parameter used twice is cast to one type each time: PostgreSQL types a parameter by its
 * first use. Hashes travel as hex text (both drivers pass text alike; bytea arrays differ).
 */
const PREVIOUS = `(SELECT COALESCE(p.hash, sha256(convert_to($1::text, 'UTF8'))) AS h
  FROM (SELECT 1) AS one
  LEFT JOIN events p ON p.stream_id = $1::text AND p.stream_version = $7::bigint
  WHERE $7::bigint = 0 OR p.stream_version IS NOT NULL)`;
const APPENDED = 'RETURNING stream_version, global_position, transaction_id::text AS transaction_id';
const COLUMNS = `INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata,
  recorded_at, hash)`;

/** One event whose hash the adapter computed: plain parameters, no arrays to build or parse. */
export const INSERT_ONE = statement(`${COLUMNS}
VALUES ($1::text, $7::bigint + 1, $2::uuid, $3::text, $4::int, $8::jsonb, $9::jsonb, $6::timestamptz,
  decode($5::text, 'hex'))
${APPENDED}`);

/**
 * Several events whose hashes the adapter computed: parallel arrays, numbered by ORDINALITY
 * so versions and positions follow the batch order.
 */
export const INSERT_MANY = statement(`${COLUMNS}
SELECT $1::text, $7::bigint + u.n, u.id, u.t, u.s, u.d, u.m, $6::timestamptz, decode(u.h, 'hex')
FROM unnest($2::uuid[], $3::text[], $4::int[], $5::text[], $8::jsonb[], $9::jsonb[])
  WITH ORDINALITY AS u(id, t, s, h, d, m, n)
ORDER BY u.n
${APPENDED}`);

/** One event chained in SQL to the stored hash of version $7 ($5: its canonical JSON). */
export const APPEND_ONE = statement(`${COLUMNS}
SELECT $1::text, $7::bigint + 1, $2::uuid, $3::text, $4::int, $8::jsonb, $9::jsonb, $6::timestamptz,
  sha256(prev.h || convert_to($5::text, 'UTF8'))
FROM ${PREVIOUS} AS prev
${APPENDED}, hash`);

/**
 * Several events chained in SQL: the recursive CTE chains each event's hash to the one
 * before it, starting from the stored hash of version $7.
 */
export const APPEND_MANY = statement(`WITH RECURSIVE
prev AS ${PREVIOUS},
e AS (
  SELECT * FROM unnest($2::uuid[], $3::text[], $4::int[], $5::text[], $8::jsonb[], $9::jsonb[])
    WITH ORDINALITY AS u(id, t, s, c, d, m, n)
),
chain AS (
  SELECT e.n, sha256(prev.h || convert_to(e.c, 'UTF8')) AS h FROM prev JOIN e ON e.n = 1
  UNION ALL
  SELECT e.n, sha256(chain.h || convert_to(e.c, 'UTF8')) FROM chain JOIN e ON e.n = chain.n + 1
)
${COLUMNS}
SELECT $1::text, $7::bigint + e.n, e.id, e.t, e.s, e.d, e.m, $6::timestamptz, chain.h
FROM e JOIN chain ON chain.n = e.n
ORDER BY e.n
${APPENDED}, hash`);

/**
 * Whether version $2 of the stream was written by a transaction younger than the current
 * one (an append in that transaction would precede it in the global log).
 */
export const WRITTEN_BY_YOUNGER = statement(
  `SELECT 1 AS younger FROM events WHERE stream_id = $1 AND stream_version = $2 AND transaction_id > pg_current_xact_id()`,
);

/** The stream's last event: its version and hash (no row for an empty stream). */
export const STREAM_HEAD = statement(
  `SELECT stream_version, hash FROM events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1`,
);

const CURRENT_VERSION = '(SELECT COALESCE(MAX(stream_version), 0) AS v FROM events WHERE stream_id = $1) AS cur';

/** Where the given ids are stored, to tell a retry from a clash. */
export const FIND_EVENT_IDS =
  statement(`SELECT event_id::text AS event_id, stream_id, stream_version, global_position, transaction_id::text AS transaction_id
FROM events WHERE event_id = ANY($1::uuid[]) ORDER BY global_position`);

/** An event's columns as `toRecordedEvent` reads them (`e` is the events table's alias). */
export const EVENT_COLUMNS = `e.event_id::text AS event_id, e.event_type, e.schema_version, e.data, e.metadata, e.stream_id,
  e.stream_version, e.global_position, e.transaction_id::text AS transaction_id, e.recorded_at`;

/**
 * The never-skip rule of a log reader (READ_ALL below): only events whose transaction is
 * older than every transaction in flight. The one copy; log-reads.ts and chain-reads.ts use it.
 */
export const NEVER_SKIP = 'e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

/**
 * A stream's events and its current version, from one snapshot; the last event's hash too
 * when the read reaches the stream's head, from which the store learns that head. The LEFT JOIN keeps one
 * row (with NULL event columns) when no event matches, to carry the current version.
 */
export const READ_STREAM = statement(`SELECT cur.v AS current_version, ${EVENT_COLUMNS},
  CASE WHEN e.stream_version = cur.v THEN e.hash END AS head_hash
FROM ${CURRENT_VERSION}
LEFT JOIN events e ON e.stream_id = $1 AND e.stream_version >= $2
  AND ($3::bigint IS NULL OR e.stream_version <= $3::bigint)
  AND ($4::timestamptz IS NULL OR e.recorded_at <= $4::timestamptz)
ORDER BY e.stream_version`);

/**
 * The global log in commit order, never skipping (libs/event-store/README.md, "The global log").
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
  AND ${NEVER_SKIP}
ORDER BY e.transaction_id, e.global_position
LIMIT $3`);

/** The last committed event in log order, without READ_ALL's rule (see EventStore.head). */
export const LOG_HEAD = statement(`SELECT e.transaction_id::text AS transaction_id, e.global_position FROM events e
ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1`);
