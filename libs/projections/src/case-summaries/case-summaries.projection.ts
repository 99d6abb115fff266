import { CASE_EVENT_TYPES, caseIdFromStreamId } from '@app/case-domain';
import { statement, type RecordedEvent, type SqlQueryable, type Statement } from '@app/event-store';
import type { Projection, ProjectionTables } from '../projection';
import { evolveCaseSummary, type CaseSummary, type CaseSummaryInput } from './case-summary.evolve';

/** The stable name readers query (a view over the active generation's table). */
export const CASE_SUMMARIES_TABLE = 'case_summaries';

const createTable = (t: string) => `
CREATE TABLE ${t} (
  case_id text COLLATE "C" NOT NULL,
  tenant text NOT NULL,
  status text NOT NULL,
  priority text NOT NULL,
  language text NOT NULL,
  -- the tag as canSeeCase compares it, and its primary subtag (an agent speaking fr sees
  -- fr-CA): columns, not expressions in the WHERE, so that ANALYZE knows how common each
  -- language is and the planner keeps reading an agent's list in index order
  language_tag text GENERATED ALWAYS AS (lower(btrim(language))) STORED,
  language_base text GENERATED ALWAYS AS (split_part(lower(btrim(language)), '-', 1)) STORED,
  channel text NOT NULL,
  subject text NOT NULL,
  product text NOT NULL,
  requester_id text NOT NULL,
  assignee_id text,
  vendor_id text COLLATE "C",
  incident_id text,
  outcome text,
  opened_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  resolved_at timestamptz,
  closed_at timestamptz,
  cycle integer NOT NULL,
  escalation_count integer NOT NULL,
  credit_issued boolean NOT NULL,
  survey_rating integer,
  version bigint NOT NULL,
  last_global_position bigint NOT NULL,
  CONSTRAINT ${t}_pkey PRIMARY KEY (case_id)
);
CREATE INDEX ${t}_opened_idx ON ${t} (opened_at DESC, case_id);
CREATE INDEX ${t}_tenant_opened_idx ON ${t} (tenant, opened_at DESC, case_id);
-- an agent's list (R4): one vendor's cases in the list's order, so a page is a range scan
CREATE INDEX ${t}_vendor_opened_idx ON ${t} (vendor_id, opened_at DESC, case_id);
`;

/** A `case_summaries` row as the drivers return it (pg gives bigint as text, PGlite as number). */
export interface CaseSummaryRow {
  case_id: string;
  tenant: string;
  status: string;
  priority: string;
  language: string;
  channel: string;
  subject: string;
  product: string;
  requester_id: string;
  assignee_id: string | null;
  /** absent in a version-1 table (see the projection's `version`) */
  vendor_id?: string | null;
  incident_id: string | null;
  outcome: string | null;
  opened_at: Date | string;
  updated_at: Date | string;
  resolved_at: Date | string | null;
  closed_at: Date | string | null;
  cycle: number | string;
  escalation_count: number | string;
  credit_issued: boolean;
  survey_rating: number | string | null;
  version: number | string;
  last_global_position: number | string;
}

const instant = (value: Date | string) => new Date(value).toISOString();
const optionalInstant = (value: Date | string | null) => (value === null ? null : instant(value));

export const toCaseSummary = (row: CaseSummaryRow): CaseSummary => ({
  caseId: row.case_id,
  tenant: row.tenant,
  status: row.status as CaseSummary['status'],
  priority: row.priority as CaseSummary['priority'],
  language: row.language,
  channel: row.channel as CaseSummary['channel'],
  subject: row.subject,
  product: row.product,
  requesterId: row.requester_id,
  assigneeId: row.assignee_id,
  vendorId: row.vendor_id ?? null,
  incidentId: row.incident_id,
  outcome: row.outcome as CaseSummary['outcome'],
  openedAt: instant(row.opened_at),
  updatedAt: instant(row.updated_at),
  resolvedAt: optionalInstant(row.resolved_at),
  closedAt: optionalInstant(row.closed_at),
  cycle: Number(row.cycle),
  escalationCount: Number(row.escalation_count),
  creditIssued: row.credit_issued,
  surveyRating: row.survey_rating === null ? null : Number(row.survey_rating),
  version: Number(row.version),
  lastGlobalPosition: Number(row.last_global_position),
});

/** the columns the projection writes, in the order of {@link toParams} (exported for the upgrade test's version 1) */
export const COLUMNS = [
  'case_id',
  'tenant',
  'status',
  'priority',
  'language',
  'channel',
  'subject',
  'product',
  'requester_id',
  'assignee_id',
  'vendor_id',
  'incident_id',
  'outcome',
  'opened_at',
  'updated_at',
  'resolved_at',
  'closed_at',
  'cycle',
  'escalation_count',
  'credit_issued',
  'survey_rating',
  'version',
  'last_global_position',
] as const;

export const toParams = (s: CaseSummary): unknown[] => [
  s.caseId,
  s.tenant,
  s.status,
  s.priority,
  s.language,
  s.channel,
  s.subject,
  s.product,
  s.requesterId,
  s.assigneeId,
  s.vendorId,
  s.incidentId,
  s.outcome,
  s.openedAt,
  s.updatedAt,
  s.resolvedAt,
  s.closedAt,
  s.cycle,
  s.escalationCount,
  s.creditIssued,
  s.surveyRating,
  s.version,
  s.lastGlobalPosition,
];

const TYPES = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'timestamptz',
  'timestamptz',
  'timestamptz',
  'timestamptz',
  'integer',
  'integer',
  'boolean',
  'integer',
  'bigint',
  'bigint',
];

/** The statements of one physical table, made once per generation. */
const statementsFor = (() => {
  const made = new Map<
    string,
    { select: Statement; upsert: Statement; selectMany: Statement; upsertMany: Statement }
  >();
  return (t: string) => {
    let found = made.get(t);
    if (!found) {
      found = {
        select: statement(`SELECT ${COLUMNS.join(', ')} FROM ${t} WHERE case_id = $1`),
        // the version guard again, in SQL: a row never moves back to an older version
        upsert: statement(`INSERT INTO ${t} AS s (${COLUMNS.join(', ')})
VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
ON CONFLICT (case_id) DO UPDATE SET ${COLUMNS.slice(1)
          .map((c) => `${c} = EXCLUDED.${c}`)
          .join(', ')}
WHERE s.version < EXCLUDED.version`),
        selectMany: statement(`SELECT ${COLUMNS.join(', ')} FROM ${t} WHERE case_id = ANY($1::text[])`),
        // the batch's rows as one array per column: one statement per batch
        upsertMany: statement(`INSERT INTO ${t} AS s (${COLUMNS.join(', ')})
SELECT * FROM unnest(${TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ')})
ON CONFLICT (case_id) DO UPDATE SET ${COLUMNS.slice(1)
          .map((c) => `${c} = EXCLUDED.${c}`)
          .join(', ')}
WHERE s.version < EXCLUDED.version`),
      };
      made.set(t, found);
    }
    return found;
  };
})();

/** An event of a case whose `Opened` this projection never applied: a hole, so the case is parked. */
export class CaseSummaryMissing extends Error {
  readonly code = 'PROJECTIONS.CASE_SUMMARY_MISSING';
  readonly retriable = false;

  constructor(
    readonly caseId: string,
    readonly event: RecordedEvent,
  ) {
    super(`No summary of case ${caseId} to apply ${event.type} #${event.streamVersion} to`);
    this.name = 'CaseSummaryMissing';
  }
}

/** A batch: one read of the summaries it touches, the fold in memory, one multi-row upsert. */
const applyBatch = async (
  tx: SqlQueryable,
  events: readonly RecordedEvent[],
  tables: ProjectionTables<typeof CASE_SUMMARIES_TABLE>,
): Promise<void> => {
  const caseEvents = events.filter((e) => caseIdFromStreamId(e.streamId) !== null);
  if (caseEvents.length === 0) return;
  const ids = [...new Set(caseEvents.map((e) => (e.data as { caseId?: unknown }).caseId))];
  const { selectMany, upsertMany } = statementsFor(tables[CASE_SUMMARIES_TABLE]);
  const { rows } = await tx.query<CaseSummaryRow>(selectMany.text, [ids], selectMany);
  const docs = new Map(rows.map((r) => [r.case_id, toCaseSummary(r)]));
  const changed = new Set<string>();
  for (const event of caseEvents) {
    const caseId = (event.data as { caseId?: unknown }).caseId;
    if (typeof caseId !== 'string')
      throw Object.assign(new TypeError(`${event.type} ${event.eventId} has no caseId`), { event });
    const current = docs.get(caseId) ?? null;
    if (current && event.streamVersion <= current.version) continue;
    const next = evolveCaseSummary(current, event as unknown as CaseSummaryInput);
    if (!next) throw Object.assign(new CaseSummaryMissing(caseId, event), { event });
    docs.set(caseId, next);
    changed.add(caseId);
  }
  const params = [...changed].map((id) => toParams(docs.get(id) as CaseSummary));
  await tx.query(
    upsertMany.text,
    COLUMNS.map((_, i) => params.map((p) => p[i])),
    upsertMany,
  );
};

/**
 * `case_summaries`: one row per case (docs/architecture.md, "The read path"), folded by
 * {@link evolveCaseSummary}: `apply` loads, evolves and upserts one event's row, `applyBatch`
 * does the same for a batch with one read and one upsert.
 */
export const caseSummariesProjection: Projection<typeof CASE_SUMMARIES_TABLE> = {
  name: 'case-summaries',
  /**
   * 2: `vendor_id` (the latest `Routed`) and `language_tag`/`language_base`, so that an
   * agent's list filters by vendor and language in SQL (R4), and pages are exact.
   *
   * Why a version bump and not an `ALTER TABLE … ADD COLUMN` migration: a column added to
   * the old table would be NULL for every case already routed, and only a replay of the log
   * can fill it; a NULL vendor is seen by no agent, so their lists would silently miss
   * cases. With the bump, the runner finds the active version-1 generation on start and
   * rebuilds version 2 from the log beside it (docs/projections.md, "Rebuild"): readers keep
   * the version-1 rows until the swap commits, then see complete version-2 rows, never a mix.
   * The runner's migrations (projections.migrations.ts) only hold its own registry tables;
   * a projection's tables come from `tables` per generation, so there is nothing to add
   * there. Until the swap the `case_summaries` view has no `vendor_id`: readers filtering by
   * vendor must cope (listCaseSummaries' `routedVendorFallback`).
   */
  version: 2,
  tables: { [CASE_SUMMARIES_TABLE]: createTable },
  handles: CASE_EVENT_TYPES,
  applyBatch,
};
