import type { EventMetadata, LogCheckpoint, RecordedEvent } from './event-store.port';

/** An events row as both drivers return it (pg gives bigint as text, PGlite as number). */
export interface EventRow {
  event_id: string;
  event_type: string;
  schema_version: number | string;
  data: unknown;
  metadata: EventMetadata;
  stream_id: string;
  stream_version: number | string;
  global_position: number | string;
  transaction_id: string;
  recorded_at: Date | string;
}

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  eventId: row.event_id,
  type: row.event_type,
  schemaVersion: Number(row.schema_version),
  data: row.data,
  metadata: row.metadata,
  streamId: row.stream_id,
  streamVersion: Number(row.stream_version),
  globalPosition: Number(row.global_position),
  transactionId: row.transaction_id,
  recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
});

export const checkpointOf = (row: { transaction_id: string; global_position: number | string }): LogCheckpoint => ({
  transactionId: row.transaction_id,
  globalPosition: Number(row.global_position),
});

/** Orders checkpoints as the global log does: by transaction id, then position. */
export const compareCheckpoints = (a: LogCheckpoint, b: LogCheckpoint): number => {
  const tx = BigInt(a.transactionId) - BigInt(b.transactionId);
  if (tx !== 0n) return tx < 0n ? -1 : 1;
  return a.globalPosition - b.globalPosition;
};
