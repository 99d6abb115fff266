import { Readable } from 'node:stream';
import {
  Controller,
  Get,
  Headers,
  Inject,
  Param,
  ParseUUIDPipe,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequiresAction } from '@app/auth';
import { reportCsv } from '@app/read-models';
import { ApiReadProblems, type ProblemSpec } from '../openapi/api-problems';
import { AuditAccessInterceptor } from './audit-access.interceptor';
import {
  AsOfQuery,
  AuditEventsQuery,
  ExportQuery,
  QueueAsOfQuery,
  ReportAsOfQuery,
  VerifyQuery,
} from './audit-requests.dto';
import {
  ExportAuditLog,
  GetAuditEvents,
  GetCaseAsOf,
  GetQueueAsOf,
  GetReportAsOf,
  VerifyHashChains,
} from './audit.queries';

const PROBLEM_TYPE = 'https://support-backend.dev/problems/audit-chain-broken';

const NOT_AN_AUDITOR: ProblemSpec = [403, 'not an auditor (AUTH.FORBIDDEN)'];
const BAD_INSTANT: ProblemSpec = [
  400,
  'a bad parameter (`errors` names it): asOf missing or not an instant with a time zone (AUDIT.INVALID_INSTANT), …',
];

/**
 * /v1/audit: integrity and point-in-time replay, for auditors (audit.read, audit.verify,
 * audit.export in @app/auth's matrix); the reports as of a moment also for supervisors, whose
 * reports they are (audit.read-report). Every answered request is first recorded in the
 * day's audit-access stream (AuditAccessInterceptor).
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
@RequiresAction('audit.read')
@UseInterceptors(AuditAccessInterceptor)
export class AuditController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get('verify')
  @RequiresAction('audit.verify')
  @ApiOperation({ summary: 'Walk every hash chain (or one stream) and check the latest checkpoint' })
  @ApiOkResponse({ description: 'every chain is intact: the verification report' })
  @ApiReadProblems(NOT_AN_AUDITOR, 400, [
    409,
    'a broken link (AUDIT.CHAIN_BROKEN): the problem names the first one (`firstBreak`) and carries the `report`',
  ])
  async verify(
    @Query() query: VerifyQuery,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.queries.execute(new VerifyHashChains(query.stream));
    if (report.ok) return report;
    // a broken chain answers like a failed check, so `curl --fail` and monitors notice
    void reply.status(409).header('content-type', 'application/problem+json');
    return {
      type: PROBLEM_TYPE,
      title: 'Conflict',
      status: 409,
      code: 'AUDIT.CHAIN_BROKEN',
      detail: `The recorded history was altered: ${report.firstBreak?.detail ?? 'see the report'}.`,
      instance: req.url,
      firstBreak: report.firstBreak,
      report,
    };
  }

  @Get('cases/:id')
  @ApiOperation({ summary: 'The case as it stood at a moment, with the events that made it so' })
  @ApiOkResponse({ description: '{ asOf, case, events }' })
  @ApiReadProblems(NOT_AN_AUDITOR, BAD_INSTANT, [404, 'the case did not exist at that moment (AUDIT.CASE_NOT_FOUND)'])
  caseAsOf(@Param('id', ParseUUIDPipe) id: string, @Query() query: AsOfQuery) {
    return this.queries.execute(new GetCaseAsOf(id, query));
  }

  @Get('queues/:id')
  @ApiOperation({
    summary: 'A queue (<language>-<priority>, e.g. fr-P2) as it stood at a moment, replayed from the log',
  })
  @ApiOkResponse({
    description:
      '{ queue, language, priority, vendor?, asOf, size, cases, eventsReplayed }: each case as the live queue shows it, with its vendor',
  })
  @ApiReadProblems(NOT_AN_AUDITOR, [
    400,
    'a queue id that is not <language>-<priority> (AUDIT.INVALID_QUEUE_ID), or a bad asOf (AUDIT.INVALID_INSTANT)',
  ])
  queueAsOf(@Param('id') id: string, @Query() query: QueueAsOfQuery) {
    return this.queries.execute(new GetQueueAsOf(id, query));
  }

  @Get('reports/:name')
  @RequiresAction('audit.read-report')
  @ApiOperation({
    summary:
      'A report of GET /v1/reports/{name} as it stood at a moment, replayed from the log (supervisors and auditors); CSV with Accept: text/csv',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      'the report of GET /v1/reports/{name} (same parameters, rows, columns and CSV) with asOf, eventsReplayed and streamsParked; `to` defaults to asOf',
  })
  @ApiReadProblems(
    [403, 'neither an auditor nor a supervisor (AUTH.FORBIDDEN)'],
    [400, 'asOf missing or not an instant with a time zone; a parameter the report does not take'],
    [404, 'an unknown report (REPORT.UNKNOWN)'],
  )
  async reportAsOf(
    @Param('name') name: string,
    @Query() query: ReportAsOfQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.queries.execute(new GetReportAsOf(name, query));
    // a replay holds every event recorded up to asOf: caught up by construction
    void reply.header('x-caught-up', 'true');
    if (!/\btext\/csv\b/i.test(accept ?? '')) return { ...result, caughtUp: true };
    const period = result.from ? `${result.from}_${result.to}` : result.to;
    const file = `${result.report}_${period}_as-of_${result.asOf}`.replace(/[:.]/g, '-');
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file}.csv"`);
    return reportCsv(result);
  }

  @Get('events')
  @ApiOperation({ summary: 'The global log in commit order, paginated: pass `next` as `after`' })
  @ApiOkResponse({ description: '{ events, next, hasMore }' })
  @ApiReadProblems(NOT_AN_AUDITOR, [
    400,
    'a bad parameter (`errors` names it), or an `after` that is no stored position (AUDIT.UNKNOWN_POSITION)',
  ])
  events(@Query() query: AuditEventsQuery) {
    return this.queries.execute(new GetAuditEvents(query));
  }

  @Get('export')
  @RequiresAction('audit.export')
  @ApiOperation({ summary: 'The log recorded in [from, to), streamed as NDJSON (one event per line, with its hash)' })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'one event per line, in commit order, each with its hash' })
  @ApiReadProblems(NOT_AN_AUDITOR, [400, 'from or to not an instant with a time zone (`errors` names it)'])
  async export(@Query() query: ExportQuery, @Res() reply: FastifyReply) {
    const events = await this.queries.execute(new ExportAuditLog(query));
    const lines = Readable.from(
      (async function* () {
        for await (const event of events) yield `${JSON.stringify(event)}\n`;
      })(),
    );
    await reply.header('content-type', 'application/x-ndjson').send(lines);
  }
}
