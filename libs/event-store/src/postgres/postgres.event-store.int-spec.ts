import { createTestDatabase, describeWithService } from '@app/testing';
import { createEventStore } from '../create-event-store';
import { eventStoreContract } from '../testing/event-store.contract';
import { sqlEventStoreFixture } from '../testing/sql-event-store.fixture';

describeWithService('DATABASE_URL', 'PostgreSQL', 'PostgreSQL event store', (serverUrl) => {
  // a fresh database per run: no other suite's rows, no leftovers from the last run
  eventStoreContract('PostgreSQL', async () => {
    const database = await createTestDatabase(serverUrl);
    const handle = await createEventStore({ databaseUrl: database.url, poolSize: 12 });
    return sqlEventStoreFixture(handle, { concurrentWriters: true, onClose: () => database.drop() });
  });
});
