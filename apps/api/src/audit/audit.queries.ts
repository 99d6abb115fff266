import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  exportLog,
  parseInstant,
  readCaseAsOf,
  readLogPage,
  readQueueAsOf,
  readReportAsOf,
  toAuditView,
  verifyHashChains,
  type AuditEvent,
  type LogPage,
  type QueueAsOfResult,
  type ReportAsOfResult,
  type VerifyReport,
} from '@app/audit';
import type { CaseView } from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EVENT_STORE, SQL_DATABASE, type EventStore, type SqlDatabase } from '@app/event-store';
import { PROJECTIONS, type ProjectionRegistry } from '@app/projections';
import { CASE_REPORTS_PROJECTION, REPORTS, type ReportName } from '@app/read-models';
import type { AsOfQuery, AuditEventsQuery, ExportQuery, QueueAsOfQuery, ReportAsOfQuery } from './audit-requests.dto';

// The audit reads of the API (GET /v1/audit/*): query handlers, thin glue over @app/audit.

export interface CaseAsOfResponse {
  readonly asOf: string;
  readonly case: CaseView;
  readonly events: ReturnType<typeof toAuditView>[];
}

export type QueueAsOfResponse = QueueAsOfResult & { size: number };

/** Every hash chain (or one stream's) walked, and the latest checkpoint checked. */
export class VerifyHashChains extends Query<VerifyReport> {
  constructor(readonly streamId?: string) {
    super();
  }
}

/** A case as it stood at a moment (default now), with the events that made it so. */
export class GetCaseAsOf extends Query<CaseAsOfResponse> {
  constructor(
    readonly caseId: string,
    readonly params: AsOfQuery,
  ) {
    super();
  }
}

/** A queue as it stood at a moment (default now), replayed from the log. */
export class GetQueueAsOf extends Query<QueueAsOfResponse> {
  constructor(
    readonly queueId: string,
    readonly params: QueueAsOfQuery,
  ) {
    super();
  }
}

/** A report of GET /v1/reports/{name} as it stood at a moment, replayed from the log. */
export class GetReportAsOf extends Query<ReportAsOfResult> {
  constructor(
    readonly name: string,
    readonly params: ReportAsOfQuery,
  ) {
    super();
  }
}

/** A page of the global log, in commit order. */
export class GetAuditEvents extends Query<LogPage> {
  constructor(readonly params: AuditEventsQuery) {
    super();
  }
}

/** The log recorded in [from, to), as a stream of events read as it is consumed. */
export class ExportAuditLog extends Query<AsyncGenerator<AuditEvent>> {
  constructor(readonly params: ExportQuery) {
    super();
  }
}

const momentOf = (clock: Clock, asOf: string | undefined): Date =>
  asOf === undefined ? clock.now() : parseInstant('asOf', asOf);

@QueryHandler(VerifyHashChains)
export class VerifyHashChainsHandler implements IQueryHandler<VerifyHashChains, VerifyReport> {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  execute({ streamId }: VerifyHashChains): Promise<VerifyReport> {
    // on PostgreSQL, every stream is walked in ranges on worker threads
    return verifyHashChains(this.db, { streamId, databaseUrl: this.config.databaseUrl });
  }
}

@QueryHandler(GetCaseAsOf)
export class GetCaseAsOfHandler implements IQueryHandler<GetCaseAsOf, CaseAsOfResponse> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ caseId, params }: GetCaseAsOf): Promise<CaseAsOfResponse> {
    const at = momentOf(this.clock, params.asOf);
    const { view, events } = await readCaseAsOf(this.store, caseId, at);
    return { asOf: at.toISOString(), case: view, events: events.map(toAuditView) };
  }
}

@QueryHandler(GetQueueAsOf)
export class GetQueueAsOfHandler implements IQueryHandler<GetQueueAsOf, QueueAsOfResponse> {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ queueId, params: { asOf, vendor } }: GetQueueAsOf): Promise<QueueAsOfResponse> {
    const q = await readQueueAsOf(this.db, queueId, momentOf(this.clock, asOf), { vendor });
    return { ...q, size: q.cases.length };
  }
}

/**
 * Replayed by the registered projection the report reads (`case-reports`, so with the app's
 * calendars; `intakes` for `deflection`): one definition of each report.
 */
@QueryHandler(GetReportAsOf)
export class GetReportAsOfHandler implements IQueryHandler<GetReportAsOf, ReportAsOfResult> {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRegistry,
  ) {}

  execute({ name, params: { asOf, from, to, groupBy } }: GetReportAsOf): Promise<ReportAsOfResult> {
    // an unknown name is refused by readReportAsOf (404) before any replay
    const readModel = REPORTS.get(name as ReportName)?.projection ?? CASE_REPORTS_PROJECTION;
    const projection = this.projections.get(readModel).projection;
    return readReportAsOf(this.db, projection, name, { from, to, groupBy }, parseInstant('asOf', asOf));
  }
}

@QueryHandler(GetAuditEvents)
export class GetAuditEventsHandler implements IQueryHandler<GetAuditEvents, LogPage> {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  execute({ params: { after, limit, type, tenant } }: GetAuditEvents): Promise<LogPage> {
    return readLogPage(this.db, { after, limit, type, tenant });
  }
}

@QueryHandler(ExportAuditLog)
export class ExportAuditLogHandler implements IQueryHandler<ExportAuditLog, AsyncGenerator<AuditEvent>> {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  async execute({ params: { from, to } }: ExportAuditLog): Promise<AsyncGenerator<AuditEvent>> {
    // not awaited here: the generator reads the log as the response consumes it
    return exportLog(this.db, {
      from: from === undefined ? undefined : parseInstant('from', from),
      to: to === undefined ? undefined : parseInstant('to', to),
    });
  }
}
