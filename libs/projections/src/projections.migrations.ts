import type { Migration } from '@app/event-store';

/**
 * The runner's own tables (docs/projections.md). Read-model tables are not migrations:
 * each projection creates its own, one set per generation, from its `tables` DDL.
 *
 * - projection_versions: the registry of generations. At most one `active` (the tables the
 *   views point to) and one `building` (a rebuild in progress) per projection.
 * - projection_checkpoints: the last event of the global log a generation has applied,
 *   written in the same transaction as its rows. (transaction_id, global_position) is the
 *   log's commit order (event-store.port.ts). Since version 2, rows of the store's
 *   `checkpoints` table.
 * - projection_parked: events a generation could not apply, and the later events of their
 *   streams, held back until retried. Only references: the events stay in `events`.
 * - projection_leases: which runner is the active one for a projection, until when. Since
 *   version 2, rows of the store's `leases` table.
 */
const registry: Migration = {
  version: 1,
  name: 'projection registry, checkpoints, parked events, leases',
  sql: `
CREATE TABLE projection_versions (
  projection text NOT NULL,
  generation integer NOT NULL,
  version integer NOT NULL,
  tables jsonb NOT NULL,
  state text NOT NULL,
  created_at timestamptz NOT NULL,
  activated_at timestamptz,
  CONSTRAINT projection_versions_pkey PRIMARY KEY (projection, generation),
  CONSTRAINT projection_versions_state_check CHECK (state IN ('building', 'active', 'retired'))
);
CREATE UNIQUE INDEX projection_versions_one_active ON projection_versions (projection) WHERE state = 'active';
CREATE UNIQUE INDEX projection_versions_one_building ON projection_versions (projection) WHERE state = 'building';

CREATE TABLE projection_checkpoints (
  name text NOT NULL,
  transaction_id xid8 NOT NULL,
  global_position bigint NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT projection_checkpoints_pkey PRIMARY KEY (name)
);

CREATE TABLE projection_parked (
  projection text NOT NULL,
  generation integer NOT NULL,
  stream_id text NOT NULL,
  stream_version bigint NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  transaction_id xid8 NOT NULL,
  global_position bigint NOT NULL,
  reason text NOT NULL,
  error text,
  attempts integer NOT NULL DEFAULT 1,
  parked_at timestamptz NOT NULL,
  CONSTRAINT projection_parked_pkey PRIMARY KEY (projection, generation, global_position),
  CONSTRAINT projection_parked_reason_check CHECK (reason IN ('failed', 'behind'))
);
CREATE INDEX projection_parked_stream_idx ON projection_parked (projection, generation, stream_id, stream_version);

CREATE TABLE projection_leases (
  projection text NOT NULL,
  owner text NOT NULL,
  expires_at timestamptz NOT NULL,
  CONSTRAINT projection_leases_pkey PRIMARY KEY (projection)
);
`,
};

/**
 * The checkpoints and the leases move to the store's tables (`checkpoints`, `leases`: event
 * store migration 3, applied before this one by createEventStore), under the component
 * `projections`, with every row: a deployed runner goes on from where it was, rebuilding
 * nothing. Then the old tables go.
 */
const sharedCheckpointsAndLeases: Migration = {
  version: 2,
  name: "checkpoints and leases into the store's tables",
  sql: `
INSERT INTO checkpoints (component, name, transaction_id, global_position, updated_at)
SELECT 'projections', name, transaction_id, global_position, updated_at FROM projection_checkpoints;
DROP TABLE projection_checkpoints;
INSERT INTO leases (component, name, owner, expires_at)
SELECT 'projections', projection, owner, expires_at FROM projection_leases;
DROP TABLE projection_leases;
`,
};

/**
 * A rebuild's pass over the log stream by stream (projection-rebuild.ts): where it reads up
 * to (a place of the log) and the last stream it has applied, on the generation it fills.
 * NULL when the generation is built in log order only, or once the pass is over.
 */
const streamPass: Migration = {
  version: 3,
  name: "a rebuild's pass stream by stream",
  sql: `
ALTER TABLE projection_versions
  ADD COLUMN pass_through_transaction xid8,
  ADD COLUMN pass_through_position bigint,
  ADD COLUMN pass_after_stream text;
`,
};

/** Add, never edit (an applied migration whose text changed is refused at start). */
export const PROJECTIONS_MIGRATIONS: readonly Migration[] = [registry, sharedCheckpointsAndLeases, streamPass];
export const PROJECTIONS_COMPONENT = 'projections';
