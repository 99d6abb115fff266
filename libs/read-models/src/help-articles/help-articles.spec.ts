import { createEventStore } from '@app/event-store';
import { helpArticlesSuite } from '../testing/help-articles.suite';

// PGlite in memory, with the unaccent extension PgliteDatabase loads; help-articles.int-spec.ts
// runs the same suite on PostgreSQL.
helpArticlesSuite('PGlite (in memory)', async () => {
  const { store, db } = await createEventStore();
  return { store, db, close: () => store.close() };
});
