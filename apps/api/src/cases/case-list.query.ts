import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@app/auth';
import { caseListItemFor } from '@app/case-domain';
import { SQL_DATABASE, type SqlDatabase } from '@app/event-store';
import { InvalidCursor, PROJECTIONS, type ProjectionRegistry } from '@app/projections';
import { CASE_QUEUE_TABLE, caseSummariesProjection, listCaseSummaries, type CaseSummary } from '@app/read-models';
import { HttpEdgeError } from '../http/http.errors';
import { audienceOf } from './case-views';
import { READ_YOUR_WRITES_TIMEOUT_MS } from '../read-models/read-your-writes';
import type { CaseStatus, Priority } from '@app/case-domain';

export interface ListCasesFilter {
  readonly status?: string;
  readonly priority?: string;
  readonly limit?: number;
  readonly cursor?: string;
  /** a global position a write answered with (x-log-position): wait until the list includes it */
  readonly after?: number;
}

export interface CaseListItem {
  readonly id: string;
  readonly status: CaseStatus;
  readonly priority: Priority;
  readonly subject: string;
  readonly product: string;
  readonly language: string;
  readonly channel: string;
  readonly tenant: string;
  readonly requesterId: string;
  /** staff only; customers see `assigneeName` (case-audience.ts) */
  readonly assigneeId?: string;
  readonly assigneeName?: string;
  readonly incidentId?: string;
  readonly outcome?: string;
  readonly openedAt: string;
  readonly updatedAt: string;
  readonly resolvedAt?: string;
  readonly closedAt?: string;
  readonly cycle: number;
  readonly version: number;
}

export interface CaseListPage {
  readonly items: readonly CaseListItem[];
  readonly nextCursor?: string;
  /** false when `after` was given and the read model had not reached it within 2 s */
  readonly caughtUp: boolean;
}

export class BadCursor extends HttpEdgeError {
  readonly status = 400;
  readonly code = 'HTTP.BAD_CURSOR';
  constructor() {
    super('The cursor is not one a previous page returned; start again without it.');
  }
}

const toItem = (s: CaseSummary): CaseListItem =>
  Object.fromEntries(
    Object.entries({
      id: s.caseId,
      status: s.status,
      priority: s.priority,
      subject: s.subject,
      product: s.product,
      language: s.language,
      channel: s.channel,
      tenant: s.tenant,
      requesterId: s.requesterId,
      assigneeId: s.assigneeId,
      incidentId: s.incidentId,
      outcome: s.outcome,
      openedAt: s.openedAt,
      updatedAt: s.updatedAt,
      resolvedAt: s.resolvedAt,
      closedAt: s.closedAt,
      cycle: s.cycle,
      version: s.version,
    }).filter(([, v]) => v !== null && v !== undefined),
  ) as unknown as CaseListItem;

/**
 * GET /v1/cases from the case-summaries projection, newest first, keyset-paginated.
 * Customers see their organisation's cases (R3), agents the cases in their languages that
 * are routed to their vendor (R4), supervisors and auditors all.
 */
@Injectable()
export class CaseListQuery {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRegistry,
  ) {}

  async list(principal: Principal, filter: ListCasesFilter): Promise<CaseListPage> {
    const caughtUp =
      filter.after === undefined ||
      (await this.projections
        .get(caseSummariesProjection.name)
        .waitForPosition(filter.after, READ_YOUR_WRITES_TIMEOUT_MS));
    // canSeeCase's rules as SQL (R3 tenant; R4 vendor and languages), so that a page holds
    // `limit` visible cases whenever there are that many and the cursor skips none. Regions
    // are no part of visibility: they only rank vendors when a case is routed (R16).
    const scope =
      'org' in principal
        ? { tenant: principal.org }
        : principal.role === 'agent'
          ? { vendorId: principal.vendor, languages: principal.languages }
          : {};
    const page = await listCaseSummaries(
      this.db,
      {
        ...scope,
        status: filter.status as CaseStatus | undefined,
        priority: filter.priority as Priority | undefined,
        limit: filter.limit,
        cursor: filter.cursor,
      },
      // only while an upgraded deployment rebuilds case_summaries with its vendor column
      { routedVendorFallback: CASE_QUEUE_TABLE },
    ).catch((e: unknown) => {
      throw e instanceof InvalidCursor ? new BadCursor() : e;
    });
    const audience = audienceOf(principal);
    const items = page.items.map((s) => caseListItemFor(toItem(s), audience));
    return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), caughtUp };
  }
}
