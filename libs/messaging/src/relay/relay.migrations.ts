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
];
