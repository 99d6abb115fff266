import { createHash } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ACCESS_POLICY, CurrentPrincipal, RequiresAction, toActor, type AccessPolicy, type Principal } from '@app/auth';
import {
  caseOpenFor,
  foldEvents,
  IntakeNotFound,
  intakeDecider,
  toIntakeStreamId,
  type CaseState,
  type IntakeCommand,
  type IntakeEvent,
  type IntakeState,
} from '@app/case-domain';
import {
  caseIdForIntake,
  ChangeCase,
  ChangeIntake,
  intakeCaseClaim,
  newIntakeId,
  StaleVersion,
  type IntakeChange,
} from '@app/commands';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { toETag } from '../http/http.errors';
import type { WriteAnswer } from '../http/idempotency.service';
import { CurrentWrite, Write, type WriteContext } from '../http/write.interceptor';
import { ApiReadProblems, ApiWriteProblems, type ProblemSpec } from '../openapi/api-problems';
import { CaseViews } from '../cases/case-views';
import { CaseViewResponse } from '../cases/case-responses.dto';
import * as dto from './intake.dto';
import { IntakeAssistant, type Suggestions } from './intake-assistant';

const INTAKE_NOT_FOUND: ProblemSpec = [404, 'an unknown intake, or one of another organisation (INTAKE.NOT_FOUND)'];
const ENDED: ProblemSpec = [
  409,
  'the intake has ended: deflected, attached, case requested or abandoned (INTAKE.ALREADY_ENDED)',
];

/** R3: customers reach their organisation's intakes; supervisors and auditors all. */
const canSeeIntake = (p: Principal) => (state: IntakeState) => !('org' in p) || p.org === state.tenant;

/**
 * The help assistant before a case exists (R5–R8): each intake its own stream `intake-<id>`,
 * written through the command door (`ChangeIntake`). What the assistant found (articles,
 * recent cases) is searched here and recorded by the intake's events.
 */
@ApiTags('help assistant')
@ApiBearerAuth()
@Controller('v1/intakes')
export class IntakesController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IntakeAssistant) private readonly assistant: IntakeAssistant,
    @Inject(CaseViews) private readonly cases: CaseViews,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  @Post()
  @RequiresAction('intake.start')
  @Write()
  @ApiOperation({
    summary:
      'Describe the problem (support admin): articles that may solve it, and the organisation’s recent cases (R5, R6)',
  })
  @ApiCreatedResponse({ type: dto.IntakeViewResponse })
  @ApiWriteProblems({ ifMatch: false })
  async start(@Body() body: dto.StartIntakeRequest, @CurrentWrite() w: WriteContext): Promise<WriteAnswer> {
    const p = w.principal;
    const tenant = 'org' in p ? p.org : '';
    const intakeId = newIntakeId(w.idempotency);
    const [suggestions, recent] = await Promise.all([
      this.assistant.suggest(body.description, body.language, body.product),
      this.assistant.recentCases(tenant, body.description),
    ]);
    const command: IntakeCommand = {
      type: 'StartIntake',
      intakeId,
      actor: { id: p.sub, role: p.role },
      tenant,
      description: body.description,
      ...(body.product ? { product: body.product } : {}),
      language: body.language,
      suggestions: suggestions.recorded,
      recentCaseIds: recent.map((c) => c.id),
    };
    return this.answer(await this.change(w, command), 201, suggestions);
  }

  @Get(':id')
  @RequiresAction('intake.read')
  @ApiOperation({ summary: 'The intake as it stands, its version as ETag' })
  @ApiOkResponse({ type: dto.IntakeViewResponse })
  @ApiReadProblems(400, INTAKE_NOT_FOUND)
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { state, version } = await this.read(id, p);
    void reply.header('etag', toETag(version));
    return this.assistant.view(state, version);
  }

  @Post(':id/searches')
  @RequiresAction('intake.continue')
  @HttpCode(200)
  @Write()
  @ApiOperation({ summary: '"Search again" with other words: new suggestions (R5)' })
  @ApiOkResponse({ type: dto.IntakeViewResponse })
  @ApiWriteProblems({ ifMatch: true }, INTAKE_NOT_FOUND, ENDED)
  async search(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.SearchAgainRequest,
    @CurrentWrite() w: WriteContext,
  ): Promise<WriteAnswer> {
    const { state } = await this.read(id, w.principal);
    const suggestions = await this.assistant.suggest(body.query, state.language as string, state.product);
    const command: IntakeCommand = {
      type: 'SearchAgain',
      intakeId: id,
      actor: { id: w.principal.sub, role: w.principal.role },
      query: body.query,
      suggestions: suggestions.recorded,
    };
    return this.answer(await this.change(w, command), 200, suggestions);
  }

  @Post(':id/deflection')
  @RequiresAction('intake.continue')
  @HttpCode(200)
  @Write()
  @ApiOperation({ summary: 'An article solved it: no case (R5); counted as a deflection' })
  @ApiOkResponse({ type: dto.IntakeViewResponse })
  @ApiWriteProblems({ ifMatch: true }, INTAKE_NOT_FOUND, [
    409,
    'the intake has ended (INTAKE.ALREADY_ENDED), or the article was not suggested in it (INTAKE.ARTICLE_NOT_SUGGESTED)',
  ])
  async deflect(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.DeflectionRequest,
    @CurrentWrite() w: WriteContext,
  ): Promise<WriteAnswer> {
    const actor = { id: w.principal.sub, role: w.principal.role };
    return this.answer(await this.change(w, { type: 'DeflectIntake', intakeId: id, actor, articleId: body.articleId }));
  }

  @Post(':id/problem')
  @RequiresAction('intake.continue')
  @HttpCode(200)
  @Write()
  @ApiOperation({ summary: 'Pick the description of the problem, a problem category (R7)' })
  @ApiOkResponse({ type: dto.IntakeViewResponse })
  @ApiWriteProblems({ ifMatch: true }, INTAKE_NOT_FOUND, ENDED)
  async describe(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.ProblemRequest,
    @CurrentWrite() w: WriteContext,
  ): Promise<WriteAnswer> {
    const actor = { id: w.principal.sub, role: w.principal.role };
    const command: IntakeCommand = {
      type: 'DescribeProblem',
      intakeId: id,
      actor,
      problemCategory: body.problemCategory,
    };
    return this.answer(await this.change(w, command));
  }

  @Post(':id/recent-case')
  @RequiresAction('intake.continue')
  @HttpCode(200)
  @Write()
  @ApiOperation({
    summary:
      'The same problem as a recent case (R6): the message goes onto that case (as the information asked for when it awaits the customer), no new case',
  })
  @ApiOkResponse({ type: dto.IntakeViewResponse })
  @ApiWriteProblems(
    { ifMatch: true },
    [404, 'an unknown intake (INTAKE.NOT_FOUND) or case (CASE.NOT_FOUND), or one of another organisation'],
    [409, 'the intake has ended (INTAKE.ALREADY_ENDED), or the case is closed (CASE.ALREADY_CLOSED)'],
  )
  async attach(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.RecentCaseRequest,
    @CurrentWrite() w: WriteContext,
  ): Promise<WriteAnswer> {
    const p = w.principal;
    const { state, version } = await this.read(id, p);
    // If-Match names the intake's version: checked before the message goes anywhere
    if (w.expectedVersion !== undefined && w.expectedVersion !== version)
      throw new StaleVersion(`Intake ${id}`, w.expectedVersion, version);
    // the message first, then the intake: an ended intake refuses before anything is written
    if (state.status === 'suggesting') {
      const actor = { id: p.sub, role: p.role };
      await this.commands.execute(
        new ChangeCase({
          caseId: body.caseId,
          command: (c: CaseState) =>
            c.status === 'awaiting-customer'
              ? { type: 'ProvideInfo', caseId: body.caseId, actor, message: body.message }
              : { type: 'ReplyToCase', caseId: body.caseId, actor, message: body.message },
          actor: toActor(p),
          correlationId: w.correlationId,
          // once per intake: a retry of this step finds the message it wrote
          idempotency: {
            scope: 'intake',
            key: `${id}:recent-case`,
            fingerprint: createHash('sha256').update(`${body.caseId}\n${body.message}`).digest('hex'),
          },
          canSee: (c) => this.policy.canSeeCase(p, c.tenant, c.language, c.routing?.vendorId ?? null),
        }),
      );
    }
    const actor = { id: p.sub, role: p.role };
    return this.answer(await this.change(w, { type: 'AttachToRecentCase', intakeId: id, actor, caseId: body.caseId }));
  }

  @Post(':id/case')
  @RequiresAction('intake.continue')
  @Write()
  @ApiOperation({
    summary:
      '"I still need help" (R7): the channel and the language (R8), and the case is opened with the intake’s answers; its Opened names the intake',
  })
  @ApiCreatedResponse({ type: CaseViewResponse })
  @ApiWriteProblems({ ifMatch: true }, INTAKE_NOT_FOUND, ENDED)
  async requestCase(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.IntakeCaseRequest,
    @CurrentWrite() w: WriteContext,
  ): Promise<WriteAnswer> {
    const p = w.principal;
    const caseId = caseIdForIntake(id);
    const requested = await this.change(w, {
      type: 'RequestCase',
      intakeId: id,
      actor: { id: p.sub, role: p.role },
      caseId,
      requester: { id: p.sub, email: p.email ?? '' },
      subject: body.subject,
      description: body.description,
      ...(body.product ? { product: body.product } : {}),
      channel: body.channel,
      language: body.language,
      impact: { ...body.impact },
      workaround: body.workaround,
    });
    const { tenant, request } = requested.state;
    if (!request || !tenant) throw new IntakeNotFound(id); // not reached: the decider recorded the request
    // the case, exactly as CaseRequested describes it, under a claim of its own: a retry, or
    // the worker after a crash between the two writes, opens this same case once
    const opened = await this.commands.execute(
      new ChangeCase({
        caseId,
        command: caseOpenFor(tenant, request),
        actor: toActor(p),
        correlationId: w.correlationId,
        idempotency: intakeCaseClaim(id),
      }),
    );
    const headers: Record<string, string> = { etag: toETag(opened.version), location: `/v1/cases/${caseId}` };
    if (opened.position !== undefined) headers['x-log-position'] = String(opened.position);
    return { status: 201, body: await this.cases.for(p, opened.state, opened.version), headers, replayed: false };
  }

  private change(w: WriteContext, command: IntakeCommand): Promise<IntakeChange> {
    const p = w.principal;
    return this.commands.execute(
      new ChangeIntake({
        command,
        actor: toActor(p),
        correlationId: w.correlationId,
        expectedVersion: w.expectedVersion,
        canSee: canSeeIntake(p),
      }),
    );
  }

  private async answer(result: IntakeChange, status = 200, fresh?: Suggestions): Promise<WriteAnswer> {
    // the suggestions just searched, with their titles, when this write recorded them
    const shown = fresh && result.events.some((e) => e.type === 'ArticlesSuggested') ? fresh.shown : undefined;
    const headers: Record<string, string> = { etag: toETag(result.version) };
    if (status === 201) headers.location = `/v1/intakes/${result.state.id}`;
    if (result.position !== undefined) headers['x-log-position'] = String(result.position);
    return {
      status,
      body: await this.assistant.view(result.state, result.version, shown),
      headers,
      replayed: result.replayed,
    };
  }

  private async read(id: string, p: Principal): Promise<{ state: IntakeState; version: number }> {
    const { events, currentVersion } = await this.store.readStream<IntakeEvent['type'], IntakeEvent['data']>(
      toIntakeStreamId(id),
    );
    const state = foldEvents(intakeDecider, events as unknown as IntakeEvent[]);
    if (state.status === 'not-started' || !canSeeIntake(p)(state)) throw new IntakeNotFound(id);
    return { state, version: currentVersion };
  }
}
