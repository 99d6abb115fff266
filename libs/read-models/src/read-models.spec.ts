import { createEventStore } from '@app/event-store';
import { readModelsSuite } from './testing/read-models.suite';

// PGlite in memory; read-models.int-spec.ts runs the same suite on PostgreSQL
readModelsSuite('PGlite (in memory)', async () => {
  const { store, db } = await createEventStore();
  return { store, db, close: () => store.close() };
});
