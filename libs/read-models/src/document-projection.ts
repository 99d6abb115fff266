import type { RecordedEvent, SqlQueryable } from '@app/event-store';
import type { Projection, ProjectionTables } from '@app/projections';
import type { RowTable } from './row-table';

/**
 * Where the documents of a projection live: the DDL of its tables, how a batch loads the
 * documents it touches (one round trip), and how it writes back the changed ones. For one
 * row per document, {@link oneRowPerDocument}; a document spread over several tables (the
 * report facts) writes its own.
 */
export interface DocumentStore<Doc, T extends string, Batch> {
  readonly tables: { readonly [K in T]: (table: string) => string };
  /** the tables' secondary indexes apart (the projection's `indexes`): created after a rebuild's bulk fill */
  readonly indexes?: { readonly [K in T]?: (table: string) => string };
  load(tx: SqlQueryable, tables: ProjectionTables<T>, keys: readonly string[]): Promise<Map<string, Doc>>;
  /** the batch's changed documents, in the order they first changed; `batch` is what the folds gathered */
  write(tx: SqlQueryable, tables: ProjectionTables<T>, changed: readonly Doc[], batch: Batch): Promise<void>;
}

export interface DocumentProjectionSpec<Doc, T extends string, Batch = void> {
  /** kebab-case; checkpoint `projector:<name>:v<version>` */
  readonly name: string;
  /** bump when the rows' shape or meaning changes: the runner rebuilds */
  readonly version: number;
  readonly handles: readonly string[];
  readonly store: DocumentStore<Doc, T, Batch>;
  /**
   * The document an event belongs to (its stream, usually), or null when the event is none
   * of this projection's business (another stream category with a handled type's name).
   * May throw an error naming the event (`event`) to refuse it.
   */
  keyOf(event: RecordedEvent): string | null;
  /**
   * The stream version of the latest event folded into the document: an event at or below
   * it is skipped (the idempotency guard; the store repeats it in SQL). Without it, `evolve`
   * is its own guard and answers the same document for an event it already holds.
   */
  readonly versionOf?: (doc: Doc) => number;
  /** The pure fold: the next document, the same one for no change, null to refuse the event (a hole). */
  evolve(doc: Doc | null, event: RecordedEvent, batch: Batch): Doc | null;
  /** The error refusing an event `evolve` answered null for; it should name the event (`EventRefused`). */
  refused(key: string, event: RecordedEvent): Error;
  /** what the folds of one batch gather beside the documents (the report facts' changed rows) */
  readonly batch?: () => Batch;
  /**
   * true when each document is the fold of one stream's events and of nothing else (`keyOf`
   * names the stream's own document, `evolve` reads no other): a rebuild may then fold whole
   * streams it has not written yet, without loading anything (`applyNewStreams`).
   */
  readonly documentPerStream?: boolean;
}

/**
 * A projection of one document per key (per stream, usually), written by the one loop every
 * such read model shares: load the documents a batch touches in one round trip, fold the
 * events in memory in log order (skipping those a document already holds), write the
 * changed documents back with one multi-row upsert per table. An event `evolve` cannot apply
 * is refused with an error naming it, which the runner parks with the rest of its stream.
 */
export const documentProjection = <Doc, T extends string, Batch = void>(
  spec: DocumentProjectionSpec<Doc, T, Batch>,
): Projection<T> => {
  const { store, keyOf, versionOf, evolve, refused } = spec;
  const newBatch = spec.batch ?? (() => undefined as Batch);
  /** the loop: `fresh` when the keys have no documents yet (nothing to load) */
  const apply = async (
    tx: SqlQueryable,
    events: readonly RecordedEvent[],
    tables: ProjectionTables<T>,
    fresh: boolean,
  ): Promise<void> => {
    const mine: [string, RecordedEvent][] = [];
    for (const event of events) {
      const key = keyOf(event);
      if (key !== null) mine.push([key, event]);
    }
    if (mine.length === 0) return;
    const docs = fresh ? new Map<string, Doc>() : await store.load(tx, tables, [...new Set(mine.map(([key]) => key))]);
    const batch = newBatch();
    const changed = new Set<string>();
    for (const [key, event] of mine) {
      const doc = docs.get(key) ?? null;
      if (doc !== null && versionOf && event.streamVersion <= versionOf(doc)) continue;
      const next = evolve(doc, event, batch);
      if (next === null) throw refused(key, event);
      if (next === doc) continue;
      docs.set(key, next);
      changed.add(key);
    }
    if (changed.size === 0) return;
    await store.write(
      tx,
      tables,
      [...changed].map((key) => docs.get(key) as Doc),
      batch,
    );
  };
  return {
    name: spec.name,
    version: spec.version,
    tables: store.tables,
    ...(store.indexes ? { indexes: store.indexes } : {}),
    handles: spec.handles,
    applyBatch: (tx, events, tables) => apply(tx, events, tables, false),
    ...(spec.documentPerStream ? { applyNewStreams: (tx, events, tables) => apply(tx, events, tables, true) } : {}),
  };
};

/**
 * A document that is one row of one table: loaded by its key, written by the table's
 * multi-row upsert (whose guard, e.g. `t.version < EXCLUDED.version`, repeats the version
 * check in SQL).
 */
export const oneRowPerDocument = <Doc, T extends string>(
  stable: T,
  table: RowTable<Doc>,
  keyOf: (doc: Doc) => string,
): DocumentStore<Doc, T, unknown> => ({
  tables: { [stable]: table.table } as { readonly [K in T]: (table: string) => string },
  indexes: { [stable]: table.indexes } as { readonly [K in T]: (table: string) => string },
  load: async (tx, tables, keys) =>
    new Map((await table.selectByKey(tx, tables[stable], keys)).map((doc) => [keyOf(doc), doc])),
  write: (tx, tables, changed) => table.upsert(tx, tables[stable], changed),
});
