import { createEventStore } from '@app/event-store';
import { readModelsSuite } from './testing/read-models.suite';

// PGlite in memory; read-models.int-spec.ts runs the same suite on PostgreSQL, with the
// 10,000-event determinism history. PGlite has one connection, so its commits never
// interleave: 2,500 events cross as many kinds of batch boundary, at a quarter of the time.
readModelsSuite(
  'PGlite (in memory)',
  async () => {
    const { store, db } = await createEventStore();
    return { store, db, close: () => store.close() };
  },
  { determinismEvents: 2_500 },
);
