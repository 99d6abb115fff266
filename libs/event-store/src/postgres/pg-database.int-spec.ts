import { createTestDatabase, describeWithService, waitFor, type TestDatabase } from '@app/testing';
import { createEventStore, type EventStoreHandle } from '../create-event-store';
import { EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS } from '../migrations/event-store.migrations';
import { migrate } from '../migrations/migrate';
import { SqlEventStore } from '../sql-event-store';
import { PgDatabase } from './pg-database';

describeWithService('DATABASE_URL', 'PostgreSQL', 'PostgreSQL adapter', (serverUrl) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(serverUrl);
  });
  afterEach(() => database?.drop());

  it('applies migrations once when two processes start at the same moment', async () => {
    const a = new PgDatabase({ connectionString: database.url });
    const b = new PgDatabase({ connectionString: database.url });
    const options = { component: EVENT_STORE_COMPONENT, migrations: EVENT_STORE_MIGRATIONS };
    try {
      const all = EVENT_STORE_MIGRATIONS.map((m) => m.version);
      const applied = await Promise.all([migrate(a, options), migrate(b, options)]);
      // one of them applied every migration, the other found nothing left to do
      expect([...applied].sort((x, y) => x.length - y.length)).toEqual([[], all]);
      const { rows } = await a.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(all.map((version) => ({ version })));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  describe('followers in another process', () => {
    let writer: EventStoreHandle;
    let reader: SqlEventStore;
    const readerErrors: Error[] = [];

    beforeEach(async () => {
      writer = await createEventStore({ databaseUrl: database.url, onError: () => undefined });
      // polls once a minute: within the test, only a notification can wake it
      const db = new PgDatabase({ connectionString: database.url, onError: (e) => readerErrors.push(e) });
      reader = new SqlEventStore(db, { polling: { minMs: 60_000, maxMs: 60_000 }, ownsDatabase: true });
    });
    afterEach(async () => {
      await reader?.close();
      await writer?.store.close();
    });

    it('are woken by NOTIFY, and still hear of appends after their listening connection was cut', async () => {
      const seen: unknown[] = [];
      const controller = new AbortController();
      const following = (async () => {
        for await (const { events } of reader.follow({ signal: controller.signal }))
          seen.push(...events.map((e) => e.data));
      })();
      await writer.store.appendToStream('case-1', [{ type: 'Opened', data: 1 }], 'no-stream');
      await waitFor(
        () => seen.length === 1,
        () => `the reader saw ${JSON.stringify(seen)}`,
      );

      const { rows } = await writer.db.query<{ cut: boolean }>(
        `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
         WHERE application_name = 'event-store-listener' AND datname = current_database()`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(1);
      await writer.store.appendToStream('case-1', [{ type: 'Noted', data: 2 }], 1);
      await waitFor(
        () => seen.length === 2,
        () => `the reader saw ${JSON.stringify(seen)} after the cut`,
      );
      expect(readerErrors.length).toBeGreaterThanOrEqual(1); // the cut was reported, not swallowed

      controller.abort();
      await following;
      expect(seen).toEqual([1, 2]);
    });
  });
});
