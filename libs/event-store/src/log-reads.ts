import { readStreamIdAhead } from './chain-reads';
import { checkpointOf, compareCheckpoints, toRecordedEvent, type EventRow } from './event-rows';
import {
  LOG_START,
  type LogCheckpoint,
  type LogReader,
  type ReadAllOptions,
  type ReadAllOfTypesOptions,
  type ReadAllResult,
  type ReadWindowResult,
  type ReadCategoriesAsOfOptions,
  type ReadCategoryOptions,
  type ReadRangeOptions,
  type ReadWholeStreamsOptions,
  type RecordedEvent,
  type StreamsOpenedWithOptions,
  type WholeStreamsResult,
} from './event-store.port';
import { EVENT_COLUMNS, LOG_HEAD, NEVER_SKIP, READ_ALL } from './event-store.sql';
import { statement } from './statement';
import type { SqlQueryable } from './sql-database.port';

/**
 * The log's reads besides append, readStream and follow ({@link LogReader}): the only SQL
 * on `events` outside this library's store, for the libraries that keep tables beside the
 * log. Columns are qualified with the table's alias throughout: ORDER BY transaction_id
 * would otherwise name the text output column and sort '999' after '1000'.
 */
const DEFAULT_LIMIT = 1000;

/** A stream category, written into SQL text: lower-case letters and digits only. */
const CATEGORY = /^[a-z][a-z0-9]*$/;

const checkCategories = (categories: readonly string[]): void => {
  const bad = categories.find((c) => !CATEGORY.test(c));
  if (bad !== undefined || categories.length === 0)
    throw new Error(`Not stream categories: ${JSON.stringify(categories)}`);
};

const RANGE = statement(`SELECT ${EVENT_COLUMNS} FROM events e
WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
  AND (e.transaction_id, e.global_position) <= ($3::xid8, $4::bigint)
ORDER BY e.transaction_id, e.global_position LIMIT $5`);

/** Counted one by one up to this; beyond, estimated from positions (see countAfter). */
export const EXACT_COUNT_LIMIT = 10_000;

/** At most $3 events after the checkpoint (by the commit-order index), and the oldest one's time. */
const COUNT_AFTER = statement(`SELECT count(*) AS events, min(a.recorded_at) AS oldest FROM (
  SELECT recorded_at FROM events
  WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
  ORDER BY transaction_id, global_position LIMIT $3) a`);

/** The log's last position (a backward step of the position index). */
const LAST_POSITION = statement('SELECT max(global_position) AS position FROM events');

/** readAll's last event: a backward step of the commit-order index, past the transactions in flight */
const COMMITTED_HEAD = statement(`SELECT e.transaction_id::text AS transaction_id, e.global_position FROM events e
WHERE ${NEVER_SKIP}
ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1`);

/** The place of the event $3 places after ($1, $2) in log order, readAll's rule: an index-only walk of the commit-order index. */
const PLACE_AHEAD = `SELECT e.transaction_id::text AS transaction_id, e.global_position FROM events e
WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint) AND ${NEVER_SKIP}
ORDER BY e.transaction_id, e.global_position OFFSET $3 LIMIT 1`;

/**
 * Events in (($1, $2), ($3, $4)] of types $5, in log order (the end is a never-skipping
 * read's: all committed). The BETWEEN repeats the bounds for the planner, which has no
 * statistics for a row comparison: without it, it may guess a third of the log and scan it
 * all in parallel.
 */
const RANGE_OF_TYPES = `SELECT ${EVENT_COLUMNS} FROM events e
WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
  AND (e.transaction_id, e.global_position) <= ($3::xid8, $4::bigint)
  AND e.transaction_id BETWEEN $1::xid8 AND $3::xid8
  AND e.event_type = ANY($5::text[])
ORDER BY e.transaction_id, e.global_position`;

/**
 * Streams after $4 (through $5), up to ($1, $2) in log order, of types $3: a range of the
 * primary key. Two texts, not one with `$5 IS NULL OR …`: that bound would be a filter,
 * not a bound of the index scan, and the scan would walk the index to its end every time.
 */
const wholeStreams = (bounded: boolean) => `SELECT ${EVENT_COLUMNS} FROM events e
WHERE e.stream_id > $4::text${bounded ? ' AND e.stream_id <= $5::text' : ''}
  AND (e.transaction_id, e.global_position) <= ($1::xid8, $2::bigint)
  AND e.event_type = ANY($3::text[])
ORDER BY e.stream_id, e.stream_version`;
const WHOLE_STREAMS = wholeStreams(true);
const LAST_STREAMS = wholeStreams(false);

const AT_POSITION = statement(
  'SELECT e.transaction_id::text AS transaction_id, e.global_position FROM events e WHERE e.global_position = $1',
);

/** $4: the category; $5: event types or null; $6: true to read everything committed now */
const CATEGORY_IN_LOG_ORDER = statement(`SELECT ${EVENT_COLUMNS} FROM events e
WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
  AND e.stream_id LIKE $4::text || '-%'
  AND ($5::text[] IS NULL OR e.event_type = ANY($5::text[]))
  AND ($6::boolean OR ${NEVER_SKIP})
ORDER BY e.transaction_id, e.global_position LIMIT $3`);

/**
 * The categories are written into the text (checked: letters and digits): a literal
 * `LIKE 'case-%'` lets the planner read just that range of the primary key.
 */
const categoriesAsOf = (categories: readonly string[]): string => {
  checkCategories(categories);
  return `SELECT ${EVENT_COLUMNS} FROM events e
WHERE (${categories.map((c) => `e.stream_id LIKE '${c}-%'`).join(' OR ')}) AND (e.stream_id, e.stream_version) > ($1::text, $2::bigint)
  AND e.recorded_at <= $3::timestamptz AND e.event_type = ANY($4::text[])
ORDER BY e.stream_id, e.stream_version
LIMIT $5`;
};

/** A field name written into SQL text. */
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `data` cut down to some fields (checked, written into the text) and no metadata, or the whole event. */
const dataOf = (fields: readonly string[] | undefined): string => {
  if (fields === undefined) return EVENT_COLUMNS;
  const bad = fields.find((f) => !FIELD.test(f));
  if (bad !== undefined) throw new Error(`Not a data field: ${JSON.stringify(bad)}`);
  const data = `jsonb_build_object(${fields.map((f) => `'${f}', e.data -> '${f}'`).join(', ')}) AS data`;
  return EVENT_COLUMNS.replace('e.data, e.metadata,', `${data}, '{}'::jsonb AS metadata,`);
};

const streamsOpenedWith = (category: string, fields: readonly string[] | undefined): string => {
  checkCategories([category]);
  return `SELECT ${dataOf(fields)} FROM events e
WHERE e.stream_id IN (
    SELECT o.stream_id FROM events o
    WHERE o.event_type = $4::text AND o.stream_id LIKE '${category}-%' AND o.recorded_at <= $2::timestamptz
      AND lower(btrim(o.data ->> $5::text)) = $1::text)
  AND e.event_type = ANY($3::text[]) AND e.recorded_at <= $2::timestamptz
ORDER BY e.stream_id, e.stream_version`;
};

const STREAM_VERSIONS = statement(`SELECT ${EVENT_COLUMNS} FROM events e
WHERE e.stream_id = $1 AND e.stream_version = ANY($2::bigint[]) ORDER BY e.stream_version`);

const LAST_OF_TYPE = statement(`SELECT ${EVENT_COLUMNS} FROM events e
WHERE e.stream_id = $1 AND e.event_type = $2 ORDER BY e.stream_version DESC LIMIT 1`);

const resultAfter = (events: RecordedEvent[], after: LogCheckpoint): ReadAllResult => {
  const last = events[events.length - 1];
  return {
    events,
    checkpoint: last ? { transactionId: last.transactionId, globalPosition: last.globalPosition } : after,
  };
};

/** {@link LogReader} over one connection, pool or transaction. */
export class SqlLogReader implements LogReader {
  constructor(private readonly q: SqlQueryable) {}

  async readAll({ after = LOG_START, limit = DEFAULT_LIMIT }: ReadAllOptions = {}): Promise<ReadAllResult> {
    const params = [after.transactionId, after.globalPosition, limit];
    const { rows } = await this.q.query<EventRow>(READ_ALL.text, params, READ_ALL);
    return resultAfter(rows.map(toRecordedEvent), after);
  }

  async head(): Promise<LogCheckpoint | undefined> {
    const { rows } = await this.q.query<{ transaction_id: string; global_position: number | string }>(
      LOG_HEAD.text,
      [],
      LOG_HEAD,
    );
    return rows[0] ? checkpointOf(rows[0]) : undefined;
  }

  async readAllOfTypes({ after = LOG_START, types, window }: ReadAllOfTypesOptions): Promise<ReadWindowResult> {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a positive integer: ${window}`);
    // unnamed statements, planned for their values: a generic plan of a range between
    // parameters guesses a third of the log, and scans all of it in parallel
    const ahead = await this.q.query<{ transaction_id: string; global_position: number | string }>(PLACE_AHEAD, [
      after.transactionId,
      after.globalPosition,
      window - 1,
    ]);
    // fewer than `window` events left: the window ends at the log's end as readAll sees it
    const last = ahead.rows[0] ? checkpointOf(ahead.rows[0]) : await this.committedHead();
    if (!last || compareCheckpoints(last, after) <= 0) return { events: [], checkpoint: after, end: true };
    const params = [after.transactionId, after.globalPosition, last.transactionId, last.globalPosition, [...types]];
    const { rows } = await this.q.query<EventRow>(RANGE_OF_TYPES, params);
    return { events: rows.map(toRecordedEvent), checkpoint: last, end: !ahead.rows[0] };
  }

  async committedHead(): Promise<LogCheckpoint | undefined> {
    const { rows } = await this.q.query<{ transaction_id: string; global_position: number | string }>(
      COMMITTED_HEAD.text,
      [],
      COMMITTED_HEAD,
    );
    return rows[0] ? checkpointOf(rows[0]) : undefined;
  }

  async readWholeStreams({
    afterStream = '',
    through,
    types,
    events,
  }: ReadWholeStreamsOptions): Promise<WholeStreamsResult> {
    if (!Number.isInteger(events) || events < 1) throw new RangeError(`events must be a positive integer: ${events}`);
    // where the read ends: the verifier's cut of the log into ranges; then an unnamed
    // statement, planned for its values (see readAllOfTypes)
    const end = await readStreamIdAhead(this.q, afterStream, events - 1);
    const read = end === null ? LAST_STREAMS : WHOLE_STREAMS;
    const params = [through.transactionId, through.globalPosition, [...types], afterStream];
    const { rows } = await this.q.query<EventRow>(read, end === null ? params : [...params, end]);
    return { events: rows.map(toRecordedEvent), next: end };
  }

  async readRange({ after, upTo, limit = DEFAULT_LIMIT }: ReadRangeOptions): Promise<RecordedEvent[]> {
    const params = [after.transactionId, after.globalPosition, upTo.transactionId, upTo.globalPosition, limit];
    const { rows } = await this.q.query<EventRow>(RANGE.text, params, RANGE);
    return rows.map(toRecordedEvent);
  }

  async countAfter(after: LogCheckpoint): Promise<{ events: number; oldest?: Date }> {
    const { rows } = await this.q.query<{ events: number | string; oldest: Date | string | null }>(
      COUNT_AFTER.text,
      [after.transactionId, after.globalPosition, EXACT_COUNT_LIMIT],
      COUNT_AFTER,
    );
    const oldest = rows[0]?.oldest ? new Date(rows[0].oldest) : undefined;
    const counted = Number(rows[0]?.events ?? 0);
    if (counted < EXACT_COUNT_LIMIT) return { events: counted, oldest };
    // far behind (a rebuild, a stopped follower): counting millions of rows on every health
    // probe and metrics scrape would load the server; the positions between tell nearly as much
    const last = (await this.q.query<{ position: number | string | null }>(LAST_POSITION.text, [], LAST_POSITION))
      .rows[0]?.position;
    return { events: Math.max(counted, Number(last ?? 0) - after.globalPosition), oldest };
  }

  async checkpointAt(globalPosition: number): Promise<LogCheckpoint | undefined> {
    const { rows } = await this.q.query<{ transaction_id: string; global_position: number | string }>(
      AT_POSITION.text,
      [globalPosition],
      AT_POSITION,
    );
    return rows[0] ? checkpointOf(rows[0]) : undefined;
  }

  async readCategory(
    category: string,
    { after = LOG_START, limit = DEFAULT_LIMIT, types, committedNow = false }: ReadCategoryOptions = {},
  ): Promise<ReadAllResult> {
    checkCategories([category]);
    const params = [
      after.transactionId,
      after.globalPosition,
      limit,
      category,
      types ? [...types] : null,
      committedNow,
    ];
    const { rows } = await this.q.query<EventRow>(CATEGORY_IN_LOG_ORDER.text, params, CATEGORY_IN_LOG_ORDER);
    return resultAfter(rows.map(toRecordedEvent), after);
  }

  async readCategoriesAsOf({
    categories,
    after = { streamId: '', streamVersion: 0 },
    recordedUpTo,
    types,
    limit,
  }: ReadCategoriesAsOfOptions): Promise<RecordedEvent[]> {
    const { rows } = await this.q.query<EventRow>(categoriesAsOf(categories), [
      after.streamId,
      after.streamVersion,
      recordedUpTo.toISOString(),
      [...types],
      limit,
    ]);
    return rows.map(toRecordedEvent);
  }

  async readStreamsOpenedWith({
    category,
    openedBy,
    field,
    equals,
    recordedUpTo,
    types,
    fields,
  }: StreamsOpenedWithOptions): Promise<RecordedEvent[]> {
    const { rows } = await this.q.query<EventRow>(streamsOpenedWith(category, fields), [
      equals,
      recordedUpTo.toISOString(),
      [...types],
      openedBy,
      field,
    ]);
    return rows.map(toRecordedEvent);
  }

  async readStreamVersions(streamId: string, versions: readonly number[]): Promise<RecordedEvent[]> {
    const { rows } = await this.q.query<EventRow>(STREAM_VERSIONS.text, [streamId, versions], STREAM_VERSIONS);
    return rows.map(toRecordedEvent);
  }

  async lastOfType(streamId: string, type: string): Promise<RecordedEvent | undefined> {
    const { rows } = await this.q.query<EventRow>(LAST_OF_TYPE.text, [streamId, type], LAST_OF_TYPE);
    return rows[0] ? toRecordedEvent(rows[0]) : undefined;
  }
}

/** The log's reads on `q`: a pool, or a transaction of the caller's (see {@link LogReader}). */
export const logReader = (q: SqlQueryable): LogReader => new SqlLogReader(q);
