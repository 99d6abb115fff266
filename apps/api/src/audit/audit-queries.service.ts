import { Inject, Injectable } from '@nestjs/common';
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
import { EVENT_STORE, SQL_DATABASE, type EventStore, type SqlDatabase } from '@app/event-store';
import { PROJECTIONS, type ProjectionRegistry } from '@app/projections';
import { CASE_REPORTS_PROJECTION } from '@app/read-models';
import type { AsOfQuery, AuditEventsQuery, ExportQuery, QueueAsOfQuery, ReportAsOfQuery } from './audit-requests.dto';

export interface CaseAsOfResponse {
  readonly asOf: string;
  readonly case: CaseView;
  readonly events: ReturnType<typeof toAuditView>[];
}

/** The audit reads of the API: thin glue over @app/audit. */
@Injectable()
export class AuditQueriesService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRegistry,
  ) {}

  verify(streamId?: string): Promise<VerifyReport> {
    return verifyHashChains(this.db, { streamId });
  }

  async caseAsOf(caseId: string, { asOf }: AsOfQuery): Promise<CaseAsOfResponse> {
    const at = this.moment(asOf);
    const { view, events } = await readCaseAsOf(this.store, caseId, at);
    return { asOf: at.toISOString(), case: view, events: events.map(toAuditView) };
  }

  queueAsOf(queueId: string, { asOf, vendor }: QueueAsOfQuery): Promise<QueueAsOfResult & { size: number }> {
    return readQueueAsOf(this.db, queueId, this.moment(asOf), { vendor }).then((q) => ({
      ...q,
      size: q.cases.length,
    }));
  }

  /**
   * A report replayed from the log as of a moment, by the registered `case-reports`
   * projection itself (so with the app's calendars): one definition of each report.
   */
  reportAsOf(name: string, { asOf, from, to, groupBy }: ReportAsOfQuery): Promise<ReportAsOfResult> {
    const projection = this.projections.get(CASE_REPORTS_PROJECTION).projection;
    return readReportAsOf(this.db, projection, name, { from, to, groupBy }, parseInstant('asOf', asOf));
  }

  events({ after, limit, type, tenant }: AuditEventsQuery): Promise<LogPage> {
    return readLogPage(this.db, { after, limit, type, tenant });
  }

  export({ from, to }: ExportQuery): AsyncGenerator<AuditEvent> {
    return exportLog(this.db, {
      from: from === undefined ? undefined : parseInstant('from', from),
      to: to === undefined ? undefined : parseInstant('to', to),
    });
  }

  private moment(asOf: string | undefined): Date {
    return asOf === undefined ? this.clock.now() : parseInstant('asOf', asOf);
  }
}
