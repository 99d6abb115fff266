import type { Migration } from './migration';

/**
 * The log followers' bookkeeping, one table each for every library (docs/architecture.md,
 * "Who owns which table"): the projection runner, the timer indexer and the Kafka relay
 * each kept a checkpoint table and two of them a lease table of their own, with the same
 * columns. Keyed by the `component` that owns the row (the name it migrates under:
 * `projections`, `timers`, `messaging`) and the row's `name` within it.
 *
 * - checkpoints: the last event of the global log a follower has handled.
 *   (transaction_id, global_position) is the log's commit order (event-store.port.ts). Each
 *   owner writes its row in the transaction of what it derived (read-model rows, timers and
 *   outboxes, the relay's case summaries), so the row and its effects commit together.
 * - leases: which process is the active one for a component's `name`, until `expires_at`
 *   (the database's clock); the SQL is `SqlLease` (sql-lease.ts).
 *
 * The owners' own migrations move their rows here and drop their old tables.
 */
export const checkpointsAndLeasesMigration: Migration = {
  version: 3,
  name: 'checkpoints and leases',
  sql: `
CREATE TABLE checkpoints (
  component text NOT NULL,
  name text NOT NULL,
  transaction_id xid8 NOT NULL,
  global_position bigint NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT checkpoints_pkey PRIMARY KEY (component, name)
);
CREATE TABLE leases (
  component text NOT NULL,
  name text NOT NULL,
  owner text NOT NULL,
  expires_at timestamptz NOT NULL,
  CONSTRAINT leases_pkey PRIMARY KEY (component, name)
);
`,
};
