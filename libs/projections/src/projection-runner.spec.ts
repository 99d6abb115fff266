import { createEventStore } from '@app/event-store';
import { projectionRunnerSuite } from './testing/projection-runner.suite';

// PGlite in memory: one connection, so "another process" shares it, and commits never
// interleave (2,500 events cross as many kinds of batch boundary as 10,000); the PostgreSQL
// run of the same suite (projection-runner.int-spec.ts) has real separate connections and
// the 10,000-event history.
projectionRunnerSuite(
  'PGlite (in memory)',
  async () => {
    const { store, db } = await createEventStore();
    return {
      store,
      db,
      concurrent: false,
      secondProcess: async () => ({ store, db, close: async () => undefined }),
      close: () => store.close(),
    };
  },
  { determinismEvents: 2_500 },
);
