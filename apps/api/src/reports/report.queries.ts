import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/clock';
import { SQL_DATABASE, type SqlDatabase } from '@app/event-store';
import { PROJECTIONS, type ProjectionRegistry } from '@app/projections';
import {
  CASE_REPORTS_PROJECTION,
  checkReport,
  REPORTS,
  runCheckedReport,
  type GroupBy,
  type ReportName,
  type ReportResult,
} from '@app/read-models';
import { caughtUpWith } from '../read-models/read-your-writes';
import type { ReportQueryDto } from './report.dto';
import { CheckpointCache } from '../read-models/checkpoint-cache';

export interface ReportInfoView {
  readonly name: string;
  readonly title: string;
  readonly definition: string;
  readonly defaultGroupBy: GroupBy;
  readonly groupBy: readonly GroupBy[];
  readonly pointInTime: boolean;
}

/**
 * A report over a fixed period is kept while its read model has not moved (CheckpointCache),
 * and for at most this long: a running clock (sla-attainment's pending and breached) is
 * judged at the moment the answer was computed, never longer ago than this.
 */
export const REPORT_CACHE_MAX_AGE_MS = 10_000;
const REPORT_CACHE_ENTRIES = 256;

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

  /** per read model: a report over a fixed period (`to` given), as long as its read model has not moved */
  private readonly caches = new Map<string, CheckpointCache<ReportResult>>();
  private cacheOf(projection: string): CheckpointCache<ReportResult> {
    let cache = this.caches.get(projection);
    if (!cache)
      this.caches.set(
        projection,
        (cache = new CheckpointCache(this.projections, projection, {
          maxAgeMs: REPORT_CACHE_MAX_AGE_MS,
          maxEntries: REPORT_CACHE_ENTRIES,
        })),
      );
    return cache;
  }

  async execute({ name, params }: GetReport): Promise<ReportView> {
    // the read model the report reads (an unknown name is refused by checkReport: 404)
    const projection = REPORTS.get(name as ReportName)?.projection ?? CASE_REPORTS_PROJECTION;
    const caughtUp = await caughtUpWith(this.projections, projection, params.after);
    const now = this.clock.now();
    const checked = checkReport(name, params, now);
    // a period ending now moves with every request: computed each time
    if (params.to === undefined || params.to === '') return { ...(await runCheckedReport(this.db, checked)), caughtUp };
    const key = JSON.stringify([name, checked.from.toISOString(), checked.to.toISOString(), checked.groupBy]);
    const result = await this.cacheOf(projection).get(key, now.getTime(), () => runCheckedReport(this.db, checked));
    return { ...result, caughtUp };
  }
}
