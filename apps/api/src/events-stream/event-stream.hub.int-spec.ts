import { createEventStore } from '@app/event-store';
import { createTestDatabase, describeWithService } from '@app/testing';
import { eventStreamHubSuite } from '../../test/event-stream-hub.suite';

describeWithService('DATABASE_URL', 'PostgreSQL', 'EventStreamHub over PostgreSQL', (serverUrl) =>
  eventStreamHubSuite('PostgreSQL', async () => {
    const database = await createTestDatabase(serverUrl);
    const handle = await createEventStore({ databaseUrl: database.url });
    return {
      handle,
      close: async () => {
        await handle.store.close();
        await database.drop();
      },
    };
  }),
);
