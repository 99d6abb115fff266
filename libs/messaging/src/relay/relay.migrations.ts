import type { Migration } from '@app/event-store';

/** This library's migrations, applied with `migrate(db, { component: MESSAGING_COMPONENT, … })`. */
export const MESSAGING_COMPONENT = 'messaging';

export const MESSAGING_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'relay-checkpoints',
    sql: `
-- Where each relay is in the global log: the last event the broker acknowledged.
-- transaction_id is the xid8 of the event's writing transaction, as a decimal string.
CREATE TABLE relay_checkpoints (
  name text PRIMARY KEY,
  transaction_id text NOT NULL,
  global_position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- The latest published summary of each case (the case-state topic's last value), saved
-- with the checkpoint in one transaction so that a restart folds on from the same state.
CREATE TABLE relay_case_states (
  relay text NOT NULL,
  case_id text NOT NULL,
  state jsonb NOT NULL,
  PRIMARY KEY (relay, case_id)
);`,
  },
  {
    version: 2,
    name: 'relay-leases',
    sql: `
-- Which relay process publishes (docs/kafka.md, "One relay at a time"): the holder of the
-- lease, until expires_at (the database's clock). Renewed in each checkpoint transaction
-- and by a heartbeat; taken over by a standby once it has expired.
CREATE TABLE relay_leases (
  relay text PRIMARY KEY,
  owner text NOT NULL,
  expires_at timestamptz NOT NULL
);`,
  },
  {
    version: 3,
    name: 'checkpoints-and-leases-into-the-store',
    sql: `
-- The checkpoints and the lease move to the store's tables (checkpoints, leases: event store
-- migration 3, applied before this one by createEventStore), under the component 'messaging',
-- with their rows: a deployed relay goes on from the last acknowledged event, sending none
-- again. The transaction id was kept as text here; the store's column is xid8.
INSERT INTO checkpoints (component, name, transaction_id, global_position, updated_at)
SELECT 'messaging', name, transaction_id::xid8, global_position, updated_at FROM relay_checkpoints;
DROP TABLE relay_checkpoints;
INSERT INTO leases (component, name, owner, expires_at)
SELECT 'messaging', relay, owner, expires_at FROM relay_leases;
DROP TABLE relay_leases;`,
  },
];
