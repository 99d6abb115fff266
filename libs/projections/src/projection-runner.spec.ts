import { createEventStore } from '@app/event-store';
import { projectionRunnerSuite } from './testing/projection-runner.suite';

// PGlite in memory: one connection, so "another process" shares it; the PostgreSQL run of
// the same suite (projection-runner.int-spec.ts) has real separate connections.
projectionRunnerSuite('PGlite (in memory)', async () => {
  const { store, db } = await createEventStore();
  return {
    store,
    db,
    concurrent: false,
    secondProcess: async () => ({ store, db, close: async () => undefined }),
    close: () => store.close(),
  };
});
