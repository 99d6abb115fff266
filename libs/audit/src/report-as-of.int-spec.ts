import { ManualClock } from '@app/clock';
import { createEventStore } from '@app/event-store';
import { createTestDatabase, describeWithService } from '@app/testing';
import { replaysReports } from './testing/report-as-of.scenarios';

describeWithService('DATABASE_URL', 'PostgreSQL', 'reports as of a moment on PostgreSQL', (serverUrl) => {
  // one connection: every replay reuses the session of the one before (its temporary
  // tables are gone, its named statements are not), and the live reads share it too
  replaysReports('PostgreSQL', async () => {
    const database = await createTestDatabase(serverUrl);
    const clock = new ManualClock('2026-03-02T08:00:00Z');
    const { store, db } = await createEventStore({ databaseUrl: database.url, poolSize: 1, clock });
    return {
      store,
      db,
      clock,
      close: async () => {
        await store.close();
        await database.drop();
      },
    };
  });
});
