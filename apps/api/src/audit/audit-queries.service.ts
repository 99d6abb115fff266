import { Inject, Injectable } from '@nestjs/common';
import {
  exportLog,
  parseInstant,
  readCaseAsOf,
  readLogPage,
  readQueueAsOf,
  toAuditView,
  verifyHashChains,
  type AuditEvent,
  type LogPage,
  type QueueAsOfResult,
  type VerifyReport,
} from '@app/audit';
import type { CaseView } from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, SQL_DATABASE, type EventStore, type SqlDatabase } from '@app/event-store';
import type { AsOfQuery, AuditEventsQuery, ExportQuery } from './audit-requests.dto';

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
  ) {}

  verify(streamId?: string): Promise<VerifyReport> {
    return verifyHashChains(this.db, { streamId });
  }

  async caseAsOf(caseId: string, { asOf }: AsOfQuery): Promise<CaseAsOfResponse> {
    const at = this.moment(asOf);
    const { view, events } = await readCaseAsOf(this.store, caseId, at);
    return { asOf: at.toISOString(), case: view, events: events.map(toAuditView) };
  }

  queueAsOf(queueId: string, { asOf }: AsOfQuery): Promise<QueueAsOfResult & { size: number }> {
    return readQueueAsOf(this.db, queueId, this.moment(asOf)).then((q) => ({ ...q, size: q.cases.length }));
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
