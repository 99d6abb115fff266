import { caseEvent, caseIdFromStreamId, type CaseEvent } from '@app/case-domain';
import type { SqlQueryable } from '@app/event-store';
import type { Projection } from '@app/projections';
import { documentProjection } from '../document-projection';
import { rowTable } from '../row-table';
import { listCaseSummaries, type CaseSummaryListOptions, type CaseSummaryQuery } from './case-summaries.query';
import { evolveCaseSummary, type CaseSummary, type CaseSummaryInput } from './case-summary.evolve';
import { CASE_SUMMARIES_TABLE, CASE_SUMMARY_COLUMNS, caseSummariesProjection } from './case-summaries.projection';

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
const { vendorId: _vendorId, ...V1_COLUMNS } = CASE_SUMMARY_COLUMNS;
const V1_ROWS = rowTable<Omit<CaseSummary, 'vendorId'>>({ columns: V1_COLUMNS, key: ['caseId'] });

/**
 * `case-summaries` as version 1 shipped it, to test the upgrade: the same table without
 * `vendor_id` (and its index), `language_tag` and `language_base`, written by load → evolve → upsert.
 */
export const caseSummariesV1: Projection<typeof CASE_SUMMARIES_TABLE> = documentProjection({
  name: caseSummariesProjection.name,
  version: 1,
  handles: caseSummariesProjection.handles,
  store: {
    tables: {
      [CASE_SUMMARIES_TABLE]: (t: string) =>
        `${caseSummariesProjection.tables[CASE_SUMMARIES_TABLE](t)}
ALTER TABLE ${t} DROP COLUMN vendor_id, DROP COLUMN language_tag, DROP COLUMN language_base;`,
    },
    load: async (tx, tables, caseIds) =>
      new Map(
        (await V1_ROWS.selectByKey(tx, tables[CASE_SUMMARIES_TABLE], caseIds)).map((s): [string, CaseSummary] => [
          s.caseId,
          { ...s, vendorId: null },
        ]),
      ),
    write: (tx, tables, changed) => V1_ROWS.upsert(tx, tables[CASE_SUMMARIES_TABLE], changed),
  },
  keyOf: (event) => (caseIdFromStreamId(event.streamId) === null ? null : (event.data as { caseId: string }).caseId),
  versionOf: (s) => s.version,
  evolve: (doc, event) => evolveCaseSummary(doc, event as unknown as CaseSummaryInput),
  refused: (caseId) => new Error(`no summary of ${caseId}`),
});

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
