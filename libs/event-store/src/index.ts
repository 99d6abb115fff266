export * from './event-store.port';
export * from './event-store.errors';
export * from './event-store.tokens';
export * from './sql-database.port';
export {
  DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  PgDatabase,
  TransactionConnectionLost,
  type PgDatabaseOptions,
} from './postgres/pg-database';
export { PgliteDatabase } from './pglite/pglite-database';
export { openDatabase, type OpenDatabaseOptions } from './open-database';
export type { Migration } from './migrations/migration';
export { migrate, appliedMigrationVersion, type MigrateOptions } from './migrations/migrate';
export { EVENT_STORE_MIGRATIONS, EVENT_STORE_COMPONENT } from './migrations/event-store.migrations';
export { SqlEventStore, defaultPolling, type SqlEventStoreOptions, type FollowPolling } from './sql-event-store';
export { EXACT_COUNT_LIMIT, logReader, SqlLogReader } from './log-reads';
export { LogSignal } from './log-signal';
export { statement, statementName, type Statement } from './statement';
export {
  readChainHeads,
  readChainLinks,
  readHashedLog,
  readStreamIdAhead,
  readUnchainedThrough,
  type ChainHeads,
  type ChainLink,
  type ChainLinksOptions,
  type HashedLogEvent,
  type HashedLogOptions,
} from './chain-reads';
export { checkpointOf, compareCheckpoints, toRecordedEvent, type EventRow } from './event-rows';
export {
  canonicalEventContent,
  canonicalEventText,
  chainHash,
  eventHash,
  genesisHash,
  HASH_ALGORITHM,
  HASH_BYTES,
  storedEventHash,
  type HashedEventContent,
  type StoredEventContent,
} from './event-hash';
export { createEventStore, type EventStoreOptions, type EventStoreHandle } from './create-event-store';
export { EventStoreModule, type EventStoreModuleAsyncOptions } from './event-store.module';
export { derivedUuid } from './derived-id';
export { isConnectionLoss, isUndefinedTable } from './sql-errors';
export { SqlLease, PRESENCE_LOCK_CLASS, type SqlLeaseOptions, type SqlLeaseHolder } from './sql-lease';
export { SqlCheckpoints, type StoredCheckpoint } from './sql-checkpoints';
export {
  DATA_DIR_LOCK_FILE,
  DataDirInUse,
  lockDataDir,
  type DataDirLock,
  type DataDirLockHolder,
} from './pglite/data-dir-lock';
