import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/clock';
import { SQL_DATABASE, type SqlDatabase } from '@app/event-store';
import { PROJECTIONS, type ProjectionRegistry } from '@app/projections';
import {
  CASE_REPORTS_PROJECTION,
  REPORTS,
  runReport,
  type GroupBy,
  type ReportName,
  type ReportResult,
} from '@app/read-models';
import { caughtUpWith } from '../read-models/read-your-writes';
import type { ReportQueryDto } from './report.dto';

export interface ReportInfoView {
  readonly name: string;
  readonly title: string;
  readonly definition: string;
  readonly defaultGroupBy: GroupBy;
  readonly groupBy: readonly GroupBy[];
  readonly pointInTime: boolean;
}

export type ReportView = ReportResult & { readonly caughtUp: boolean };

/** The reports, their definitions and how each may be grouped (GET /v1/reports). */
export class ListReports extends Query<ReportInfoView[]> {}

/** One report over [from, to), grouped, from its read model (GET /v1/reports/{name}). */
export class GetReport extends Query<ReportView> {
  constructor(
    readonly name: string,
    readonly params: ReportQueryDto,
  ) {
    super();
  }
}

@QueryHandler(ListReports)
export class ListReportsHandler implements IQueryHandler<ListReports, ReportInfoView[]> {
  execute(): Promise<ReportInfoView[]> {
    return Promise.resolve(
      [...REPORTS.values()].map((r) => ({
        name: r.name,
        title: r.title,
        definition: r.definition,
        defaultGroupBy: r.groupBy.default,
        groupBy: r.groupBy.allowed,
        pointInTime: r.pointInTime === true,
      })),
    );
  }
}

@QueryHandler(GetReport)
export class GetReportHandler implements IQueryHandler<GetReport, ReportView> {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ name, params }: GetReport): Promise<ReportView> {
    // the read model the report reads (an unknown name is refused by runReport: 404)
    const projection = REPORTS.get(name as ReportName)?.projection ?? CASE_REPORTS_PROJECTION;
    const caughtUp = await caughtUpWith(this.projections, projection, params.after);
    const result = await runReport(this.db, name, params, this.clock.now());
    return { ...result, caughtUp };
  }
}
