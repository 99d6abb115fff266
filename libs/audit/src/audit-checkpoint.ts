import {
  HASH_ALGORITHM,
  logReader,
  readChainHeads,
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

/** What a checkpoint taken now would record (without recording it). */
export const computeChainHeads = async (db: SqlDatabase, at: Date): Promise<AuditCheckpointData> => {
  const heads = await readChainHeads(db);
  return {
    at: at.toISOString(),
    coversTransactionsBelow: heads.coversTransactionsBelow,
    throughGlobalPosition: heads.throughGlobalPosition,
    streams: heads.streams,
    events: heads.events,
    headsDigest: heads.headsDigest,
    algorithm: HASH_ALGORITHM,
  };
};

/** The latest checkpoint event, or null when none was taken yet. */
export const latestAuditCheckpoint = async (db: SqlDatabase): Promise<AuditCheckpoint | null> => {
  const event = await logReader(db).lastOfType(AUDIT_CHECKPOINT_STREAM, AUDIT_CHECKPOINT_EVENT);
  if (!event) return null;
  return {
    data: event.data as AuditCheckpointData,
    globalPosition: event.globalPosition,
    recordedAt: event.recordedAt.toISOString(),
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
