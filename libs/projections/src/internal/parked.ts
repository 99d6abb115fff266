import { statement, type RecordedEvent, type SqlQueryable } from '@app/event-store';

/**
 * Parked events (`projection_parked`): an event a generation could not apply (`failed`,
 * with the error) and every later event of the same stream (`behind`), so a stream is
 * never applied with a hole in it while the other streams go on (Axon's dead-letter
 * sequences, docs/projections.md, "Parking").
 */
export type ParkReason = 'failed' | 'behind';

const AMONG = statement(`SELECT DISTINCT stream_id FROM projection_parked
WHERE projection = $1 AND generation = $2 AND stream_id = ANY($3::text[])`);

/** which of these streams have parked events in the generation */
export const parkedStreamsAmong = async (
  q: SqlQueryable,
  projection: string,
  generation: number,
  streams: readonly string[],
): Promise<Set<string>> => {
  const { rows } = await q.query<{ stream_id: string }>(AMONG.text, [projection, generation, streams], AMONG);
  return new Set(rows.map((row) => row.stream_id));
};

const PARK = statement(`INSERT INTO projection_parked (projection, generation, stream_id, stream_version, event_id,
  event_type, transaction_id, global_position, reason, error, parked_at)
VALUES ($1, $2, $3, $4, $5::uuid, $6, $7::xid8, $8, $9, $10, $11)
ON CONFLICT (projection, generation, global_position) DO NOTHING`);

export const parkEvent = async (
  q: SqlQueryable,
  projection: string,
  generation: number,
  event: RecordedEvent,
  reason: ParkReason,
  error: string | null,
  now: Date,
): Promise<void> => {
  await q.query(
    PARK.text,
    [
      projection,
      generation,
      event.streamId,
      event.streamVersion,
      event.eventId,
      event.type,
      event.transactionId,
      event.globalPosition,
      reason,
      error,
      now.toISOString(),
    ],
    PARK,
  );
};
