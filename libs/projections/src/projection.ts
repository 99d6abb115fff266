import type { RecordedEvent, SqlQueryable } from '@app/event-store';

/**
 * Stable table name → the physical table of the generation being written, e.g.
 * `{ case_summaries: 'case_summaries_v1_g2' }`. Readers never see physical names: they
 * query a view named after the stable name, which a rebuild re-points (docs/projections.md).
 */
export type ProjectionTables<T extends string = string> = { readonly [K in T]: string };

/**
 * A read model fed from the global log (docs/projections.md). The runner hands it the events
 * of a batch whose types are in `handles` (in log order, none of them parked) inside the
 * transaction that also moves the checkpoint, so the writes and the checkpoint commit
 * together or not at all. One method: a projection that writes one row per stream is made
 * with `documentProjection` of @app/read-models, which holds the load → fold → version
 * check → upsert loop.
 */
export interface Projection<T extends string = string> {
  /** kebab-case, e.g. `case-summaries`; its checkpoint is `projector:<name>:v<version>` */
  readonly name: string;
  /** bump when the rows' shape or meaning changes: the runner then rebuilds into fresh tables */
  readonly version: number;
  /**
   * For each stable table name (snake_case, also the name of the view readers query), the
   * DDL that creates its physical table under the name given. Name indexes and
   * constraints after that table name: each generation has its own.
   */
  readonly tables: { readonly [K in T]: (table: string) => string };
  /**
   * Optionally, the tables' secondary indexes apart from `tables` (same naming rule), run
   * right after it for a new generation, except for one a rebuild fills stream by stream
   * (`applyNewStreams`): it gets them at the end of that pass, built in bulk from the rows,
   * instead of updated row by row in random order.
   */
  readonly indexes?: { readonly [K in T]?: (table: string) => string };
  /** event types it applies; other events only move the checkpoint */
  readonly handles: readonly string[];
  /**
   * Writes the effects of a batch of events into `tables`, e.g. one read of the rows they
   * touch and one multi-row upsert per table. Must be idempotent per event (for example:
   * skip when `event.streamVersion <= row.version`): the runner applies each event once,
   * but a retried parked stream or a hand-run repair may present one again.
   *
   * Throw to refuse an event: an error that says a retry helps (see `isRetriable`) rolls
   * the batch back and the runner retries; an error whose `event` is one of the batch's
   * events parks that event and the rest of its stream, and the batch is redone without
   * them; any other error makes the runner apply the batch again one event at a time (each
   * a batch of one), which names the event to park.
   */
  applyBatch(tx: SqlQueryable, events: readonly RecordedEvent[], tables: ProjectionTables<T>): Promise<void>;
  /**
   * Only for a projection whose rows of a stream follow from that stream's events alone
   * (each stream its own document, no event changing another stream's rows): a rebuild then
   * first reads the log stream by stream, up to where the log stood when it began, and hands
   * this the events of whole streams in stream order, streams of which the new tables hold
   * no row yet, so nothing needs loading and each row is written once. The rest of the log
   * follows through `applyBatch`, in log order (docs/projections.md, "Rebuild"). Refusals as
   * `applyBatch`'s; the runner falls back to `applyBatch`, one event at a time, to name a
   * culprit.
   */
  applyNewStreams?(tx: SqlQueryable, events: readonly RecordedEvent[], tables: ProjectionTables<T>): Promise<void>;
}

/** The checkpoint id of a projection's active generation (docs/conventions.md naming). */
export const checkpointNameOf = (name: string, version: number): string => `projector:${name}:v${version}`;

/** The checkpoint id of a generation being rebuilt; renamed to {@link checkpointNameOf} by the swap. */
export const rebuildCheckpointNameOf = (name: string, version: number): string =>
  `${checkpointNameOf(name, version)}:rebuild`;

/** The physical table of a stable table name in one generation. */
export const physicalTableOf = (table: string, version: number, generation: number): string =>
  `${table}_v${version}_g${generation}`;

const PROJECTION_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** leaves room for the `_v<N>_g<N>` suffix and index names within PostgreSQL's 63 bytes */
const TABLE_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** Throws when a projection's names could not be used safely in SQL identifiers. */
export const assertValidProjection = (projection: Projection): void => {
  const { name, version, tables, handles } = projection;
  if (!PROJECTION_NAME.test(name)) throw new TypeError(`Projection name ${JSON.stringify(name)} must be kebab-case`);
  if (!Number.isInteger(version) || version < 1)
    throw new TypeError(`Projection ${name}: version must be a positive integer`);
  const names = Object.keys(tables);
  if (names.length === 0) throw new TypeError(`Projection ${name} declares no table`);
  for (const table of names)
    if (!TABLE_NAME.test(table))
      throw new TypeError(
        `Projection ${name}: table ${JSON.stringify(table)} must be snake_case, at most 40 characters`,
      );
  if (handles.length === 0) throw new TypeError(`Projection ${name} handles no event type`);
};
