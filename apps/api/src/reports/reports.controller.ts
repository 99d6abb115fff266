import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequiresAction } from '@app/auth';
import { reportCsv } from '@app/read-models';
import { ApiReadProblems } from '../openapi/api-problems';
import {
  DeflectionQueryDto,
  DeflectionReportResponse,
  ReportListResponse,
  ReportQueryDto,
  ReportResponse,
} from './report.dto';
import { GetReport, ListReports } from './report.queries';

/**
 * The supervisors' reports (docs/metrics.md), from their read models (`report_*`; `intakes`
 * for the deflection report): JSON, or CSV with `Accept: text/csv`. Every answer states the
 * definition of its metric.
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

  /**
   * R5–R8: the help assistant's intakes and what became of them. The same report as
   * `GET /v1/reports/{name}` with name `deflection` (this route documents its groupings
   * and its figures); as of a past moment: `GET /v1/audit/reports/deflection?asOf=`.
   */
  @Get('deflection')
  @RequiresAction('report.read')
  @ApiOperation({
    summary:
      'The help assistant’s deflection over [from, to): intakes, deflected, attached, cases, abandoned, still open, the rate, the articles; CSV with Accept: text/csv',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: DeflectionReportResponse })
  @ApiReadProblems([400, 'a bad period, grouping or cursor (`errors` names them)'])
  deflection(
    @Query() query: DeflectionQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer('deflection', query, accept, reply);
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
  report(
    @Param('name') name: string,
    @Query() query: ReportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer(name, query, accept, reply);
  }

  private async answer(name: string, query: ReportQueryDto, accept: string | undefined, reply: FastifyReply) {
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
