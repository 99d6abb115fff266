import { randomUUID } from 'node:crypto';
import { createTestDatabase, describeWithService, waitFor, type TestDatabase } from '@app/testing';
import { createEventStore, type EventStoreHandle } from '../create-event-store';
import { StaleTransaction } from '../event-store.errors';
import { LOG_START } from '../event-store.port';

/**
 * The global log is ordered by transaction id. A transaction takes its id at its first
 * write, so one that wrote something early and appends late may be older than the writer
 * of the stream's previous event: its event would be read before that one. PostgreSQL only:
 * PGlite has one connection, so no transaction can write while another is open.
 */
describeWithService('DATABASE_URL', 'PostgreSQL', 'appendInTransaction on PostgreSQL', (serverUrl) => {
  let database: TestDatabase;
  let handle: EventStoreHandle;

  beforeAll(async () => {
    database = await createTestDatabase(serverUrl);
    handle = await createEventStore({ databaseUrl: database.url, poolSize: 4 });
  });
  afterAll(async () => {
    await handle?.store.close();
    await database?.drop();
  });

  it('refuses an append from a transaction older than the writer of the previous event, and writes nothing', async () => {
    const { store, db } = handle;
    const streamId = `stale-${randomUUID()}`;
    await store.appendToStream(streamId, [{ type: 'Logged', data: 1 }], 'no-stream');
    const refused = db.transaction(async (tx) => {
      await tx.query('SELECT pg_current_xact_id()'); // takes its id now
      // meanwhile another writer moves the stream on, with a younger transaction id
      await store.appendToStream(streamId, [{ type: 'Logged', data: 2 }], 1);
      await expect(store.appendInTransaction(tx, streamId, [{ type: 'Logged', data: 'old' }], 2)).rejects.toThrow(
        StaleTransaction,
      );
      // the transaction is still usable, and nothing of the refused append is in it
      const { rows } = await tx.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE stream_id = $1', [
        streamId,
      ]);
      return Number(rows[0].n);
    });
    expect(await refused).toBe(2);

    // run again in a new transaction, it lands after its predecessor in the log
    await db.transaction((tx) => store.appendInTransaction(tx, streamId, [{ type: 'Logged', data: 3 }], 2));
    // the log shows an event once every older transaction of the server has ended (another
    // suite's, on a shared server, may still be open): wait for it, then check the order
    let versions: number[] = [];
    await waitFor(
      async () => {
        const { events } = await store.readAll({ after: LOG_START, limit: 1000 });
        versions = events.filter((e) => e.streamId === streamId).map((e) => e.streamVersion);
        return versions.length >= 3;
      },
      () => `the log shows versions ${JSON.stringify(versions)}`,
    );
    expect(versions).toEqual([1, 2, 3]);
  });

  it('lets a transaction younger than the previous event append as usual', async () => {
    const { store, db } = handle;
    const streamId = `young-${randomUUID()}`;
    await store.appendToStream(streamId, [{ type: 'Logged', data: 1 }], 'no-stream');
    const result = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_current_xact_id()');
      return store.appendInTransaction(tx, streamId, [{ type: 'Logged', data: 2 }], 1);
    });
    expect(result.nextExpectedVersion).toBe(2);
  });
});
