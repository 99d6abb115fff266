import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequiresAction } from '@app/auth';
import { reportCsv } from '@app/read-models';
import { ApiReadProblems } from '../openapi/api-problems';
import { ReportListResponse, ReportQueryDto, ReportResponse } from './report.dto';
import { GetReport, ListReports } from './report.queries';

/**
 * The supervisors' reports (docs/metrics.md), from the `report_*` read models: JSON, or CSV
 * with `Accept: text/csv`. Every answer states the definition of its metric.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports')
export class ReportsController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get()
  @RequiresAction('report.read')
  @ApiOperation({ summary: 'The reports, their definitions and how each may be grouped' })
  @ApiOkResponse({ type: ReportListResponse })
  @ApiReadProblems()
  async list() {
    return { items: await this.queries.execute(new ListReports()) };
  }

  @Get(':name')
  @RequiresAction('report.read')
  @ApiOperation({ summary: 'One report over [from, to), grouped; CSV with Accept: text/csv' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ReportResponse })
  @ApiReadProblems(
    [400, 'a bad period, grouping or cursor, or a parameter the report does not take (`errors` names them)'],
    [404, 'an unknown report (REPORT.UNKNOWN)'],
  )
  async report(
    @Param('name') name: string,
    @Query() query: ReportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { caughtUp, ...result } = await this.queries.execute(new GetReport(name, query));
    void reply.header('x-caught-up', String(caughtUp));
    if (!/\btext\/csv\b/i.test(accept ?? '')) return { ...result, caughtUp };
    const period = result.from ? `${result.from}_${result.to}` : result.to;
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${result.report}_${period.replace(/[:.]/g, '-')}.csv"`);
    return reportCsv(result);
  }
}
