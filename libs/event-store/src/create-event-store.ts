import { openDatabase, type OpenDatabaseOptions } from './open-database';
import { EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS } from './migrations/event-store.migrations';
import { migrate } from './migrations/migrate';
import type { SqlDatabase } from './sql-database.port';
import { SqlEventStore, type SqlEventStoreOptions } from './sql-event-store';

export interface EventStoreOptions extends OpenDatabaseOptions, Omit<SqlEventStoreOptions, 'ownsDatabase'> {}

export interface EventStoreHandle {
  readonly store: SqlEventStore;
  /** the same database, for read models and checkpoints; closed by `store.close()` */
  readonly db: SqlDatabase;
}

/**
 * Opens the database (PostgreSQL at `databaseUrl`, else PGlite in `dataDir`, else PGlite
 * in memory), applies the event store's migrations, and returns the store over it.
 */
export const createEventStore = async (options: EventStoreOptions = {}): Promise<EventStoreHandle> => {
  const db = await openDatabase(options);
  try {
    await migrate(db, { component: EVENT_STORE_COMPONENT, migrations: EVENT_STORE_MIGRATIONS });
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return { store: new SqlEventStore(db, { ...options, ownsDatabase: true }), db };
};
