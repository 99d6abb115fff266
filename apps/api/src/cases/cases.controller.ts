import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ACCESS_POLICY, CurrentPrincipal, RequiresAction, toActor, type AccessPolicy, type Principal } from '@app/auth';
import type { Actor, Assignee, CaseCommand } from '@app/case-domain';
import { ChangeCase, newCaseId } from '@app/commands';
import { toETag } from '../http/http.errors';
import { ApiReadProblems, ApiWriteProblems, type ProblemSpec } from '../openapi/api-problems';
import { CurrentWrite, Write, type WriteContext } from '../http/write.interceptor';
import type { WriteAnswer } from '../http/idempotency.service';
import { GetIncident, UnknownIncident } from '../incidents/incident.queries';
import { AttachmentReferences } from '../attachments/attachment-references';
import { CaseViews } from './case-views';
import { GetCase, GetCaseEvents, ListCases } from './case.queries';
import * as dto from './case-requests.dto';
import { CaseEventsResponse, CaseListResponse, CaseViewResponse } from './case-responses.dto';

type ToCommand = (actor: Actor) => CaseCommand;

/** R3, R4: a case of another organisation, or not routed to the agent's vendor, is an unknown case. */
const CASE_NOT_FOUND: ProblemSpec = [404, 'an unknown case, or one the caller may not see (CASE.NOT_FOUND)'];

/** The problems of a write to one case (`POST /v1/cases/{id}/…`), plus what refuses it (409). */
const ApiCaseWriteProblems = (codes: string) =>
  ApiWriteProblems({ ifMatch: true }, CASE_NOT_FOUND, [409, `a rule of the support policy refuses it, e.g. ${codes}`]);

/** The case API (its contract: the OpenAPI document, /docs-json). Thin: DTO → domain command → shell. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class CasesController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(CaseViews) private readonly views: CaseViews,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
    @Inject(AttachmentReferences) private readonly attachments: AttachmentReferences,
  ) {}

  @Post()
  @RequiresAction('case.open')
  @Write()
  @ApiOperation({ summary: 'Open a case (support admin); the priority is derived from the intake answers (R9)' })
  @ApiCreatedResponse({ type: CaseViewResponse })
  @ApiWriteProblems({ ifMatch: true })
  open(@Body() body: dto.OpenCaseRequest, @CurrentWrite() w: WriteContext) {
    // under an Idempotency-Key the id derives from the key: a retry finds the case it opened
    const caseId = newCaseId(w.idempotency);
    const p = w.principal;
    const open: ToCommand = (actor) => ({
      type: 'OpenCase',
      caseId,
      actor,
      tenant: 'org' in p ? p.org : '',
      requester: { id: p.sub, email: p.email ?? '' },
      ...body,
      impact: { ...body.impact },
    });
    return this.change(caseId, w, open, 201);
  }

  @Get()
  @RequiresAction('case.list')
  @ApiOperation({ summary: 'Cases the caller may see (own organisation for customers), newest first' })
  @ApiOkResponse({ type: CaseListResponse })
  @ApiReadProblems([400, 'a bad filter or cursor (HTTP.VALIDATION_FAILED: `errors` names the parameters)'])
  async list(
    @Query() query: dto.ListCasesQuery,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const { caughtUp, ...page } = await this.queries.execute(new ListCases(p, query));
    // a list may trail the log by a moment; say so when the caller's own write is not in it yet
    void res.header('x-read-model-caught-up', String(caughtUp));
    return page;
  }

  @Get(':id')
  @RequiresAction('case.read')
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiOperation({ summary: 'The case as it stands now, its version as ETag' })
  @ApiReadProblems(400, CASE_NOT_FOUND)
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const view = await this.queries.execute(new GetCase(id, p));
    void reply.header('etag', toETag(view.version));
    return view;
  }

  @Get(':id/events')
  @RequiresAction('case.read')
  @ApiOkResponse({ type: CaseEventsResponse })
  @ApiOperation({ summary: 'The events of the case, oldest first' })
  @ApiReadProblems(400, CASE_NOT_FOUND)
  events(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() p: Principal) {
    return this.queries.execute(new GetCaseEvents(id, p));
  }

  @Post(':id/assignment')
  @RequiresAction('case.claim')
  @HttpCode(200)
  @Write()
  @ApiOperation({ summary: 'Claim the case (agent), or assign it to an agent (supervisor)' })
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiCaseWriteProblems('CASE.HELD_BY_ANOTHER_AGENT, CASE.ALREADY_CLOSED')
  assign(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.AssignCaseRequest, @CurrentWrite() w: WriteContext) {
    const p = w.principal;
    const agentId = body.agentId ?? p.sub;
    // naming someone else is a reassignment: a supervisor's right
    if (agentId !== p.sub || p.role === 'supervisor') this.policy.authorize(p, 'case.reassign');
    // R4: who will hold it; the caller's own token says it on a claim, the agents directory
    // (looked up by the command handler) when a supervisor names someone; the domain decides
    const assignee: Assignee | undefined =
      agentId !== p.sub
        ? undefined
        : p.role === 'agent'
          ? { kind: 'agent', vendorId: p.vendor, languages: p.languages }
          : p.role === 'supervisor'
            ? { kind: 'supervisor' }
            : undefined;
    return this.change(id, w, (actor) => ({
      type: 'AssignCase',
      caseId: id,
      actor,
      agentId,
      byId: p.sub,
      force: p.role === 'supervisor',
      ...(assignee === undefined ? {} : { assignee }),
    }));
  }

  @Post(':id/responses')
  @RequiresAction('case.respond')
  @HttpCode(200)
  @Write()
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiOperation({ summary: 'Respond to the customer (agent or supervisor)' })
  @ApiCaseWriteProblems('CASE.ALREADY_CLOSED, CASE.ALREADY_RESOLVED')
  respond(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.MessageRequest, @CurrentWrite() w: WriteContext) {
    return this.change(id, w, (actor) => ({ type: 'RespondToCase', caseId: id, actor, agentId: actor.id, ...body }));
  }

  @Post(':id/info-requests')
  @RequiresAction('case.request-info')
  @HttpCode(200)
  @Write()
  @ApiOperation({ summary: 'Ask the customer for information (R11); the case then awaits the customer' })
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiCaseWriteProblems('CASE.ALREADY_CLOSED, CASE.ALREADY_RESOLVED')
  requestInfo(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.RequestInfoRequest,
    @CurrentWrite() w: WriteContext,
  ) {
    return this.change(id, w, (actor) => ({ type: 'RequestInfo', caseId: id, actor, agentId: actor.id, ...body }));
  }

  @Post(':id/info')
  @RequiresAction('case.provide-info')
  @HttpCode(200)
  @Write()
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiOperation({
    summary:
      'Provide the information the agent asked for (support admin), with the files uploaded to the case (R11: POST /v1/cases/{id}/attachments)',
  })
  @ApiCaseWriteProblems(
    'CASE.ALREADY_CLOSED, CASE.ALREADY_RESOLVED, ATTACHMENT.NOT_STORED (a file not uploaded), ATTACHMENT.MISMATCH (not its stored size or type)',
  )
  async provideInfo(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.ProvideInfoRequest,
    @CurrentWrite() w: WriteContext,
  ) {
    const attachments = await this.storedAttachments(id, w, body.attachments);
    return this.change(id, w, (actor) => ({
      type: 'ProvideInfo',
      caseId: id,
      actor,
      message: body.message,
      attachments,
    }));
  }

  @Post(':id/replies')
  @RequiresAction('case.reply')
  @HttpCode(200)
  @Write()
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiOperation({
    summary:
      'Reply to the agent (support admin), with the files uploaded to the case or none; a reply on a resolved case reopens it (R15), until it is closed',
  })
  @ApiCaseWriteProblems(
    'CASE.ALREADY_CLOSED (open a new case with relatedCaseId), ATTACHMENT.NOT_STORED (a file not uploaded), ATTACHMENT.MISMATCH (not its stored size or type)',
  )
  async reply(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.ReplyRequest, @CurrentWrite() w: WriteContext) {
    const attachments = await this.storedAttachments(id, w, body.attachments);
    return this.change(id, w, (actor) => ({
      type: 'ReplyToCase',
      caseId: id,
      actor,
      message: body.message,
      ...(attachments === undefined ? {} : { attachments }),
    }));
  }

  @Post(':id/escalations')
  @RequiresAction('case.escalate')
  @HttpCode(200)
  @Write()
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiOperation({ summary: 'Escalate to the product team, a third party or a supervisor' })
  @ApiCaseWriteProblems('CASE.ALREADY_CLOSED, CASE.ALREADY_RESOLVED')
  escalate(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.EscalateRequest, @CurrentWrite() w: WriteContext) {
    return this.change(id, w, (actor) => ({ type: 'EscalateCase', caseId: id, actor, ...body }));
  }

  @Post(':id/notes')
  @RequiresAction('case.add-note')
  @HttpCode(200)
  @Write()
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiOperation({
    summary:
      "Add an internal note (agent of the case's vendor, supervisor): seen by staff only, never by the customer, on Kafka or in an e-mail",
  })
  @ApiCaseWriteProblems('CASE.ALREADY_CLOSED')
  addNote(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.MessageRequest, @CurrentWrite() w: WriteContext) {
    return this.change(id, w, (actor) => ({ type: 'AddInternalNote', caseId: id, actor, message: body.message }));
  }

  @Post(':id/priority')
  @RequiresAction('case.change-priority')
  @HttpCode(200)
  @Write()
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiOperation({ summary: 'Change the priority, with a reason' })
  @ApiCaseWriteProblems('CASE.ALREADY_CLOSED, CASE.ALREADY_RESOLVED')
  changePriority(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.ChangePriorityRequest,
    @CurrentWrite() w: WriteContext,
  ) {
    return this.change(id, w, (actor) => ({ type: 'ChangePriority', caseId: id, actor, ...body }));
  }

  @Post(':id/resolution')
  @RequiresAction('case.resolve')
  @HttpCode(200)
  @Write()
  @ApiOperation({ summary: 'Resolve with an outcome (R12); the survey is sent right after (R15)' })
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiCaseWriteProblems('CASE.ALREADY_RESOLVED, CASE.ALREADY_CLOSED')
  resolve(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.ResolveRequest, @CurrentWrite() w: WriteContext) {
    return this.change(id, w, (actor) => ({ type: 'ResolveCase', caseId: id, actor, ...body }));
  }

  @Post(':id/reopen')
  @RequiresAction('case.reopen')
  @HttpCode(200)
  @Write()
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiOperation({ summary: 'Reopen a resolved case, with a reason' })
  @ApiCaseWriteProblems('CASE.NOT_RESOLVED, CASE.ALREADY_CLOSED')
  reopen(@Param('id', ParseUUIDPipe) id: string, @Body() body: dto.ReasonRequest, @CurrentWrite() w: WriteContext) {
    return this.change(id, w, (actor) => ({ type: 'ReopenCase', caseId: id, actor, ...body }));
  }

  @Post(':id/incident-link')
  @RequiresAction('case.link-incident')
  @HttpCode(200)
  @Write()
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiOperation({ summary: 'Link the case to an incident of the status dashboard (R14)' })
  @ApiCaseWriteProblems('CASE.UNKNOWN_INCIDENT (not on the status dashboard), CASE.LINKED_TO_ANOTHER_INCIDENT')
  async linkIncident(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.LinkIncidentRequest,
    @CurrentWrite() w: WriteContext,
  ) {
    // R14: only an incident of the status dashboard (a refusal, 409, otherwise)
    if (!(await this.queries.execute(new GetIncident(body.incidentId)))) throw new UnknownIncident(body.incidentId);
    return this.change(id, w, (actor) => ({ type: 'LinkToIncident', caseId: id, actor, incidentId: body.incidentId }));
  }

  @Post(':id/credit-requests')
  @RequiresAction('case.request-credit')
  @HttpCode(200)
  @Write()
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiOperation({ summary: 'Request a service credit for an outage (support admin, R14)' })
  @ApiCaseWriteProblems('CASE.NOT_LINKED_TO_INCIDENT (R14)')
  requestCredit(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.RequestCreditRequest,
    @CurrentWrite() w: WriteContext,
  ) {
    return this.change(id, w, (actor) => ({ type: 'RequestCredit', caseId: id, actor, ...body }));
  }

  @Post(':id/credits')
  @RequiresAction('case.issue-credit')
  @HttpCode(200)
  @Write()
  @ApiOperation({ summary: 'Issue the requested credit (supervisor; R14: linked incident, requested, once)' })
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiCaseWriteProblems('CASE.NOT_LINKED_TO_INCIDENT, CASE.CREDIT_NOT_REQUESTED, CASE.CREDIT_ALREADY_ISSUED (R14)')
  issueCredit(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.IssueCreditRequest,
    @CurrentWrite() w: WriteContext,
  ) {
    return this.change(id, w, (actor) => ({ type: 'IssueCredit', caseId: id, actor, ...body }));
  }

  @Post(':id/incident-report-requests')
  @RequiresAction('case.request-incident-report')
  @HttpCode(200)
  @Write()
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiOperation({ summary: 'Request the report of the linked incident (support admin, R14)' })
  @ApiCaseWriteProblems('CASE.NOT_LINKED_TO_INCIDENT (R14)')
  requestIncidentReport(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() _body: dto.EmptyRequest,
    @CurrentWrite() w: WriteContext,
  ) {
    return this.change(id, w, (actor) => ({ type: 'RequestIncidentReport', caseId: id, actor }));
  }

  @Post(':id/incident-reports')
  @RequiresAction('case.send-incident-report')
  @HttpCode(200)
  @Write()
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiOperation({ summary: 'Send the requested incident report, as a link (agent, R14)' })
  @ApiCaseWriteProblems('CASE.INCIDENT_REPORT_NOT_REQUESTED, CASE.INCIDENT_REPORT_ALREADY_SENT (R14)')
  sendIncidentReport(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.SendIncidentReportRequest,
    @CurrentWrite() w: WriteContext,
  ) {
    return this.change(id, w, (actor) => ({ type: 'SendIncidentReport', caseId: id, actor, ...body }));
  }

  @Post(':id/survey-response')
  @RequiresAction('case.answer-survey')
  @HttpCode(200)
  @Write()
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiOperation({ summary: 'Answer the satisfaction survey, signed in (support admin, R15)' })
  @ApiCaseWriteProblems('CASE.SURVEY_NOT_SENT, CASE.SURVEY_ALREADY_ANSWERED, CASE.SURVEY_SUPERSEDED (R15)')
  answerSurvey(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.SurveyResponseRequest,
    @CurrentWrite() w: WriteContext,
  ) {
    return this.change(id, w, (actor) => ({ type: 'AnswerSurvey', caseId: id, actor, ...body }));
  }

  @Put(':id/notifications')
  @RequiresAction('case.set-notifications')
  @HttpCode(200)
  @Write()
  @ApiOkResponse({ type: CaseViewResponse })
  @ApiOperation({
    summary:
      'Turn the case’s notification e-mails off or on (support admin); off: only the survey and the information requests (and their reminders) are e-mailed',
  })
  @ApiCaseWriteProblems('CASE.ALREADY_CLOSED')
  setNotifications(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.NotificationsRequest,
    @CurrentWrite() w: WriteContext,
  ) {
    return this.change(id, w, (actor) => ({ type: 'SetNotifications', caseId: id, actor, enabled: body.enabled }));
  }

  /**
   * R11: the files an answer or a reply names, each as the store holds it (409
   * ATTACHMENT.NOT_STORED, ATTACHMENT.MISMATCH otherwise); undefined for none. The case is read
   * first, so that a case the caller may not see is a 404 whatever the body names.
   */
  private async storedAttachments(caseId: string, w: WriteContext, given: readonly dto.AttachmentDto[] | undefined) {
    // null too: @IsOptional() lets it through
    if (!given || given.length === 0) return undefined;
    await this.queries.execute(new GetCase(caseId, w.principal));
    return this.attachments.check(given);
  }

  /** One case write: the command through the door, the case as it now stands as the answer. */
  private async change(caseId: string, w: WriteContext, toCommand: ToCommand, status = 200): Promise<WriteAnswer> {
    const p = w.principal;
    const { state, version, position, replayed, events } = await this.commands.execute(
      new ChangeCase({
        caseId,
        command: toCommand({ id: p.sub, role: p.role }),
        actor: toActor(p),
        correlationId: w.correlationId,
        expectedVersion: w.expectedVersion,
        idempotency: w.idempotency,
        // R3, R4: a case the caller may not see is an unknown case
        canSee: (c) => this.policy.canSeeCase(p, c.tenant, c.language, c.routing?.vendorId ?? null),
      }),
    );
    const headers: Record<string, string> = { etag: toETag(version) };
    if (status === 201) headers.location = `/v1/cases/${caseId}`;
    if (position !== undefined) headers['x-log-position'] = String(position);
    // the answer as the caller may see it: a customer's write gets the customer's view. When
    // this write made the stream (an open), its events are the whole case: no read for the cast
    const whole = !replayed && events.length === version ? events : undefined;
    return { status, body: await this.views.for(p, state, version, whole), headers, replayed };
  }
}
