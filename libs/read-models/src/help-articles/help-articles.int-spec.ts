import { createEventStore } from '@app/event-store';
import { createTestDatabase, describeWithService } from '@app/testing';
import { helpArticlesSuite } from '../testing/help-articles.suite';

describeWithService('DATABASE_URL', 'PostgreSQL', 'help articles on PostgreSQL', (serverUrl) =>
  helpArticlesSuite('PostgreSQL', async () => {
    const database = await createTestDatabase(serverUrl);
    const { store, db } = await createEventStore({ databaseUrl: database.url, poolSize: 4 });
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
