import { createEventStore } from '@app/event-store';
import { createTestDatabase, describeWithService } from '@app/testing';
import { readModelsSuite } from './testing/read-models.suite';

describeWithService('DATABASE_URL', 'PostgreSQL', 'read models on PostgreSQL', (serverUrl) =>
  readModelsSuite('PostgreSQL', async () => {
    const database = await createTestDatabase(serverUrl);
    const { store, db } = await createEventStore({ databaseUrl: database.url, poolSize: 8 });
    return {
      store,
      db,
      close: async () => {
        await store.close();
        await database.drop();
      },
    };
  }),
);
