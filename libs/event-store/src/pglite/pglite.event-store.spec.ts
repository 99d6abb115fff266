import { createEventStore } from '../create-event-store';
import { eventStoreContract } from '../testing/event-store.contract';
import { sqlEventStoreFixture } from '../testing/sql-event-store.fixture';

// PGlite in memory: one connection, so concurrency cases pass by serialisation here;
// the PostgreSQL run of the same suite is the one that shows real interleavings.
eventStoreContract('PGlite (in memory)', async () =>
  sqlEventStoreFixture(await createEventStore(), { concurrentWriters: false }),
);
