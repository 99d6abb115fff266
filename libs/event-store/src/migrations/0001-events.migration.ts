import type { Migration } from './migration';

/**
 * The events table (libs/event-store/README.md, "Schema and migrations").
 * - (stream_id, stream_version) is the optimistic-concurrency guard: two writers of one
 *   version cannot both commit, so a stream never forks.
 * - event_id is unique: a repeated append is recognised as a retry, never stored twice.
 * - transaction_id (the writing transaction, xid8) lets readers of the global log wait for
 *   in-flight transactions instead of skipping their events; the index serves the
 *   (transaction_id, global_position) order they read in.
 * - recorded_at keeps milliseconds, the precision a JavaScript Date can hold, so a value
 *   read back can be used as an `asOf` bound and match the same row.
 * Columns for the audit hash chain come in a later migration.
 */
export const eventsMigration: Migration = {
  version: 1,
  name: 'events',
  sql: `
CREATE TABLE events (
  global_position bigserial NOT NULL,
  stream_id text NOT NULL,
  stream_version bigint NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  schema_version integer NOT NULL DEFAULT 1,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  recorded_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  CONSTRAINT events_pkey PRIMARY KEY (stream_id, stream_version),
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_stream_version_positive CHECK (stream_version > 0),
  CONSTRAINT events_schema_version_positive CHECK (schema_version > 0)
);
CREATE INDEX events_commit_order_idx ON events (transaction_id, global_position);
`,
};
