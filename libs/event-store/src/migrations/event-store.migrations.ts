import { eventsMigration } from './0001-events.migration';
import { hashChainMigration } from './0002-hash-chain.migration';
import { checkpointsAndLeasesMigration } from './0003-checkpoints-and-leases.migration';
import { leasePresenceMigration } from './0004-lease-presence.migration';
import type { Migration } from './migration';

/**
 * The event store's migrations, in order. Kept as TypeScript constants, not .sql files,
 * so that the swc build (which only compiles .ts) ships them. Add, never edit: an applied
 * migration whose text changed is refused at start.
 */
export const EVENT_STORE_MIGRATIONS: readonly Migration[] = [
  eventsMigration,
  hashChainMigration,
  checkpointsAndLeasesMigration,
  leasePresenceMigration,
];

export const EVENT_STORE_COMPONENT = 'event-store';
