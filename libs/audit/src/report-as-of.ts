import {
  logReader,
  type RecordedEvent,
  type SqlDatabase,
  type SqlQueryable,
  type SqlTransaction,
} from '@app/event-store';
import type { Projection, ProjectionTables } from '@app/projections';
import { checkReport, runCheckedReport, type ReportParameters, type ReportResult } from '@app/read-models';

/**
 * A supervisors' report as it stood at a moment, replayed from the log (docs/audit.md).
 *
 * One definition of each report: the same projection as the live report's (the report
 * definition names it: `case-reports`, with the app's calendars, for the case reports;
 * `intakes` for `deflection`) folds the events recorded up to `asOf` into the same tables,
 * and the same catalogue query (`runCheckedReport`) reads them. Only where the tables live
 * differs: temporary tables of one transaction, created by the projection's own DDL under
 * the stable names and found first because `pg_temp` leads the transaction's
 * `search_path`, so the catalogue's `FROM report_cycles` reads the replay, not the live
 * read model. The transaction is always rolled back: the replay leaves nothing behind and
 * the live tables are never written.
 *
 * Cost: a rebuild of the report's facts up to `asOf`, every event of the streams the
 * report's projection folds (`case-`; `case-` and `intake-` for `deflection`) recorded by
 * then, read in keyset pages of the primary key (flat memory), whole streams folded from
 * nothing where the projection can (`applyNewStreams`, see `replay`). On the embedded store
 * (PGlite, one connection) other requests wait for it.
 */

export interface ReportAsOfOptions {
  /** events per page and per `applyBatch`; default 2,000 */
  readonly batchSize?: number;
}

export interface ReportAsOfResult extends ReportResult {
  readonly asOf: string;
  /** how many events were folded to answer */
  readonly eventsReplayed: number;
  /**
   * streams the projection refused an event of: that event and the rest of its stream are
   * left out, as the live runner parks them (the live report then lacks them too)
   */
  readonly streamsParked: readonly string[];
}

/**
 * The report `name` with the report parameters, as the events recorded up to `asOf` made it;
 * `to` defaults to `asOf`. `projection` is the one the report's definition names
 * (`REPORTS.get(name).projection`), as the app registered it.
 */
export const readReportAsOf = async (
  db: SqlDatabase,
  projection: Projection,
  name: string,
  params: ReportParameters,
  asOf: Date,
  { batchSize = 2_000 }: ReportAsOfOptions = {},
): Promise<ReportAsOfResult> => {
  // refusals (404 unknown report, 400 parameters) come before any replay
  const checked = checkReport(name, params, asOf);
  if (projection.name !== checked.definition.projection)
    throw new Error(`The report ${name} reads the projection ${checked.definition.projection}, not ${projection.name}`);
  return inRolledBackTransaction(db, async (tx) => {
    const tables = await createScratchTables(tx, projection);
    const { events, parked } = await replay(tx, projection, tables, checked.definition.streams, asOf, batchSize);
    const result = await runCheckedReport(tx, checked);
    return { ...result, asOf: asOf.toISOString(), eventsReplayed: events, streamsParked: [...parked.keys()] };
  });
};

/** The projection's tables under their stable names, as temporary tables of this transaction. */
const createScratchTables = async (tx: SqlTransaction, projection: Projection): Promise<ProjectionTables> => {
  // is_local: for this transaction only; pg_temp first, so these tables shadow the live views
  await tx.query(`SELECT set_config('search_path', 'pg_temp, ' || current_setting('search_path'), true)`);
  const tables: Record<string, string> = {};
  for (const [table, ddl] of Object.entries(projection.tables)) {
    await tx.exec(ddl(table));
    tables[table] = table;
  }
  return tables;
};

/**
 * Folds every event of the report's streams recorded up to `asOf`, a page at a time, each
 * stream's in version order (the report facts are per case, or per intake, so the order
 * across streams does not matter: the intakes' fold takes a case's `Opened` before or after
 * the intake's own events alike). An
 * event the projection refuses (an error naming it, as the runner reads refusals) is
 * parked with the rest of its stream, as the live runner does; a savepoint undoes whatever
 * the batch wrote before it is redone without them.
 *
 * The pages come in stream order, so for a projection with `applyNewStreams` (one document
 * per stream: case-reports) each page's whole streams are folded from nothing, as a
 * rebuild's pass does: nothing is loaded and each row is written once. The page's last
 * stream may go on in the next page, so it is held back and goes with that one; a stream
 * longer than a page is folded from nothing for its first part, then through `applyBatch`
 * (which loads what the part before wrote).
 */
const replay = async (
  tx: SqlTransaction,
  projection: Projection,
  tables: ProjectionTables,
  categories: readonly string[],
  asOf: Date,
  batchSize: number,
): Promise<{ events: number; parked: Map<string, number> }> => {
  const parked = new Map<string, number>();
  let folded = 0;
  const reader = logReader(tx);
  let after = { streamId: '', streamVersion: 0 };
  /** the last stream of the page before, not folded yet */
  let held: RecordedEvent[] = [];
  /** a stream longer than a page, folded in part already: the rest of it through applyBatch */
  let inPart: string | undefined;
  for (;;) {
    // a keyset page of the primary key (the store's readCategoriesAsOf): flat memory
    const events = await reader.readCategoriesAsOf({
      categories,
      after,
      recordedUpTo: asOf,
      types: [...projection.handles],
      limit: batchSize,
    });
    const last = events.at(-1);
    const end = events.length < batchSize;
    let page = held.length > 0 ? [...held, ...events] : events;
    held = [];
    if (projection.applyNewStreams && !end && page.length > 0) {
      const lastStream = page[page.length - 1].streamId;
      const from = page.findIndex((e) => e.streamId === lastStream);
      if (from > 0) [page, held] = [page.slice(0, from), page.slice(from)];
    }
    const continued = page.filter((e) => e.streamId === inPart);
    const whole = continued.length > 0 ? page.filter((e) => e.streamId !== inPart) : page;
    if (continued.length > 0) folded += await applyParking(tx, projection, tables, continued, parked, false);
    if (whole.length > 0) folded += await applyParking(tx, projection, tables, whole, parked, true);
    // a page of one stream that may go on (nothing held back): its next part finds these rows
    if (projection.applyNewStreams && !end && whole.length > 0 && held.length === 0) inPart = whole[0].streamId;
    if (end) return { events: folded, parked };
    if (last) after = { streamId: last.streamId, streamVersion: last.streamVersion };
  }
};

/**
 * Applies a page, parking refused events with the rest of their stream (parked: stream id →
 * the version from which its events are left out). `newStreams`: whole streams not folded
 * before, through `applyNewStreams`.
 */
const applyParking = async (
  tx: SqlQueryable,
  projection: Projection,
  tables: ProjectionTables,
  page: readonly RecordedEvent[],
  parked: Map<string, number>,
  newStreams: boolean,
): Promise<number> => {
  for (;;) {
    const batch = page.filter((e) => e.streamVersion < (parked.get(e.streamId) ?? Infinity));
    if (batch.length === 0) return 0;
    await tx.query('SAVEPOINT report_as_of_batch');
    try {
      if (newStreams && projection.applyNewStreams) await projection.applyNewStreams(tx, batch, tables);
      else await projection.applyBatch(tx, batch, tables);
      await tx.query('RELEASE SAVEPOINT report_as_of_batch');
      return batch.length;
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT report_as_of_batch');
      const refused = refusedEvent(error, batch);
      if (!refused) throw error;
      parked.set(refused.streamId, refused.streamVersion);
    }
  }
};

/** The event of the batch that a non-retriable error names (`EventRefused`, or any error with `event`). */
const refusedEvent = (error: unknown, batch: readonly RecordedEvent[]): RecordedEvent | undefined => {
  const e = error as { event?: RecordedEvent; retriable?: unknown } | null;
  if (!e?.event || e.retriable === true) return undefined;
  return batch.find((event) => event.eventId === e.event?.eventId);
};

/** Carries the answer out of a transaction that must not commit. */
class RolledBack<T> {
  constructor(readonly value: T) {}
}

/** Runs `fn` in a transaction and always rolls it back, answering what `fn` returned. */
const inRolledBackTransaction = async <T>(db: SqlDatabase, fn: (tx: SqlTransaction) => Promise<T>): Promise<T> => {
  try {
    await db.transaction(async (tx) => {
      throw new RolledBack(await fn(tx));
    });
  } catch (outcome) {
    if (outcome instanceof RolledBack) return outcome.value as T;
    throw outcome;
  }
  throw new Error('unreachable: the transaction always throws');
};
