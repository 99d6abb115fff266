import type { CaseStatus, Priority } from '@app/case-domain';
import type { SqlQueryable } from '@app/event-store';
import { activeVersionOf, InvalidCursor } from '@app/projections';
import type { CaseSummary } from './case-summary.evolve';
import {
  CASE_SUMMARIES_TABLE,
  caseSummariesProjection,
  toCaseSummary,
  type CaseSummaryRow,
} from './case-summaries.projection';

export interface CaseSummaryQuery {
  readonly tenant?: string;
  /**
   * R4: only the cases whose latest `Routed` names this vendor (compared lower-cased); a
   * case not routed yet, or routed to nobody, matches no vendor.
   */
  readonly vendorId?: string;
  /**
   * Any of these (lower-cased) languages, matched as `canSeeCase` matches an agent's: the
   * case's tag itself or its primary subtag, case-insensitively (`fr` matches `fr-CA`;
   * `pt-br` does not match `pt`).
   */
  readonly languages?: readonly string[];
  readonly status?: CaseStatus | readonly CaseStatus[];
  readonly priority?: Priority | readonly Priority[];
  /** page size, 1 to {@link MAX_PAGE}; default 50 */
  readonly limit?: number;
  /** `nextCursor` of the previous page */
  readonly cursor?: string;
}

export interface CaseSummaryListOptions {
  /**
   * For a `vendorId` query while the active generation predates the `vendor_id` column
   * (version 1: the rebuild to version 2 after an upgrade has not swapped yet, or no runner
   * of the new code has started): a table or view with `case_id` and `vendor_id` (that of
   * the case's latest `Routed`) to filter through instead, e.g. the `case_queue` read
   * model. The filter stays in SQL, so pages stay exact. Without it such a query throws
   * {@link CaseSummariesRebuilding}.
   */
  readonly routedVendorFallback?: string;
}

/** A `vendorId` query while `case_summaries` has no `vendor_id` yet, and no fallback was given. */
export class CaseSummariesRebuilding extends Error {
  readonly code = 'PROJECTIONS.CASE_SUMMARIES_REBUILDING';
  /** the swap to the version with the column comes by itself */
  readonly retriable = true;

  constructor(readonly activeVersion: number | undefined) {
    super(
      `case_summaries (version ${activeVersion ?? 'none'}) has no vendor_id yet; version ${AGENT_COLUMNS_SINCE} is being rebuilt`,
    );
    this.name = 'CaseSummariesRebuilding';
  }
}

export interface CaseSummaryPage {
  readonly items: CaseSummary[];
  /** null on the last page */
  readonly nextCursor: string | null;
}

export const MAX_PAGE = 500;

/** Opaque to callers: the sort key of the last row of a page. */
const encodeCursor = (s: CaseSummary): string =>
  Buffer.from(JSON.stringify([s.openedAt, s.caseId])).toString('base64url');

const decodeCursor = (cursor: string): { openedAt: string; caseId: string } => {
  try {
    const [openedAt, caseId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof openedAt === 'string' && typeof caseId === 'string' && !Number.isNaN(Date.parse(openedAt)))
      return { openedAt, caseId };
  } catch {
    // not JSON: refused below like any other malformed cursor
  }
  throw new InvalidCursor(cursor);
};

/** the projection version that added `vendor_id`, `language_tag` and `language_base` */
const AGENT_COLUMNS_SINCE = 2;
const SQL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Databases whose active generation has those columns. Versions only move forward (an
 * older runner refuses a newer generation), so once seen it stays true and is not asked again.
 */
const withAgentColumns = new WeakMap<SqlQueryable, true>();

/** Whether the `case_summaries` view has the agent columns, and if not, the active version. */
const agentColumns = async (db: SqlQueryable): Promise<{ ready: boolean; version?: number }> => {
  if (withAgentColumns.has(db)) return { ready: true };
  const version = await activeVersionOf(db, caseSummariesProjection.name);
  if (version === undefined || version < AGENT_COLUMNS_SINCE) return { ready: false, version };
  withAgentColumns.set(db, true);
  return { ready: true };
};

const asList = <T>(value: T | readonly T[] | undefined): readonly T[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value as T];

/**
 * Lists case summaries, newest first (opened_at descending, then case_id), by keyset
 * pagination: a page starts strictly after the previous page's last (opened_at, case_id),
 * so rows that arrive meanwhile never shift a page or repeat a row. Reads the
 * `case_summaries` view, which always points at the active generation. An agent's list
 * (`vendorId`, `languages`) reads the `(vendor_id, opened_at DESC, case_id)` index.
 */
export const listCaseSummaries = async (
  db: SqlQueryable,
  query: CaseSummaryQuery = {},
  options: CaseSummaryListOptions = {},
): Promise<CaseSummaryPage> => {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), MAX_PAGE);
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (query.tenant !== undefined) where.push(`tenant = ${param(query.tenant)}`);
  // Every visibility filter is a WHERE clause, never a filter of the page afterwards: a
  // page then holds `limit` rows whenever that many match, and its cursor is exact.
  const columns = query.vendorId !== undefined || query.languages !== undefined ? await agentColumns(db) : undefined;
  if (query.vendorId !== undefined)
    where.push(vendorFilter(param(query.vendorId.trim().toLowerCase()), columns!, options));
  if (query.languages !== undefined) {
    const spoken = `${param(query.languages.map((l) => l.trim().toLowerCase()))}::text[]`;
    where.push(
      columns!.ready
        ? `(language_tag = ANY(${spoken}) OR language_base = ANY(${spoken}))`
        : `(lower(btrim(language)) = ANY(${spoken}) OR split_part(lower(btrim(language)), '-', 1) = ANY(${spoken}))`,
    );
  }
  const statuses = asList(query.status);
  if (statuses !== undefined) where.push(`status = ANY(${param(statuses)}::text[])`);
  const priorities = asList(query.priority);
  if (priorities !== undefined) where.push(`priority = ANY(${param(priorities)}::text[])`);
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    const openedAt = param(after.openedAt);
    where.push(
      `(opened_at < ${openedAt}::timestamptz OR (opened_at = ${openedAt}::timestamptz AND case_id > ${param(after.caseId)}))`,
    );
  }
  const { rows } = await db.query<CaseSummaryRow>(
    `SELECT * FROM ${CASE_SUMMARIES_TABLE}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
     ORDER BY opened_at DESC, case_id LIMIT ${param(limit + 1)}`,
    params,
  );
  const items = rows.slice(0, limit).map(toCaseSummary);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null };
};

/** `vendor_id = $n` on the summaries themselves, or through the fallback before the swap. */
const vendorFilter = (
  vendor: string,
  columns: { ready: boolean; version?: number },
  options: CaseSummaryListOptions,
): string => {
  if (columns.ready) return `vendor_id = ${vendor}`;
  const fallback = options.routedVendorFallback;
  if (fallback === undefined) throw new CaseSummariesRebuilding(columns.version);
  if (!SQL_NAME.test(fallback)) throw new TypeError(`${JSON.stringify(fallback)} is not a table name`);
  return `case_id IN (SELECT case_id FROM ${fallback} WHERE vendor_id = ${vendor})`;
};
