import { CASE_EVENT_TYPES, caseIdFromStreamId } from '@app/case-domain';
import type { RecordedEvent, SqlQueryable } from '@app/event-store';
import type { Projection, ProjectionTables } from '@app/projections';
import { EventRefused } from '../batch-projection';
import { instantOf, numberOf, optionalInstantOf, perTable, recordsetUpsert, type Column } from '../sql-rows';
import { evolveQueuedCase, type QueueInput, type QueuedCase } from './queued-case.evolve';

/** The stable name readers query (a view over the active generation's table). */
export const CASE_QUEUE_TABLE = 'case_queue';
type Tables = ProjectionTables<typeof CASE_QUEUE_TABLE>;

const createTable = (t: string) => `
CREATE TABLE ${t} (
  case_id text COLLATE "C" NOT NULL,
  tenant text NOT NULL,
  language text COLLATE "C" NOT NULL,
  priority text COLLATE "C" NOT NULL,
  status text NOT NULL,
  assignee_id text,
  vendor_id text COLLATE "C",
  routed boolean NOT NULL,
  queue_id text COLLATE "C" NOT NULL,
  region text,
  subject text NOT NULL,
  opened_at timestamptz NOT NULL,
  first_response_due_at timestamptz,
  breached boolean NOT NULL,
  cycle integer NOT NULL,
  version bigint NOT NULL,
  CONSTRAINT ${t}_pkey PRIMARY KEY (case_id)
);
-- a queue as an agent reads it: one vendor, one queue, in the queue's order (case-queue.query.ts)
CREATE INDEX ${t}_queued_idx ON ${t}
  (vendor_id, queue_id, (NOT breached), priority, (coalesce(first_response_due_at, 'infinity'::timestamptz)), opened_at, case_id)
  WHERE status = 'open' AND assignee_id IS NULL;
`;

const COLUMNS: readonly Column[] = [
  ['case_id', 'text'],
  ['tenant', 'text'],
  ['language', 'text'],
  ['priority', 'text'],
  ['status', 'text'],
  ['assignee_id', 'text'],
  ['vendor_id', 'text'],
  ['routed', 'boolean'],
  ['queue_id', 'text'],
  ['region', 'text'],
  ['subject', 'text'],
  ['opened_at', 'timestamptz'],
  ['first_response_due_at', 'timestamptz'],
  ['breached', 'boolean'],
  ['cycle', 'integer'],
  ['version', 'bigint'],
];

/** A `case_queue` row as the drivers give it back. */
export type QueuedCaseRow = Record<(typeof COLUMNS)[number][0], unknown>;

export const toQueuedCase = (r: QueuedCaseRow): QueuedCase => ({
  caseId: r.case_id as string,
  tenant: r.tenant as string,
  language: r.language as string,
  priority: r.priority as QueuedCase['priority'],
  status: r.status as QueuedCase['status'],
  assigneeId: (r.assignee_id as string | null) ?? null,
  vendorId: (r.vendor_id as string | null) ?? null,
  routed: r.routed as boolean,
  queueId: r.queue_id as string,
  region: (r.region as string | null) ?? null,
  subject: r.subject as string,
  openedAt: instantOf(r.opened_at),
  firstResponseDueAt: optionalInstantOf(r.first_response_due_at),
  breached: r.breached as boolean,
  cycle: numberOf(r.cycle),
  version: numberOf(r.version),
});

const toRow = (c: QueuedCase): Record<string, unknown> => ({
  case_id: c.caseId,
  tenant: c.tenant,
  language: c.language,
  priority: c.priority,
  status: c.status,
  assignee_id: c.assigneeId,
  vendor_id: c.vendorId,
  routed: c.routed,
  queue_id: c.queueId,
  region: c.region,
  subject: c.subject,
  opened_at: c.openedAt,
  first_response_due_at: c.firstResponseDueAt,
  breached: c.breached,
  cycle: c.cycle,
  version: c.version,
});

const statements = perTable((t: string) => ({
  select: `SELECT ${COLUMNS.map(([n]) => n).join(', ')} FROM ${t} WHERE case_id = ANY($1::text[])`,
  // the version guard again, in SQL: a row never moves back to an older version
  upsert: recordsetUpsert(t, COLUMNS, ['case_id'], 't.version < EXCLUDED.version'),
}));

/** An event of a case whose `Opened` this projection never applied: parked with the rest of the case. */
export const QUEUE_CASE_MISSING = 'READ_MODELS.QUEUED_CASE_MISSING';

/**
 * Folds a batch: one read of the rows it touches, the fold in memory, one multi-row upsert.
 * Events of other stream categories are none of its business; an event already folded
 * into its row (`streamVersion <= version`) changes nothing.
 */
const applyBatch = async (tx: SqlQueryable, events: readonly RecordedEvent[], tables: Tables): Promise<void> => {
  const caseEvents = events.filter((e) => caseIdFromStreamId(e.streamId) !== null);
  if (caseEvents.length === 0) return;
  const { select, upsert } = statements(tables[CASE_QUEUE_TABLE]);
  const ids = [...new Set(caseEvents.map((e) => caseIdFromStreamId(e.streamId) as string))];
  // not a named statement: PostgreSQL would settle on a generic plan that, not knowing how
  // many ids come, scans the whole table; planned for each batch, it uses the primary key
  const { rows } = await tx.query<QueuedCaseRow>(select, [ids]);
  const docs = new Map(rows.map((r) => [r.case_id as string, toQueuedCase(r)]));
  const changed = new Set<string>();
  for (const event of caseEvents) {
    const caseId = caseIdFromStreamId(event.streamId) as string;
    const doc = docs.get(caseId) ?? null;
    if (doc && event.streamVersion <= doc.version) continue;
    const next = evolveQueuedCase(doc, event as unknown as QueueInput);
    if (!next)
      throw new EventRefused(
        QUEUE_CASE_MISSING,
        event,
        `No queue row for case ${caseId} to apply ${event.type} #${event.streamVersion} to`,
      );
    docs.set(caseId, next);
    changed.add(caseId);
  }
  await upsert.write(
    tx,
    [...changed].map((id) => toRow(docs.get(id) as QueuedCase)),
  );
};

/**
 * `case_queue`: one row per case, what the queues of agents (R16) and the re-router read.
 * Ordering and counting are in case-queue.query.ts.
 */
export const caseQueueProjection: Projection<typeof CASE_QUEUE_TABLE> = {
  name: 'case-queue',
  version: 1,
  tables: { [CASE_QUEUE_TABLE]: createTable },
  handles: CASE_EVENT_TYPES,
  applyBatch,
};
