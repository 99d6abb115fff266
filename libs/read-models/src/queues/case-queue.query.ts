import { PRIORITIES, speaks, type Priority } from '@app/case-domain';
import type { SqlQueryable } from '@app/event-store';
import { CASE_QUEUE_TABLE, toQueuedCase, type QueuedCaseRow } from './case-queue.projection';
import type { QueuedCase } from './queued-case.evolve';

/** A queue id the caller gave is not `<language>-<priority>`. */
export class InvalidQueueId extends Error {
  readonly code = 'QUEUE.INVALID_ID';
  readonly status = 400;
  constructor(readonly queueId: string) {
    super(`${JSON.stringify(queueId)} is not a queue id: <language>-<priority>, such as fr-P2 or pt-br-P1.`);
    this.name = 'InvalidQueueId';
  }
}

/** A cursor this query did not make. */
export class InvalidQueueCursor extends Error {
  readonly code = 'QUEUE.INVALID_CURSOR';
  readonly status = 400;
  constructor() {
    super('The cursor is not one a previous page of this queue returned; start again without it.');
    this.name = 'InvalidQueueCursor';
  }
}

const QUEUE_ID = /^([a-z]{2,3}(?:-[a-z0-9]{2,8})*)-(P[1-4])$/i;

/** `fr-P2` → `{ id: 'fr-P2', language: 'fr', priority: 'P2' }` (case-insensitive, normalised). */
export const parseQueueId = (id: string): { id: string; language: string; priority: Priority } => {
  const match = QUEUE_ID.exec(id.trim());
  if (!match) throw new InvalidQueueId(id);
  const language = match[1].toLowerCase();
  const priority = match[2].toUpperCase() as Priority;
  return { id: `${language}-${priority}`, language, priority };
};

export interface QueueSummary {
  readonly id: string;
  readonly language: string;
  readonly priority: Priority;
  /** unassigned open cases in it */
  readonly count: number;
  /** of which an SLA was breached */
  readonly breached: number;
  /** the opening of its oldest case, null when empty */
  readonly oldestOpenedAt: string | null;
}

export interface QueueScope {
  /** only cases routed to this vendor (an agent's); undefined: every vendor's, and unrouted cases (supervisors) */
  readonly vendorId?: string;
  /**
   * the languages the reader may take: queues of other languages are left out, and every
   * queue of these languages is listed, empty or not (an agent's eligible queues)
   */
  readonly languages?: readonly string[];
}

const byQueueId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The queues with their counts (GET /v1/queues). For an agent: the queues of the languages
 * the agent may take (`languages`: the agent's, also spoken by the vendor), each priority,
 * with the unassigned open cases routed to the agent's vendor; regional variants of those
 * languages (`fr-ca`) appear when they hold cases. Sorted by id.
 */
export const queueSummaries = async (db: SqlQueryable, scope: QueueScope = {}): Promise<QueueSummary[]> => {
  const { rows } = await db.query<{
    queue_id: string;
    language: string;
    priority: Priority;
    count: number | string;
    breached: number | string;
    oldest: Date | string | null;
  }>(
    `SELECT queue_id, language, priority, count(*) AS count, count(*) FILTER (WHERE breached) AS breached,
            min(opened_at) AS oldest
       FROM ${CASE_QUEUE_TABLE}
      WHERE status = 'open' AND assignee_id IS NULL AND ($1::text IS NULL OR vendor_id = $1)
      GROUP BY queue_id, language, priority`,
    [scope.vendorId ?? null],
  );
  const found = new Map<string, QueueSummary>();
  for (const r of rows) {
    if (scope.languages && !speaks(scope.languages, r.language)) continue;
    found.set(r.queue_id, {
      id: r.queue_id,
      language: r.language,
      priority: r.priority,
      count: Number(r.count),
      breached: Number(r.breached),
      oldestOpenedAt: r.oldest === null ? null : new Date(r.oldest).toISOString(),
    });
  }
  for (const language of scope.languages ?? [])
    for (const priority of PRIORITIES) {
      const id = `${language}-${priority}`;
      if (!found.has(id)) found.set(id, { id, language, priority, count: 0, breached: 0, oldestOpenedAt: null });
    }
  return [...found.values()].sort(byQueueId);
};

export interface QueuePageQuery extends Pick<QueueScope, 'vendorId'> {
  readonly queueId: string;
  /** 1 to 200; default 50 */
  readonly limit?: number;
  readonly cursor?: string;
}

export interface QueuePage {
  readonly queue: { readonly id: string; readonly language: string; readonly priority: Priority };
  readonly items: QueuedCase[];
  /** null on the last page */
  readonly nextCursor: string | null;
}

export const MAX_QUEUE_PAGE = 200;

/** The sort key of a row: not breached (false first), priority, due time (none last), opening, id. */
type SortKey = [notBreached: boolean, priority: string, due: string, openedAt: string, caseId: string];

const keyOf = (c: QueuedCase): SortKey => [
  !c.breached,
  c.priority,
  c.firstResponseDueAt ?? 'infinity',
  c.openedAt,
  c.caseId,
];

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const dueRank = (due: string | null): number => (due === null ? Infinity : Date.parse(due));

/**
 * The queue's order in memory, as {@link listQueue}'s `ORDER BY` sorts the rows: breached
 * first, then priority, first-response due time (none last; two "none" compare as NaN, which
 * falls through to the next key), opening, case id (bytewise, as `COLLATE "C"`). For queues
 * folded outside the table (the auditors' queue as of a moment); a spec checks the two agree.
 */
export const compareQueued = (
  a: Pick<QueuedCase, 'breached' | 'priority' | 'firstResponseDueAt' | 'openedAt' | 'caseId'>,
  b: Pick<QueuedCase, 'breached' | 'priority' | 'firstResponseDueAt' | 'openedAt' | 'caseId'>,
): number =>
  Number(!a.breached) - Number(!b.breached) ||
  compareText(a.priority, b.priority) ||
  dueRank(a.firstResponseDueAt) - dueRank(b.firstResponseDueAt) ||
  Date.parse(a.openedAt) - Date.parse(b.openedAt) ||
  compareText(a.caseId, b.caseId);

const encodeCursor = (c: QueuedCase) => Buffer.from(JSON.stringify(keyOf(c))).toString('base64url');

const decodeCursor = (cursor: string): SortKey => {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const [notBreached, priority, due, openedAt, caseId] = key;
    if (
      key.length === 5 &&
      typeof notBreached === 'boolean' &&
      (PRIORITIES as readonly unknown[]).includes(priority) &&
      typeof due === 'string' &&
      (due === 'infinity' || !Number.isNaN(Date.parse(due))) &&
      typeof openedAt === 'string' &&
      !Number.isNaN(Date.parse(openedAt)) &&
      typeof caseId === 'string'
    )
      return key as SortKey;
  } catch {
    // not JSON: refused below like any other malformed cursor
  }
  throw new InvalidQueueCursor();
};

/**
 * One page of a queue (GET /v1/queues/{id}): its unassigned open cases, breached first,
 * then by priority, then by first-response due time (cases without one last), then the
 * oldest first; keyset-paginated on that order, so a case claimed or added between pages
 * neither shifts a page nor repeats a row.
 */
export const listQueue = async (db: SqlQueryable, query: QueuePageQuery): Promise<QueuePage> => {
  const queue = parseQueueId(query.queueId);
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), MAX_QUEUE_PAGE);
  const params: unknown[] = [queue.id, query.vendorId ?? null];
  let after = '';
  if (query.cursor !== undefined) {
    const key = decodeCursor(query.cursor);
    params.push(...key);
    after = `AND ((NOT breached), priority, coalesce(first_response_due_at, 'infinity'::timestamptz), opened_at, case_id)
              > ($3::boolean, $4::text, $5::timestamptz, $6::timestamptz, $7::text)`;
  }
  params.push(limit + 1);
  const { rows } = await db.query<QueuedCaseRow>(
    `SELECT * FROM ${CASE_QUEUE_TABLE}
      WHERE queue_id = $1 AND ($2::text IS NULL OR vendor_id = $2) AND status = 'open' AND assignee_id IS NULL ${after}
      ORDER BY (NOT breached), priority, coalesce(first_response_due_at, 'infinity'::timestamptz), opened_at, case_id
      LIMIT $${params.length}`,
    params,
  );
  const items = rows.slice(0, limit).map(toQueuedCase);
  return {
    queue: { id: queue.id, language: queue.language, priority: queue.priority },
    items,
    nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null,
  };
};

/**
 * Unassigned cases in progress (open or awaiting the customer) whose vendor is one of
 * `vendorIds`, or that are routed to no vendor: what the re-router looks at.
 */
export const casesToReroute = async (
  db: SqlQueryable,
  vendorIds: readonly string[],
  limit = 500,
): Promise<QueuedCase[]> => {
  const { rows } = await db.query<QueuedCaseRow>(
    `SELECT * FROM ${CASE_QUEUE_TABLE}
      WHERE status IN ('open', 'awaiting-customer') AND assignee_id IS NULL
        AND (vendor_id IS NULL OR vendor_id = ANY($1::text[]))
      ORDER BY opened_at, case_id LIMIT $2`,
    [vendorIds, limit],
  );
  return rows.map(toQueuedCase);
};
