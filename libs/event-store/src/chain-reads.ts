import type { EventMetadata, LogCheckpoint } from './event-store.port';
import { NEVER_SKIP } from './event-store.sql';
import type { SqlQueryable } from './sql-database.port';

/**
 * The store's reads of its own hash chain (event-hash.ts; docs/audit.md), for @app/audit's
 * verification, checkpoints and log export: the chain is this library's column, so its SQL
 * lives here.
 */

/** What a checkpoint of all chains taken now would record. */
export interface ChainHeads {
  /** xid8 as a decimal string: the events of older transactions are covered */
  readonly coversTransactionsBelow: string;
  /** the greatest global position covered (null: nothing yet) */
  readonly throughGlobalPosition: number | null;
  readonly streams: number;
  readonly events: number;
  /** hex SHA-256 of every covered stream's head hash, streams in bytewise order of their ids */
  readonly headsDigest: string;
}

/**
 * One pass over the covered events (those whose transaction is older than every transaction
 * in flight: a set no running transaction can still add to). The CTE is read three times but
 * computed once. Heads are the highest version per stream among the covered events (DISTINCT
 * ON walks the primary key order, bytewise by stream id); a head written before the chain
 * existed counts as its stream's genesis hash.
 */
const HEADS = `WITH snap AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS below),
covered AS MATERIALIZED (
  SELECT e.stream_id, e.stream_version, e.global_position, e.hash FROM events e, snap WHERE e.transaction_id < snap.below
),
heads AS (
  SELECT DISTINCT ON (stream_id) stream_id, COALESCE(hash, sha256(convert_to(stream_id, 'UTF8'))) AS head
  FROM covered ORDER BY stream_id, stream_version DESC
)
SELECT (SELECT below::text FROM snap) AS below,
  (SELECT count(*) FROM covered) AS events,
  (SELECT max(global_position) FROM covered) AS through,
  (SELECT count(*) FROM heads) AS streams,
  (SELECT encode(sha256(COALESCE(string_agg(head, ''::bytea ORDER BY stream_id), ''::bytea)), 'hex') FROM heads) AS digest`;

export const readChainHeads = async (q: SqlQueryable): Promise<ChainHeads> => {
  const [row] = (
    await q.query<{
      below: string;
      events: number | string;
      through: number | string | null;
      streams: number | string;
      digest: string;
    }>(HEADS)
  ).rows;
  return {
    coversTransactionsBelow: row.below,
    throughGlobalPosition: row.through === null ? null : Number(row.through),
    streams: Number(row.streams),
    events: Number(row.events),
    headsDigest: row.digest,
  };
};

/** The last global position written before the chain began (migration 0002), or null. */
export const readUnchainedThrough = async (q: SqlQueryable): Promise<number | null> => {
  const { rows } = await q.query<{ through: number | string | null }>(
    'SELECT unchained_through AS through FROM event_hash_chain',
  );
  return rows[0]?.through == null ? null : Number(rows[0].through);
};

/** An event as stored, with its hash: what a verifier rehashes. */
export interface ChainLink {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  /**
   * data and metadata as the stored JSON text, not parsed: what the hash covers is their
   * JCS form, which `storedEventHash` computes from this text (on another thread, maybe)
   */
  readonly dataJson: string;
  readonly metadataJson: string;
  /** milliseconds since the epoch */
  readonly recordedAtMs: number;
  readonly globalPosition: number;
  /** null for an event written before the chain existed (or a tampered one) */
  readonly hash: Uint8Array | null;
  /** whether the event's transaction is below `coveredBelow`; null without it */
  readonly covered: boolean | null;
}

export interface ChainLinksOptions {
  /** one stream only; otherwise every stream */
  readonly streamId?: string;
  /** exclusive keyset cursor in primary-key order; for one stream, only its version counts */
  readonly after: { readonly streamId: string; readonly streamVersion: number };
  /** every stream: up to this stream id (inclusive, all its events); default no bound */
  readonly throughStreamId?: string | null;
  readonly limit: number;
  /** xid8 as a decimal string: marks each event `covered` when its transaction is older */
  readonly coveredBelow?: string | null;
}

/**
 * The columns under ChainLink's names and types, so the rows are the links (no second
 * object per event: a verification reads millions); versions and positions as float8,
 * exact below 2^53
 */
const LINK = `stream_id AS "streamId", stream_version::float8 AS "streamVersion", event_id::text AS "eventId",
  event_type AS "type", schema_version AS "schemaVersion", data::text AS "dataJson", metadata::text AS "metadataJson",
  (extract(epoch FROM recorded_at) * 1000)::float8 AS "recordedAtMs", hash, global_position::float8 AS "globalPosition",
  CASE WHEN $4::xid8 IS NULL THEN NULL ELSE transaction_id < $4::xid8 END AS covered`;
// (stream_id, stream_version) > (…) is a range scan of the primary key: keyset batches
const ALL_LINKS = `SELECT ${LINK} FROM events
WHERE (stream_id, stream_version) > ($1::text, $2::bigint)
ORDER BY stream_id, stream_version LIMIT $3`;
const RANGE_LINKS = `SELECT ${LINK} FROM events
WHERE (stream_id, stream_version) > ($1::text, $2::bigint) AND stream_id <= $5::text
ORDER BY stream_id, stream_version LIMIT $3`;
const STREAM_LINKS = `SELECT ${LINK} FROM events
WHERE stream_id = $1::text AND stream_version > $2::bigint
ORDER BY stream_id, stream_version LIMIT $3`;

/**
 * The stream id `step` events past `after` in primary-key order (an index-only scan of that
 * many keys), or null when the log ends before: where a verifier cuts its log into ranges,
 * and where a read of whole streams ends (LogReader.readWholeStreams).
 */
export const readStreamIdAhead = async (q: SqlQueryable, after: string, step: number): Promise<string | null> => {
  const { rows } = await q.query<{ stream_id: string }>(
    'SELECT stream_id FROM events WHERE stream_id > $1::text ORDER BY stream_id, stream_version OFFSET $2 LIMIT 1',
    [after, step],
  );
  return rows[0]?.stream_id ?? null;
};

/** A keyset batch of events with their hashes, in primary-key order (stream, then version). */
export const readChainLinks = async (
  q: SqlQueryable,
  { streamId, after, throughStreamId = null, limit, coveredBelow = null }: ChainLinksOptions,
): Promise<ChainLink[]> => {
  const params = [streamId ?? after.streamId, after.streamVersion, limit, coveredBelow];
  const { rows } = await q.query<ChainLink>(
    streamId !== undefined ? STREAM_LINKS : throughStreamId === null ? ALL_LINKS : RANGE_LINKS,
    throughStreamId === null || streamId !== undefined ? params : [...params, throughStreamId],
  );
  return rows;
};

/** An event of the log with its place and its hash (hex; null before the chain existed). */
export interface HashedLogEvent {
  readonly globalPosition: number;
  readonly transactionId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly recordedAt: Date;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly hash: string | null;
}

export interface HashedLogOptions {
  readonly after: LogCheckpoint;
  readonly limit: number;
  readonly type?: string;
  /** `metadata.tenant` */
  readonly tenant?: string;
  /** recorded at or after */
  readonly recordedFrom?: Date;
  /** recorded before */
  readonly recordedBefore?: Date;
}

interface HashedRow {
  global_position: number | string;
  transaction_id: string;
  stream_id: string;
  stream_version: number | string;
  event_id: string;
  event_type: string;
  schema_version: number | string;
  recorded_at: Date | string;
  data: unknown;
  metadata: EventMetadata;
  hash: string | null;
}

/**
 * The log in commit order, as the store's followers read it (never skipping: only events of
 * transactions older than every transaction in flight), filtered, from a checkpoint.
 */
const HASHED_LOG = `SELECT e.global_position, e.transaction_id::text AS transaction_id, e.stream_id, e.stream_version,
  e.event_id::text AS event_id, e.event_type, e.schema_version, e.recorded_at, e.data, e.metadata,
  encode(e.hash, 'hex') AS hash
FROM events e
WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
  AND ${NEVER_SKIP}
  AND ($4::text IS NULL OR e.event_type = $4::text)
  AND ($5::text IS NULL OR e.metadata ->> 'tenant' = $5::text)
  AND ($6::timestamptz IS NULL OR e.recorded_at >= $6::timestamptz)
  AND ($7::timestamptz IS NULL OR e.recorded_at < $7::timestamptz)
ORDER BY e.transaction_id, e.global_position
LIMIT $3`;

export const readHashedLog = async (
  q: SqlQueryable,
  { after, limit, type, tenant, recordedFrom, recordedBefore }: HashedLogOptions,
): Promise<HashedLogEvent[]> => {
  const { rows } = await q.query<HashedRow>(HASHED_LOG, [
    after.transactionId,
    after.globalPosition,
    limit,
    type ?? null,
    tenant ?? null,
    recordedFrom?.toISOString() ?? null,
    recordedBefore?.toISOString() ?? null,
  ]);
  return rows.map((r) => ({
    globalPosition: Number(r.global_position),
    transactionId: r.transaction_id,
    streamId: r.stream_id,
    streamVersion: Number(r.stream_version),
    eventId: r.event_id,
    type: r.event_type,
    schemaVersion: Number(r.schema_version),
    recordedAt: new Date(r.recorded_at),
    data: r.data,
    metadata: r.metadata,
    hash: r.hash,
  }));
};
