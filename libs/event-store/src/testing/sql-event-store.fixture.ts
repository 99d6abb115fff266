import type { EventStoreHandle } from '../create-event-store';
import type { AppendResult, EventStore, ExpectedVersion, NewEvent } from '../event-store.port';
import { EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS } from '../migrations/event-store.migrations';
import { migrate } from '../migrations/migrate';
import type { SqlDatabase } from '../sql-database.port';
import { SqlEventStore } from '../sql-event-store';

/** What the contract suite needs from an adapter besides the port itself. */
export interface EventStoreFixture {
  readonly store: EventStore;
  /** the store's database, to look at what is stored beyond the port (the hash chain) */
  readonly db: SqlDatabase;
  /**
   * Writers really run side by side (several connections). The suite then insists that it
   * saw transactions commit out of order, so a pass means the reader was really tested.
   */
  readonly concurrentWriters: boolean;
  /** appends inside a transaction that stays open until `whileOpen` resolves */
  appendHoldingOpen(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
    whileOpen: (inserted: AppendResult) => Promise<void>,
  ): Promise<AppendResult>;
  /**
   * Another store on the same database, as another process would have: it shares nothing
   * in memory with `store` (known stream heads, followers). Closed with the fixture.
   */
  readonly twin: EventStore;
  /** runs the store's migrations again; resolves to the versions it applied */
  migrateAgain(): Promise<number[]>;
  close(): Promise<void>;
}

/** The fixture for a {@link SqlEventStore} made by `createEventStore`. */
export const sqlEventStoreFixture = (
  { store, db }: EventStoreHandle,
  { concurrentWriters, onClose }: { concurrentWriters: boolean; onClose?: () => Promise<void> },
): EventStoreFixture => {
  const twin = new SqlEventStore(db);
  return {
    store,
    db,
    twin,
    concurrentWriters,
    appendHoldingOpen: (streamId, events, expected, whileOpen) =>
      db.transaction(async (tx) => {
        const inserted = await store.appendInTransaction(tx, streamId, events, expected);
        await whileOpen(inserted);
        return inserted;
      }),
    migrateAgain: () => migrate(db, { component: EVENT_STORE_COMPONENT, migrations: EVENT_STORE_MIGRATIONS }),
    close: async () => {
      await twin.close();
      await store.close();
      await onClose?.();
    },
  };
};
