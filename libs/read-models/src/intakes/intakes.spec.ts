import { createEventStore } from '@app/event-store';
import { intakesSuite } from '../testing/intakes.suite';

// PGlite in memory; intakes.int-spec.ts runs the same suite on PostgreSQL.
intakesSuite('PGlite (in memory)', async () => {
  const { store, db } = await createEventStore();
  return { store, db, close: () => store.close() };
});
