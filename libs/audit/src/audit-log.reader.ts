import { CASE_STREAM_CATEGORY, toCaseStreamId } from '@app/case-domain';
import {
  LOG_START,
  logReader,
  readHashedLog,
  type EventMetadata,
  type EventStore,
  type HashedLogEvent,
  type LogCheckpoint,
  type RecordedEvent,
  type SqlDatabase,
} from '@app/event-store';
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
 * The events come from the store's `readStreamsOpenedWith`; the fold gets only the
 * fields it reads: Opened's case, tenant, language, priority, subject, time, region and due
 * time; Routed's vendor; PriorityChanged's `to`; AgentAssigned's agent; the cycle of
 * SlaBreached and Reopened.
 *
 * A field of `data` as text, or null (as SQL's `->>` gives it).
 */
const text = (value: unknown): string | null =>
  value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);

/** the fields of `data` that the fold reads (only these travel) */
const QUEUE_FIELDS = [
  'caseId',
  'at',
  'tenant',
  'language',
  'priority',
  'subject',
  'to',
  'agentId',
  'vendorId',
  'cycle',
  'firstResponseDueAt',
  'sla',
];

/** An event cut down to what the fold expects; fields the event did not have stay absent. */
const toQueueEvent = (e: RecordedEvent): QueueEvent => {
  const source = (e.data ?? {}) as Record<string, unknown>;
  const sla = (source.sla ?? null) as Record<string, unknown> | null;
  const data: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== null) data[key] = value;
  };
  set('caseId', text(source.caseId));
  set('at', text(source.at));
  set('tenant', text(source.tenant));
  set('language', text(source.language));
  set('priority', text(source.priority));
  set('subject', text(source.subject));
  set('to', text(source.to));
  set('agentId', text(source.agentId));
  const cycle = text(source.cycle);
  set('cycle', cycle === null ? null : Number(cycle));
  set('firstResponseDueAt', text(source.firstResponseDueAt));
  if (e.type === 'Routed') data.vendorId = text(source.vendorId); // null: routed to no vendor
  const slaDue = typeof sla === 'object' && sla !== null ? text(sla.firstResponseDueAt) : null;
  const region = typeof sla === 'object' && sla !== null ? text(sla.region) : null;
  if (slaDue !== null || region !== null)
    data.sla = { firstResponseDueAt: slaDue ?? undefined, region: region ?? undefined };
  return { streamId: e.streamId, streamVersion: e.streamVersion, type: e.type, data } as unknown as QueueEvent;
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
  const events = await logReader(db).readStreamsOpenedWith({
    category: CASE_STREAM_CATEGORY,
    openedBy: 'Opened',
    field: 'language',
    equals: queue.language,
    recordedUpTo: asOf,
    types: QUEUE_EVENT_TYPES,
    fields: QUEUE_FIELDS,
  });
  const board = queueAsOf(events.map(toQueueEvent));
  return {
    queue: `${queue.language}-${queue.priority}`,
    language: queue.language,
    priority: queue.priority,
    ...(vendor === undefined ? {} : { vendor }),
    asOf: asOf.toISOString(),
    cases: queueMembers(board, { ...queue, vendorId: vendor }),
    eventsReplayed: events.length,
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

const toAuditEvent = (e: HashedLogEvent): AuditEvent => ({
  position: e.globalPosition,
  transactionId: e.transactionId,
  streamId: e.streamId,
  version: e.streamVersion,
  eventId: e.eventId,
  type: e.type,
  schemaVersion: e.schemaVersion,
  recordedAt: e.recordedAt.toISOString(),
  data: e.data,
  metadata: e.metadata,
  hash: e.hash,
});

type LogCursor = LogCheckpoint;

interface LogFilter {
  readonly type?: string;
  readonly tenant?: string;
  readonly from?: Date;
  readonly to?: Date;
}

/** The log in commit order, never skipping (the store's readHashedLog), filtered, from a checkpoint. */
const readBatch = async (db: SqlDatabase, after: LogCursor, limit: number, f: LogFilter): Promise<AuditEvent[]> => {
  const events = await readHashedLog(db, {
    after,
    limit,
    type: f.type,
    tenant: f.tenant,
    recordedFrom: f.from,
    recordedBefore: f.to,
  });
  return events.map(toAuditEvent);
};

/** Where the log stands after the event at `position` (0: before the first event). */
const cursorAt = async (db: SqlDatabase, position: number): Promise<LogCursor> => {
  if (position === 0) return LOG_START;
  const at = await logReader(db).checkpointAt(position);
  if (!at) throw new UnknownLogPosition(position);
  return at;
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
  let cursor: LogCursor = LOG_START;
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
