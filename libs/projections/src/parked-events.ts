import { logReader, statement, type SqlDatabase, type SqlQueryable } from '@app/event-store';
import type { Projection } from './projection';
import { ProjectionNeedsRebuild } from './projection.errors';
import { applyOne, transactionParkingPoison } from './internal/apply-events';
import { readGeneration } from './internal/generations';
import { lock } from './internal/locks';

/** How many events of the active generation are parked, in how many streams. */
export interface ParkedCounts {
  readonly streams: number;
  readonly events: number;
}

/** One parked event, for a CLI listing or an operator's look. */
export interface ParkedEvent {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly globalPosition: number;
  /** `failed`: this event threw; `behind`: parked because an earlier event of its stream is */
  readonly reason: 'failed' | 'behind';
  readonly error: string | null;
  readonly attempts: number;
  readonly parkedAt: Date;
}

export interface RetryParkedResult {
  /** streams whose parked events were all applied: they flow again */
  readonly streamsReleased: number;
  /** streams where an event failed again: it and the later ones stay parked */
  readonly streamsStillParked: number;
  readonly eventsApplied: number;
}

const OF_ACTIVE = `projection = $1 AND generation =
  (SELECT generation FROM projection_versions WHERE projection = $1 AND state = 'active')`;

const COUNT = statement(
  `SELECT count(DISTINCT stream_id) AS streams, count(*) AS events FROM projection_parked WHERE ${OF_ACTIVE}`,
);

export const countParked = async (q: SqlQueryable, projection: string): Promise<ParkedCounts> => {
  const { rows } = await q.query<{ streams: number | string; events: number | string }>(
    COUNT.text,
    [projection],
    COUNT,
  );
  return { streams: Number(rows[0]?.streams ?? 0), events: Number(rows[0]?.events ?? 0) };
};

interface ParkedRow {
  stream_id: string;
  stream_version: number | string;
  event_id: string;
  event_type: string;
  global_position: number | string;
  reason: 'failed' | 'behind';
  error: string | null;
  attempts: number | string;
  parked_at: Date | string;
}

export const listParked = async (q: SqlQueryable, projection: string, limit = 1000): Promise<ParkedEvent[]> => {
  const { rows } = await q.query<ParkedRow>(
    `SELECT stream_id, stream_version, event_id::text AS event_id, event_type, global_position, reason, error, attempts, parked_at
     FROM projection_parked WHERE ${OF_ACTIVE} ORDER BY transaction_id, global_position LIMIT $2`,
    [projection, limit],
  );
  return rows.map((row) => ({
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    eventId: row.event_id,
    eventType: row.event_type,
    globalPosition: Number(row.global_position),
    reason: row.reason,
    error: row.error,
    attempts: Number(row.attempts),
    parkedAt: new Date(row.parked_at),
  }));
};

/**
 * Applies the parked events of each stream (or of one), in stream order, then deletes them
 * from the park. One transaction per stream, holding the active generation's lock: no live
 * batch can park a new event of that stream meanwhile, and once it commits the live runner
 * applies the stream's later events directly (it checks the park inside its own batch).
 * An event that fails again stays parked with the ones after it; those before are applied.
 */
export const retryParkedEvents = async (
  db: SqlDatabase,
  projection: Projection,
  streamId?: string,
): Promise<RetryParkedResult> => {
  const streams = streamId
    ? [streamId]
    : (
        await db.query<{ stream_id: string }>(
          `SELECT stream_id FROM projection_parked WHERE ${OF_ACTIVE} GROUP BY stream_id ORDER BY min(global_position)`,
          [projection.name],
        )
      ).rows.map((row) => row.stream_id);
  let streamsReleased = 0;
  let streamsStillParked = 0;
  let eventsApplied = 0;
  for (const stream of streams) {
    const { applied, remaining } = await retryStream(db, projection, stream);
    eventsApplied += applied;
    if (remaining > 0) streamsStillParked += 1;
    else if (applied > 0) streamsReleased += 1;
  }
  return { streamsReleased, streamsStillParked, eventsApplied };
};

const retryStream = (db: SqlDatabase, projection: Projection, streamId: string) =>
  transactionParkingPoison(db, async (tx, poison) => {
    await lock(tx, projection.name, 'active');
    const generation = await readGeneration(tx, projection.name, 'active');
    if (generation?.version !== projection.version)
      throw new ProjectionNeedsRebuild(projection.name, projection.version, generation?.version);
    const where = 'projection = $1 AND generation = $2 AND stream_id = $3';
    const key = [projection.name, generation.generation, streamId];
    const { rows } = await tx.query<{ stream_version: number | string }>(
      `SELECT stream_version FROM projection_parked WHERE ${where} ORDER BY stream_version`,
      key,
    );
    const events = await logReader(tx).readStreamVersions(
      streamId,
      rows.map((row) => Number(row.stream_version)),
    );
    let applied = 0;
    for (const event of events) {
      const failure = poison.get(event.eventId);
      if (failure !== undefined) {
        await tx.query(
          `UPDATE projection_parked SET reason = 'failed', error = $5, attempts = attempts + 1
           WHERE ${where} AND stream_version = $4`,
          [...key, event.streamVersion, failure],
        );
        return { applied, remaining: events.length - applied };
      }
      await applyOne(tx, projection, generation.tables, event);
      await tx.query(`DELETE FROM projection_parked WHERE ${where} AND stream_version = $4`, [
        ...key,
        event.streamVersion,
      ]);
      applied += 1;
    }
    return { applied, remaining: 0 };
  });
