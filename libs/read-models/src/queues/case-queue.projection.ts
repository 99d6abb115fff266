import { CASE_EVENT_TYPES, caseIdFromStreamId } from '@app/case-domain';
import type { Projection } from '@app/projections';
import { EventRefused } from '../batch-projection';
import { documentProjection, oneRowPerDocument } from '../document-projection';
import { bigint, boolean, instant, instantOrNull, integer, rowTable, text, textOrNull } from '../row-table';
import { evolveQueuedCase, type QueueInput, type QueuedCase } from './queued-case.evolve';

/** The stable name readers query (a view over the active generation's table). */
export const CASE_QUEUE_TABLE = 'case_queue';

/** `case_queue`'s columns, from which its DDL, its upsert and its row reader are derived. */
const QUEUE_ROWS = rowTable<QueuedCase>({
  columns: {
    caseId: { type: text(), collate: 'C' },
    tenant: text(),
    language: { type: text(), collate: 'C' },
    priority: { type: text(), collate: 'C' },
    status: text(),
    assigneeId: textOrNull(),
    vendorId: { type: textOrNull(), collate: 'C' },
    routed: boolean(),
    queueId: { type: text(), collate: 'C' },
    region: textOrNull(),
    subject: text(),
    openedAt: instant(),
    firstResponseDueAt: instantOrNull(),
    breached: boolean(),
    cycle: integer(),
    version: bigint(),
  },
  key: ['caseId'],
  // the version guard again, in SQL: a row never moves back to an older version
  guard: 't.version < EXCLUDED.version',
  extra: (t) => `-- a queue as an agent reads it: one vendor, one queue, in the queue's order (case-queue.query.ts)
CREATE INDEX ${t}_queued_idx ON ${t}
  (vendor_id, queue_id, (NOT breached), priority, (coalesce(first_response_due_at, 'infinity'::timestamptz)), opened_at, case_id)
  WHERE status = 'open' AND assignee_id IS NULL;
-- a vendor's queue counts (queueSummaries) from the index alone: an index-only scan, no heap
-- page per case (at a million cases a vendor has tens of thousands unassigned, on as many pages)
CREATE INDEX ${t}_counts_idx ON ${t} (vendor_id, queue_id, language, priority, breached, opened_at)
  WHERE status = 'open' AND assignee_id IS NULL;
`,
});

/** A `case_queue` row as the drivers give it back. */
export type QueuedCaseRow = Record<string, unknown>;

/** A `case_queue` row → the queued case. */
export const toQueuedCase = (r: QueuedCaseRow): QueuedCase => QUEUE_ROWS.read(r);

/** An event of a case whose `Opened` this projection never applied: parked with the rest of the case. */
export const QUEUE_CASE_MISSING = 'READ_MODELS.QUEUED_CASE_MISSING';

/**
 * `case_queue`: one row per case, what the queues of agents (R16) and the re-router read,
 * folded by {@link evolveQueuedCase}. Events of other stream categories are none of its
 * business. Ordering and counting are in case-queue.query.ts.
 */
export const caseQueueProjection: Projection<typeof CASE_QUEUE_TABLE> = documentProjection({
  name: 'case-queue',
  // 2: the counts index
  version: 2,
  handles: CASE_EVENT_TYPES,
  store: oneRowPerDocument(CASE_QUEUE_TABLE, QUEUE_ROWS, (c) => c.caseId),
  keyOf: (event) => caseIdFromStreamId(event.streamId),
  versionOf: (c) => c.version,
  // a case's rows are the fold of its own stream: a rebuild folds whole streams, loading nothing
  documentPerStream: true,
  evolve: (doc, event) => evolveQueuedCase(doc, event as unknown as QueueInput),
  refused: (caseId, event) =>
    new EventRefused(
      QUEUE_CASE_MISSING,
      event,
      `No queue row for case ${caseId} to apply ${event.type} #${event.streamVersion} to`,
    ),
});
