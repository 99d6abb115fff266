import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCESS_POLICY, CurrentPrincipal, RequiresAction, type AccessPolicy, type Principal } from '@app/auth';
import type { CaseCommand, CaseState } from '@app/case-domain';
import { IdempotencyService } from '../http/idempotency.service';
import { toETag } from '../http/http.errors';
import { answerWrite, type WriteRequest } from '../http/write-request';
import { IncidentsService } from '../incidents/incidents.service';
import { CaseCommandsService } from './case-commands.service';
import { CaseQueriesService } from './case-queries.service';
import * as dto from './case-requests.dto';
import { CaseEventsResponse, CaseListResponse, CaseViewResponse } from './case-responses.dto';

type ToCommand = (state: CaseState, actor: { id: string; role: string }) => CaseCommand;

const writeHeaders = [
  { name: 'Idempotency-Key', required: false, description: 'same key and body: the same answer, nothing written again' },
  { name: 'If-Match', required: false, description: 'W/"<version>": refuse with 412 if the case moved on' },
  { name: 'X-Correlation-Id', required: false, description: 'recorded in the events; a new one when absent' },
];
const WriteHeaders = (): MethodDecorator => (target, key, descriptor) => {
  for (const h of writeHeaders) ApiHeader(h)(target, key, descriptor);
};

/** The case API (the contract of the lifecycle issue). Thin: DTO → domain command → shell. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class CasesController {
  constructor(
    private readonly commands: CaseCommandsService,
    private readonly queries: CaseQueriesService,
    private readonly incidents: IncidentsService,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  @Post()
  @RequiresAction('case.open')
  @WriteHeaders()
  @ApiOperation({ summary: 'Open a case (support admin); the priority is derived from the intake answers (R9)' })
  @ApiCreatedResponse({ type: CaseViewResponse })
  open(@Body() body: dto.OpenCaseRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return answerWrite(this.idempotency, req, res, p, async (write) => {
      const caseId = crypto.randomUUID();
      return this.run(caseId, write, 201, (_s, actor) => ({
        type: 'OpenCase',
        caseId,
        actor,
        tenant: 'org' in p ? p.org : '',
        requester: { id: p.sub, email: p.email ?? '' },
        ...body,
        impact: { ...body.impact },
      }));
    });
  }

  @Get()
  @RequiresAction('case.list')
  @ApiOperation({ summary: 'Cases the caller may see (own organisation for customers), newest first' })
  @ApiOkResponse({ type: CaseListResponse })
  async list(@Query() query: dto.ListCasesQuery, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: FastifyReply) {
    const { caughtUp, ...page } = await this.queries.list(p, query);
    // a list may trail the log by a moment; say so when the caller's own write is not in it yet
    void res.header('x-read-model-caught-up', String(caughtUp));
    return page;
  }

  @Get(':id')
  @RequiresAction('case.read')
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiNotFoundResponse({ description: 'unknown case, or one the caller may not see' })
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    const view = await this.queries.get(id, p);
    void reply.header('etag', toETag(view.version));
    return view;
  }

  @Get(':id/events')
  @RequiresAction('case.read')
  @ApiOkResponse({ type: CaseEventsResponse })
  events(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() p: Principal) {
    return this.queries.events(id, p);
  }

  @Post(':id/assignment')
  @RequiresAction('case.claim')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOperation({ summary: 'Claim the case (agent), or assign it to an agent (supervisor)' })
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiConflictResponse({ description: 'held by another agent (CASE.HELD_BY_ANOTHER_AGENT)' })
  assign(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.AssignCaseRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    const agentId = body.agentId ?? p.sub;
    // naming someone else is a reassignment: a supervisor's right
    if (agentId !== p.sub || p.role === 'supervisor') this.policy.authorize(p, 'case.reassign');
    return this.write(id, [p, req, res], (_s, actor) => ({
      type: 'AssignCase',
      caseId: id,
      actor,
      agentId,
      byId: p.sub,
      force: p.role === 'supervisor',
    }));
  }

  @Post(':id/responses')
  @RequiresAction('case.respond')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOkResponse({ type: CaseViewResponse })
  respond(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.MessageRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.write(id, [p, req, res], (_s, actor) => ({ type: 'RespondToCase', caseId: id, actor, agentId: actor.id, ...body }));
  }

  @Post(':id/info-requests')
  @RequiresAction('case.request-info')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOperation({ summary: 'Ask the customer for information (R11); the case then awaits the customer' })
  @ApiOkResponse({ type: CaseViewResponse })
  requestInfo(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.RequestInfoRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.write(id, [p, req, res], (_s, actor) => ({ type: 'RequestInfo', caseId: id, actor, agentId: actor.id, ...body }));
  }

  @Post(':id/info')
  @RequiresAction('case.provide-info')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOkResponse({ type: CaseViewResponse })
  provideInfo(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.ProvideInfoRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.write(id, [p, req, res], (_s, actor) => ({
      type: 'ProvideInfo',
      caseId: id,
      actor,
      message: body.message,
      attachments: body.attachments?.map((a) => ({ ...a })),
    }));
  }

  @Post(':id/replies')
  @RequiresAction('case.reply')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOkResponse({ type: CaseViewResponse })
  reply(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.MessageRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.write(id, [p, req, res], (_s, actor) => ({ type: 'ReplyToCase', caseId: id, actor, ...body }));
  }

  @Post(':id/escalations')
  @RequiresAction('case.escalate')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOkResponse({ type: CaseViewResponse })
  escalate(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.EscalateRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.write(id, [p, req, res], (_s, actor) => ({ type: 'EscalateCase', caseId: id, actor, ...body }));
  }

  @Post(':id/priority')
  @RequiresAction('case.change-priority')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOkResponse({ type: CaseViewResponse })
  changePriority(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.ChangePriorityRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.write(id, [p, req, res], (_s, actor) => ({ type: 'ChangePriority', caseId: id, actor, ...body }));
  }

  @Post(':id/resolution')
  @RequiresAction('case.resolve')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOperation({ summary: 'Resolve with an outcome (R12); the survey is sent right after (R15)' })
  @ApiOkResponse({ type: CaseViewResponse })
  resolve(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.ResolveRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.write(id, [p, req, res], (_s, actor) => ({ type: 'ResolveCase', caseId: id, actor, ...body }));
  }

  @Post(':id/reopen')
  @RequiresAction('case.reopen')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOkResponse({ type: CaseViewResponse })
  reopen(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.ReasonRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.write(id, [p, req, res], (_s, actor) => ({ type: 'ReopenCase', caseId: id, actor, ...body }));
  }

  @Post(':id/incident-link')
  @RequiresAction('case.link-incident')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOkResponse({ type: CaseViewResponse })
  async linkIncident(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.LinkIncidentRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    await this.incidents.assertExists(body.incidentId);
    return this.write(id, [p, req, res], (_s, actor) => ({ type: 'LinkToIncident', caseId: id, actor, incidentId: body.incidentId }));
  }

  @Post(':id/credit-requests')
  @RequiresAction('case.request-credit')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOkResponse({ type: CaseViewResponse })
  requestCredit(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.RequestCreditRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.write(id, [p, req, res], (_s, actor) => ({ type: 'RequestCredit', caseId: id, actor, ...body }));
  }

  @Post(':id/credits')
  @RequiresAction('case.issue-credit')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOperation({ summary: 'Issue the requested credit (supervisor; R14: linked incident, requested, once)' })
  @ApiOkResponse({ type: CaseViewResponse })
  issueCredit(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.IssueCreditRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.write(id, [p, req, res], (_s, actor) => ({ type: 'IssueCredit', caseId: id, actor, ...body }));
  }

  @Post(':id/incident-report-requests')
  @RequiresAction('case.request-incident-report')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOkResponse({ type: CaseViewResponse })
  requestIncidentReport(@Param('id', ParseUUIDPipe) id: string, @Body() _body: dto.EmptyRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.write(id, [p, req, res], (_s, actor) => ({ type: 'RequestIncidentReport', caseId: id, actor }));
  }

  @Post(':id/incident-reports')
  @RequiresAction('case.send-incident-report')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOkResponse({ type: CaseViewResponse })
  sendIncidentReport(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.SendIncidentReportRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.write(id, [p, req, res], (_s, actor) => ({ type: 'SendIncidentReport', caseId: id, actor, ...body }));
  }

  @Post(':id/survey-response')
  @RequiresAction('case.answer-survey')
  @HttpCode(200)
  @WriteHeaders()
  @ApiOkResponse({ type: CaseViewResponse })
  answerSurvey(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.SurveyResponseRequest, @CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply) {
    return this.write(id, [p, req, res], (_s, actor) => ({ type: 'AnswerSurvey', caseId: id, actor, ...body }));
  }

  private write(caseId: string, [p, req, reply]: Ctx, toCommand: ToCommand) {
    return answerWrite(this.idempotency, req, reply, p, (write) => this.run(caseId, write, 200, toCommand));
  }

  private async run(caseId: string, write: WriteRequest, status: number, toCommand: ToCommand) {
    const actor = { id: write.principal.sub, role: write.principal.role };
    const { view, position } = await this.commands.execute(caseId, write, (state) => toCommand(state, actor));
    const headers: Record<string, string> = { etag: toETag(view.version) };
    if (status === 201) headers.location = `/v1/cases/${view.id}`;
    if (position !== undefined) headers['x-log-position'] = String(position);
    return { status, body: view, headers };
  }
}

/** principal, request, reply: what every write route passes on */
type Ctx = [principal: Principal, req: FastifyRequest, reply: FastifyReply];
