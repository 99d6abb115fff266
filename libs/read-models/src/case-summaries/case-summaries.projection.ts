import { CASE_EVENT_TYPES, caseIdFromStreamId } from '@app/case-domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection } from '@app/projections';
import { documentProjection, oneRowPerDocument } from '../document-projection';
import {
  bigint,
  boolean,
  instant,
  instantOrNull,
  integer,
  integerOrNull,
  rowTable,
  text,
  textOrNull,
  type ColumnsOf,
} from '../row-table';
import { evolveCaseSummary, type CaseSummary, type CaseSummaryInput } from './case-summary.evolve';

/** The stable name readers query (a view over the active generation's table). */
export const CASE_SUMMARIES_TABLE = 'case_summaries';

/**
 * `case_summaries`' columns, from which its DDL, its upsert and its row reader are derived
 * (exported for the upgrade test's version 1).
 */
export const CASE_SUMMARY_COLUMNS: ColumnsOf<CaseSummary> = {
  caseId: { type: text(), collate: 'C' },
  tenant: text(),
  status: text(),
  priority: text(),
  language: text(),
  channel: text(),
  subject: text(),
  product: text(),
  requesterId: text(),
  assigneeId: textOrNull(),
  vendorId: { type: textOrNull(), collate: 'C' },
  incidentId: textOrNull(),
  outcome: textOrNull(),
  openedAt: instant(),
  updatedAt: instant(),
  resolvedAt: instantOrNull(),
  closedAt: instantOrNull(),
  cycle: integer(),
  escalationCount: integer(),
  creditIssued: boolean(),
  surveyRating: integerOrNull(),
  version: bigint(),
  lastGlobalPosition: bigint(),
};

const SUMMARY_ROWS = rowTable<CaseSummary>({
  columns: CASE_SUMMARY_COLUMNS,
  key: ['caseId'],
  // the version guard again, in SQL: a row never moves back to an older version
  guard: 't.version < EXCLUDED.version',
  after: {
    language: [
      `-- the tag as canSeeCase compares it, and its primary subtag (an agent speaking fr sees
  -- fr-CA): columns, not expressions in the WHERE, so that ANALYZE knows how common each
  -- language is and the planner keeps reading an agent's list in index order
  language_tag text GENERATED ALWAYS AS (lower(btrim(language))) STORED`,
      `language_base text GENERATED ALWAYS AS (split_part(lower(btrim(language)), '-', 1)) STORED`,
    ],
  },
  extra: (t) => `CREATE INDEX ${t}_opened_idx ON ${t} (opened_at DESC, case_id);
CREATE INDEX ${t}_tenant_opened_idx ON ${t} (tenant, opened_at DESC, case_id);
-- an agent's list (R4): one vendor's cases in the list's order, so a page is a range scan
CREATE INDEX ${t}_vendor_opened_idx ON ${t} (vendor_id, opened_at DESC, case_id);
`,
});

/** A `case_summaries` row as the drivers return it (pg gives bigint as text, PGlite as number). */
export type CaseSummaryRow = Record<string, unknown>;

/** A `case_summaries` row → the summary (`vendor_id` absent, in a version-1 table: null). */
export const toCaseSummary = (row: CaseSummaryRow): CaseSummary => SUMMARY_ROWS.read(row);

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

/** The case an event of a `case-` stream belongs to (its `data.caseId`); null for other streams. */
const caseOf = (event: RecordedEvent): string | null => {
  // another category's event with a case event's type name is none of this projection's business
  if (caseIdFromStreamId(event.streamId) === null) return null;
  const caseId = (event.data as { caseId?: unknown }).caseId;
  if (typeof caseId !== 'string')
    throw Object.assign(new TypeError(`${event.type} ${event.eventId} has no caseId`), { event });
  return caseId;
};

/**
 * `case_summaries`: one row per case (docs/architecture.md, "The read path"), folded by
 * {@link evolveCaseSummary}: a batch is one read of the summaries it touches, the fold in
 * memory, one multi-row upsert.
 */
export const caseSummariesProjection: Projection<typeof CASE_SUMMARIES_TABLE> = documentProjection({
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
   * The runner's migrations (@app/projections) only hold its own registry tables; a
   * projection's tables come from `tables` per generation, so there is nothing to add
   * there. Until the swap the `case_summaries` view has no `vendor_id`: readers filtering by
   * vendor must cope (listCaseSummaries' `routedVendorFallback`).
   */
  version: 2,
  handles: CASE_EVENT_TYPES,
  store: oneRowPerDocument(CASE_SUMMARIES_TABLE, SUMMARY_ROWS, (s) => s.caseId),
  keyOf: caseOf,
  versionOf: (s) => s.version,
  evolve: (doc, event) => evolveCaseSummary(doc, event as unknown as CaseSummaryInput),
  refused: (caseId, event) => new CaseSummaryMissing(caseId, event),
  // a case's rows are the fold of its own stream: a rebuild folds whole streams, loading nothing
  documentPerStream: true,
});
