import {
  HASH_ALGORITHM,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type SqlDatabase,
} from '@app/event-store';

/**
 * Checkpoints of all chains (docs/audit.md). A hash chain shows an event changed or removed
 * in the middle of a stream, never a removed tail: the shortened chain is still a chain.
 * So, periodically, a checkpoint event records a digest of every stream's head:
 *
 *   headsDigest = SHA-256( head hash of stream 1 ‖ head hash of stream 2 ‖ … )
 *
 * streams in bytewise order of their ids (stream_id is COLLATE "C"), over the events whose
 * writing transaction is older than every transaction in flight when it was taken
 * (`coversTransactionsBelow`, the snapshot's xmin). That set is final: no transaction that
 * could still add to it is running, so the digest never changes unless history does. A head
 * written before the chain existed counts as its stream's genesis hash.
 *
 * The checkpoint is itself an event of the `audit-checkpoints` stream, chained like any
 * other, and the next checkpoint covers it. Verification recomputes the latest one.
 */
export const AUDIT_CHECKPOINT_STREAM = 'audit-checkpoints';
export const AUDIT_CHECKPOINT_EVENT = 'AuditCheckpointed';

export interface AuditCheckpointData {
  readonly at: string;
  /** xid8 as a decimal string: the checkpoint covers the events of older transactions */
  readonly coversTransactionsBelow: string;
  /** the greatest global position it covers (null: nothing yet) */
  readonly throughGlobalPosition: number | null;
  readonly streams: number;
  readonly events: number;
  /** hex */
  readonly headsDigest: string;
  readonly algorithm: typeof HASH_ALGORITHM;
}

export interface AuditCheckpoint {
  readonly data: AuditCheckpointData;
  /** the checkpoint event's own global position */
  readonly globalPosition: number;
  readonly recordedAt: string;
}

/**
 * One pass over the covered events. The CTE is read three times but computed once. Heads
 * are the highest version per stream among the covered events (DISTINCT ON walks the
 * primary key order, bytewise by stream id).
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

interface HeadsRow {
  below: string;
  events: number | string;
  through: number | string | null;
  streams: number | string;
  digest: string;
}

/** What a checkpoint taken now would record (without recording it). */
export const computeChainHeads = async (db: SqlDatabase, at: Date): Promise<AuditCheckpointData> => {
  const [row] = (await db.query<HeadsRow>(HEADS)).rows;
  return {
    at: at.toISOString(),
    coversTransactionsBelow: row.below,
    throughGlobalPosition: row.through === null ? null : Number(row.through),
    streams: Number(row.streams),
    events: Number(row.events),
    headsDigest: row.digest,
    algorithm: HASH_ALGORITHM,
  };
};

/** The latest checkpoint event, or null when none was taken yet. */
export const latestAuditCheckpoint = async (db: SqlDatabase): Promise<AuditCheckpoint | null> => {
  const { rows } = await db.query<{ data: AuditCheckpointData; global_position: number | string; recorded_at: Date }>(
    `SELECT data, global_position, recorded_at FROM events
     WHERE stream_id = $1 AND event_type = $2 ORDER BY stream_version DESC LIMIT 1`,
    [AUDIT_CHECKPOINT_STREAM, AUDIT_CHECKPOINT_EVENT],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    data: row.data,
    globalPosition: Number(row.global_position),
    recordedAt: new Date(row.recorded_at).toISOString(),
  };
};

export interface TakeCheckpointOptions {
  readonly now: Date;
  /** who takes it (the scheduler, an operator) */
  readonly metadata?: EventMetadata;
}

export type TakeCheckpointResult =
  | { readonly taken: true; readonly checkpoint: AuditCheckpointData; readonly appended: AppendResult }
  | { readonly taken: false; readonly reason: string; readonly checkpoint: AuditCheckpointData };

/**
 * Records a checkpoint, unless nothing but the previous checkpoint was written since (so an
 * idle log does not fill up with checkpoints of itself). Appends with expected version
 * 'any': two schedulers that run together both record one, which is harmless.
 */
export const takeAuditCheckpoint = async (
  store: EventStore,
  db: SqlDatabase,
  { now, metadata = {} }: TakeCheckpointOptions,
): Promise<TakeCheckpointResult> => {
  const [previous, checkpoint] = await Promise.all([latestAuditCheckpoint(db), computeChainHeads(db, now)]);
  if (checkpoint.events === 0) return { taken: false, reason: 'the log is empty', checkpoint };
  if (
    previous &&
    checkpoint.events === previous.data.events + 1 &&
    checkpoint.throughGlobalPosition === previous.globalPosition
  )
    return { taken: false, reason: 'nothing was recorded since the last checkpoint', checkpoint };
  const appended = await store.appendToStream(
    AUDIT_CHECKPOINT_STREAM,
    [{ type: AUDIT_CHECKPOINT_EVENT, data: checkpoint, metadata }],
    'any',
  );
  return { taken: true, checkpoint, appended };
};
