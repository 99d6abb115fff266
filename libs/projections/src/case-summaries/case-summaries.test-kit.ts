import { caseEvent, caseIdFromStreamId, type CaseEvent } from '@app/case-domain';
import type { RecordedEvent, SqlQueryable } from '@app/event-store';
import { listCaseSummaries, type CaseSummaryListOptions, type CaseSummaryQuery } from './case-summaries.query';
import type { Projection, ProjectionTables } from '../projection';
import { evolveCaseSummary, type CaseSummary, type CaseSummaryInput } from './case-summary.evolve';
import {
  CASE_SUMMARIES_TABLE,
  caseSummariesProjection,
  COLUMNS,
  toCaseSummary,
  toParams,
  type CaseSummaryRow,
} from './case-summaries.projection';

/** A `Routed` of a case, as the write shell (trigger `opened`) or the re-router records it. */
export const routedEvent = (
  caseId: string,
  vendorId: string | null,
  { at = '2026-02-02T10:00:30.000Z', previousVendorId }: { at?: string; previousVendorId?: string | null } = {},
): CaseEvent =>
  caseEvent('Routed', {
    caseId,
    at,
    byId: 'system:router',
    vendorId,
    queueId: 'en-P3',
    reason: vendorId === null ? 'no-eligible-vendor' : 'follow-the-sun',
    trigger: previousVendorId === undefined ? 'opened' : 'shift-ended',
    candidates: vendorId === null ? [] : [{ vendorId, atWork: true }],
    ...(previousVendorId === undefined ? {} : { previousVendorId }),
  });

/** version 1 wrote the same columns but `vendor_id` */
const V1_COLUMNS = COLUMNS.filter((c) => c !== 'vendor_id');
const v1Params = (s: CaseSummary): unknown[] => toParams(s).filter((_, i) => COLUMNS[i] !== 'vendor_id');

/**
 * `case-summaries` as version 1 shipped it, to test the upgrade: the same table without
 * `vendor_id` (and its index), `language_tag` and `language_base`, written one event at a time by load → evolve → upsert.
 */
export const caseSummariesV1: Projection<typeof CASE_SUMMARIES_TABLE> = {
  ...caseSummariesProjection,
  version: 1,
  tables: {
    [CASE_SUMMARIES_TABLE]: (t) =>
      `${caseSummariesProjection.tables[CASE_SUMMARIES_TABLE](t)}
ALTER TABLE ${t} DROP COLUMN vendor_id, DROP COLUMN language_tag, DROP COLUMN language_base;`,
  },
  applyBatch: async (
    tx: SqlQueryable,
    events: readonly RecordedEvent[],
    tables: ProjectionTables<typeof CASE_SUMMARIES_TABLE>,
  ) => {
    for (const event of events) {
      if (caseIdFromStreamId(event.streamId) === null) continue;
      const t = tables[CASE_SUMMARIES_TABLE];
      const caseId = (event.data as { caseId: string }).caseId;
      const { rows } = await tx.query<CaseSummaryRow>(`SELECT * FROM ${t} WHERE case_id = $1`, [caseId]);
      const current = rows[0] ? toCaseSummary(rows[0]) : null;
      if (current && event.streamVersion <= current.version) continue;
      const next = evolveCaseSummary(current, event as unknown as CaseSummaryInput);
      if (!next) throw new Error(`no summary of ${caseId}`);
      await tx.query(
        `INSERT INTO ${t} (${V1_COLUMNS.join(', ')}) VALUES (${V1_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
         ON CONFLICT (case_id) DO UPDATE SET ${V1_COLUMNS.slice(1)
           .map((c) => `${c} = EXCLUDED.${c}`)
           .join(', ')}`,
        v1Params(next),
      );
    }
  },
};

/** Every page's case ids, following the cursor to the end. */
export const caseIdPages = async (
  db: SqlQueryable,
  query: CaseSummaryQuery,
  options: CaseSummaryListOptions = {},
): Promise<string[][]> => {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listCaseSummaries(db, { ...query, cursor }, options);
    pages.push(page.items.map((s) => s.caseId));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return pages;
};
