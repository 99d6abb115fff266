import { toCaseStreamId } from '@app/case-domain';
import type { EventMetadata, EventStore, RecordedEvent, SqlDatabase } from '@app/event-store';
import { QUEUE_EVENT_TYPES } from '@app/read-models';
import { CaseNotFoundAsOf, InvalidInstant, UnknownLogPosition } from './audit.errors';
import { caseAsOf, type CaseAsOf } from './case-history';
import { parseQueueId, queueAsOf, queueMembers, type QueueEvent, type QueuedCaseAsOf } from './queue-as-of';

/**
 * The audit reads over the store: a case or a queue as it stood at a moment, and the
 * global log, paged or exported (a report as of a moment: report-as-of.ts). "At a moment"
 * means: the events recorded at or before it (`recorded_at` is set by the writer's clock and
 * is part of each event's hash).
 */

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** An ISO 8601 instant with a time zone (a local time would mean a different moment on each server). */
export const parseInstant = (field: string, value: string): Date => {
  const at = INSTANT.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw new InvalidInstant(field, value);
  return at;
};

/** The case as it stood at `asOf`, with the events that made it so; {@link CaseNotFoundAsOf} if it was not open yet. */
export const readCaseAsOf = async (
  store: EventStore,
  caseId: string,
  asOf: Date,
): Promise<CaseAsOf & { view: NonNullable<CaseAsOf['view']> }> => {
  const { events } = await store.readStream(toCaseStreamId(caseId), { asOf });
  const result = caseAsOf(events);
  if (!result.view) throw new CaseNotFoundAsOf(caseId, asOf);
  return { ...result, view: result.view };
};

export interface QueueAsOfResult {
  readonly queue: string;
  readonly language: string;
  readonly priority: string;
  /** the vendor asked for (its agents' view of the queue); absent: every vendor's cases, and unrouted ones */
  readonly vendor?: string;
  readonly asOf: string;
  readonly cases: readonly QueuedCaseAsOf[];
  /** how many events were replayed to answer */
  readonly eventsReplayed: number;
}

/**
 * Replays, in SQL order (stream, version), the queue events (`QUEUE_EVENT_TYPES` of
 * @app/read-models: those whose data the live fold reads) of the case streams opened in the
 * queue's language up to `asOf`, then folds them with {@link queueAsOf}. The language never
 * changes after opening, so filtering on it is exact (lower-cased and trimmed, as the fold
 * does); the priority and the vendor can, so every case of that language is replayed.
 * Only the fields the fold reads travel: Opened's case, tenant, language, priority,
 * subject, time, region and due time; Routed's vendor; PriorityChanged's `to`;
 * AgentAssigned's agent; the cycle of SlaBreached and Reopened.
 */
const QUEUE_EVENTS = `SELECT e.stream_id, e.stream_version, e.event_type, e.data ->> 'caseId' AS case_id,
  e.data ->> 'at' AS at, e.data ->> 'tenant' AS tenant, e.data ->> 'language' AS language,
  e.data ->> 'priority' AS priority, e.data ->> 'subject' AS subject, e.data ->> 'to' AS to_priority,
  e.data ->> 'agentId' AS agent_id, e.data ->> 'vendorId' AS vendor_id, e.data ->> 'cycle' AS cycle,
  e.data ->> 'firstResponseDueAt' AS due, e.data -> 'sla' ->> 'firstResponseDueAt' AS sla_due,
  e.data -> 'sla' ->> 'region' AS region
FROM events e
WHERE e.stream_id IN (
    SELECT o.stream_id FROM events o
    WHERE o.event_type = 'Opened' AND o.stream_id LIKE 'case-%' AND o.recorded_at <= $2::timestamptz
      AND lower(btrim(o.data ->> 'language')) = $1::text)
  AND e.event_type = ANY($3::text[]) AND e.recorded_at <= $2::timestamptz
ORDER BY e.stream_id, e.stream_version`;

interface QueueRow {
  stream_id: string;
  stream_version: number | string;
  event_type: string;
  case_id: string | null;
  at: string | null;
  tenant: string | null;
  language: string | null;
  priority: string | null;
  subject: string | null;
  to_priority: string | null;
  agent_id: string | null;
  vendor_id: string | null;
  cycle: string | null;
  due: string | null;
  sla_due: string | null;
  region: string | null;
}

/** A row back to the event the fold expects; fields the event did not have stay absent. */
const toQueueEvent = (r: QueueRow): QueueEvent => {
  const data: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== null) data[key] = value;
  };
  set('caseId', r.case_id);
  set('at', r.at);
  set('tenant', r.tenant);
  set('language', r.language);
  set('priority', r.priority);
  set('subject', r.subject);
  set('to', r.to_priority);
  set('agentId', r.agent_id);
  set('cycle', r.cycle === null ? null : Number(r.cycle));
  set('firstResponseDueAt', r.due);
  if (r.event_type === 'Routed') data.vendorId = r.vendor_id; // null: routed to no vendor
  if (r.sla_due !== null || r.region !== null)
    data.sla = { firstResponseDueAt: r.sla_due ?? undefined, region: r.region ?? undefined };
  return {
    streamId: r.stream_id,
    streamVersion: Number(r.stream_version),
    type: r.event_type,
    data,
  } as unknown as QueueEvent;
};

export interface QueueAsOfOptions {
  /** only the cases routed to this vendor at that moment, as its agents saw the queue */
  readonly vendor?: string;
}

/** The queue `<language>-<priority>` as it stood at `asOf`, replayed from the log. */
export const readQueueAsOf = async (
  db: SqlDatabase,
  queueId: string,
  asOf: Date,
  { vendor }: QueueAsOfOptions = {},
): Promise<QueueAsOfResult> => {
  const queue = parseQueueId(queueId);
  const { rows } = await db.query<QueueRow>(QUEUE_EVENTS, [queue.language, asOf.toISOString(), [...QUEUE_EVENT_TYPES]]);
  const board = queueAsOf(rows.map(toQueueEvent));
  return {
    queue: `${queue.language}-${queue.priority}`,
    language: queue.language,
    priority: queue.priority,
    ...(vendor === undefined ? {} : { vendor }),
    asOf: asOf.toISOString(),
    cases: queueMembers(board, { ...queue, vendorId: vendor }),
    eventsReplayed: rows.length,
  };
};

/** An event as auditors see it: with its place in the log and its hash. */
export interface AuditEvent {
  readonly position: number;
  readonly transactionId: string;
  readonly streamId: string;
  readonly version: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly recordedAt: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  /** hex SHA-256 of the chain; null for events written before the chain existed */
  readonly hash: string | null;
}

interface AuditEventRow {
  global_position: number | string;
  transaction_id: string;
  stream_id: string;
  stream_version: number | string;
  event_id: string;
  event_type: string;
  schema_version: number | string;
  recorded_at: Date | string;
  data: unknown;
  metadata: EventMetadata;
  hash: string | null;
}

const AUDIT_COLUMNS = `e.global_position, e.transaction_id::text AS transaction_id, e.stream_id, e.stream_version,
  e.event_id::text AS event_id, e.event_type, e.schema_version, e.recorded_at, e.data, e.metadata,
  encode(e.hash, 'hex') AS hash`;

const toAuditEvent = (r: AuditEventRow): AuditEvent => ({
  position: Number(r.global_position),
  transactionId: r.transaction_id,
  streamId: r.stream_id,
  version: Number(r.stream_version),
  eventId: r.event_id,
  type: r.event_type,
  schemaVersion: Number(r.schema_version),
  recordedAt: new Date(r.recorded_at).toISOString(),
  data: r.data,
  metadata: r.metadata,
  hash: r.hash,
});

/**
 * The log in commit order, as the store's followers read it (never skipping: only events of
 * transactions older than every transaction in flight), filtered, from a checkpoint.
 */
const LOG_BATCH = `SELECT ${AUDIT_COLUMNS} FROM events e
WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
  AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  AND ($4::text IS NULL OR e.event_type = $4::text)
  AND ($5::text IS NULL OR e.metadata ->> 'tenant' = $5::text)
  AND ($6::timestamptz IS NULL OR e.recorded_at >= $6::timestamptz)
  AND ($7::timestamptz IS NULL OR e.recorded_at < $7::timestamptz)
ORDER BY e.transaction_id, e.global_position
LIMIT $3`;

interface LogCursor {
  readonly transactionId: string;
  readonly globalPosition: number;
}

interface LogFilter {
  readonly type?: string;
  readonly tenant?: string;
  readonly from?: Date;
  readonly to?: Date;
}

const readBatch = async (db: SqlDatabase, after: LogCursor, limit: number, f: LogFilter): Promise<AuditEvent[]> => {
  const { rows } = await db.query<AuditEventRow>(LOG_BATCH, [
    after.transactionId,
    after.globalPosition,
    limit,
    f.type ?? null,
    f.tenant ?? null,
    f.from?.toISOString() ?? null,
    f.to?.toISOString() ?? null,
  ]);
  return rows.map(toAuditEvent);
};

/** Where the log stands after the event at `position` (0: before the first event). */
const cursorAt = async (db: SqlDatabase, position: number): Promise<LogCursor> => {
  if (position === 0) return { transactionId: '0', globalPosition: 0 };
  const { rows } = await db.query<{ transaction_id: string }>(
    'SELECT transaction_id::text AS transaction_id FROM events WHERE global_position = $1',
    [position],
  );
  if (!rows[0]) throw new UnknownLogPosition(position);
  return { transactionId: rows[0].transaction_id, globalPosition: position };
};

export interface LogPageQuery extends Pick<LogFilter, 'type' | 'tenant'> {
  /** the position of the last event already seen (`next` of the previous page); 0 or absent: from the start */
  readonly after?: number;
  readonly limit?: number;
}

export interface LogPage {
  readonly events: readonly AuditEvent[];
  /** pass as `after` for the next page: the position of this page's last event */
  readonly next: number | null;
  /** the page is full: more events may follow at once */
  readonly hasMore: boolean;
}

/**
 * A page of the global log. Pages follow commit order, which is not position order: a
 * position taken early may commit late. Resuming after a position therefore resumes after
 * that event's place in commit order, so no event is skipped or repeated between pages.
 */
export const readLogPage = async (
  db: SqlDatabase,
  { after = 0, limit = 100, type, tenant }: LogPageQuery,
): Promise<LogPage> => {
  const events = await readBatch(db, await cursorAt(db, after), limit, { type, tenant });
  const last = events[events.length - 1];
  return { events, next: last ? last.position : after === 0 ? null : after, hasMore: events.length === limit };
};

export interface ExportQuery {
  /** recorded at or after */
  readonly from?: Date;
  /** recorded before */
  readonly to?: Date;
  readonly batchSize?: number;
}

/** Streams the log (commit order) recorded in [from, to), in keyset batches: flat memory. */
export async function* exportLog(
  db: SqlDatabase,
  { from, to, batchSize = 2000 }: ExportQuery = {},
): AsyncGenerator<AuditEvent> {
  let cursor: LogCursor = { transactionId: '0', globalPosition: 0 };
  for (;;) {
    const batch = await readBatch(db, cursor, batchSize, { from, to });
    yield* batch;
    if (batch.length < batchSize) return;
    const last = batch[batch.length - 1];
    cursor = { transactionId: last.transactionId, globalPosition: last.position };
  }
}

/** The recorded events of a case up to `asOf`, in a shape fit for the audit API. */
export const toAuditView = (e: RecordedEvent) => ({
  version: e.streamVersion,
  type: e.type,
  schemaVersion: e.schemaVersion,
  recordedAt: e.recordedAt.toISOString(),
  position: e.globalPosition,
  eventId: e.eventId,
  data: e.data,
  metadata: e.metadata,
});
