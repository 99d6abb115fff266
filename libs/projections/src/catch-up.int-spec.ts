import { Client } from 'pg';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { createTestDatabase, describeWithService, type TestDatabase } from '@app/testing';
import { ProjectionRunner } from './projection.runner';
import { countingProjection } from './testing/counting.projection';
import { countRows } from './testing/projection-test-kit';
import { deskHistory } from '@app/case-domain/testing';
import { appendHistory } from '@app/testing';

/**
 * catchUp on a stopped runner promises every event committed before the call. Readers of
 * the log do not see events past a transaction still in flight anywhere on the server (it
 * might yet add earlier rows), so while one is open, catchUp must wait, not return early.
 */
describeWithService('DATABASE_URL', 'PostgreSQL', 'catchUp while an older transaction is open', (serverUrl) => {
  let database: TestDatabase;
  let handle: EventStoreHandle;
  let holder: Client;

  beforeEach(async () => {
    database = await createTestDatabase(serverUrl);
    handle = await createEventStore({ databaseUrl: database.url, poolSize: 4 });
    holder = new Client({ connectionString: database.url });
    await holder.connect();
  });
  afterEach(async () => {
    await holder.query('ROLLBACK').catch(() => undefined);
    await holder.end();
    await handle.store.close();
    await database.drop();
  });

  it('waits for the transaction to end, then has applied every event committed before the call', async () => {
    await holder.query('BEGIN');
    await holder.query('SELECT pg_current_xact_id()'); // an xid older than every event below
    const history = await appendHistory(handle.store, deskHistory({ events: 60, seed: 7 }));
    const runner = new ProjectionRunner(countingProjection(), { store: handle.store, db: handle.db });
    let done = false;
    const caughtUp = runner.catchUp({ timeoutMs: 120_000 }).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(done).toBe(false);

    await holder.query('COMMIT');
    await caughtUp;
    const counts = await countRows(handle.db);
    expect(counts.reduce((sum, row) => sum + row.applied, 0)).toBe(history.events);
  });
});
