import type { CaseStatus, Priority } from '@app/case-domain';
import type { SqlQueryable } from '@app/event-store';
import { InvalidCursor } from '../projection.errors';
import type { CaseSummary } from './case-summary.evolve';
import { CASE_SUMMARIES_TABLE, toCaseSummary, type CaseSummaryRow } from './case-summaries.projection';

export interface CaseSummaryQuery {
  readonly tenant?: string;
  /** any of these languages */
  readonly languages?: readonly string[];
  readonly status?: CaseStatus | readonly CaseStatus[];
  readonly priority?: Priority | readonly Priority[];
  /** page size, 1 to {@link MAX_PAGE}; default 50 */
  readonly limit?: number;
  /** `nextCursor` of the previous page */
  readonly cursor?: string;
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

const asList = <T>(value: T | readonly T[] | undefined): readonly T[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value as T];

/**
 * Lists case summaries, newest first (opened_at descending, then case_id), by keyset
 * pagination: a page starts strictly after the previous page's last (opened_at, case_id),
 * so rows that arrive meanwhile never shift a page or repeat a row. Reads the
 * `case_summaries` view, which always points at the active generation.
 */
export const listCaseSummaries = async (db: SqlQueryable, query: CaseSummaryQuery = {}): Promise<CaseSummaryPage> => {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), MAX_PAGE);
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (query.tenant !== undefined) where.push(`tenant = ${param(query.tenant)}`);
  if (query.languages !== undefined) where.push(`language = ANY(${param(query.languages)}::text[])`);
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
