import { CASE_EVENT_TYPES } from '@app/case-domain';
import type { Projection } from '../projection';

export const EVENT_COUNTS_TABLE = 'event_counts';

/**
 * A projection for tests that is deliberately NOT idempotent: it adds one per application,
 * so an event applied twice shows up as a count above the stream's version, and a lost
 * one as a count below. What it proves is the runner's exactly-once, with no help from a
 * version guard.
 */
export const countingProjection = (name = 'event-counts'): Projection<typeof EVENT_COUNTS_TABLE> => ({
  name,
  version: 1,
  tables: {
    [EVENT_COUNTS_TABLE]: (t) =>
      `CREATE TABLE ${t} (stream_id text NOT NULL, applied integer NOT NULL, last_version bigint NOT NULL,
        CONSTRAINT ${t}_pkey PRIMARY KEY (stream_id))`,
  },
  handles: CASE_EVENT_TYPES,
  // one statement per event, in order: the count is exactly the applications
  applyBatch: async (tx, events, tables) => {
    for (const event of events)
      await tx.query(
        `INSERT INTO ${tables[EVENT_COUNTS_TABLE]} AS c (stream_id, applied, last_version) VALUES ($1, 1, $2)
         ON CONFLICT (stream_id) DO UPDATE SET applied = c.applied + 1, last_version = EXCLUDED.last_version`,
        [event.streamId, event.streamVersion],
      );
  },
});
