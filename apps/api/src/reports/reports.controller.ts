import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequiresAction } from '@app/auth';
import { CLOCK, type Clock } from '@app/clock';
import { SQL_DATABASE, type SqlDatabase } from '@app/event-store';
import { PROJECTIONS, type ProjectionRegistry } from '@app/projections';
import { CASE_REPORTS_PROJECTION, reportCsv, REPORTS, runReport } from '@app/read-models';
import { caughtUpWith } from '../read-models/read-your-writes';
import { ReportListResponse, ReportQueryDto, ReportResponse } from './report.dto';

/**
 * The supervisors' reports (docs/metrics.md), from the `report_*` read models: JSON, or CSV
 * with `Accept: text/csv`. Every answer states the definition of its metric.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports')
export class ReportsController {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @RequiresAction('report.read')
  @ApiOperation({ summary: 'The reports, their definitions and how each may be grouped' })
  @ApiOkResponse({ type: ReportListResponse })
  list() {
    return {
      items: [...REPORTS.values()].map((r) => ({
        name: r.name,
        title: r.title,
        definition: r.definition,
        defaultGroupBy: r.groupBy.default,
        groupBy: r.groupBy.allowed,
        pointInTime: r.pointInTime === true,
      })),
    };
  }

  @Get(':name')
  @RequiresAction('report.read')
  @ApiOperation({ summary: 'One report over [from, to), grouped; CSV with Accept: text/csv' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ReportResponse })
  @ApiNotFoundResponse({ description: 'REPORT.UNKNOWN' })
  async report(
    @Param('name') name: string,
    @Query() query: ReportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const caughtUp = await caughtUpWith(this.projections, CASE_REPORTS_PROJECTION, query.after);
    const result = await runReport(this.db, name, query, this.clock.now());
    void reply.header('x-caught-up', String(caughtUp));
    if (!/\btext\/csv\b/i.test(accept ?? '')) return { ...result, caughtUp };
    const period = result.from ? `${result.from}_${result.to}` : result.to;
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${result.report}_${period.replace(/[:.]/g, '-')}.csv"`);
    return reportCsv(result);
  }
}
