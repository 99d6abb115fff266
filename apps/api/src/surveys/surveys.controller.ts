import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '@app/auth';
import { CaseNotFound, isOpenedCase } from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { ChangeCase } from '@app/commands';
import { SURVEY_TOKENS, type SurveyTokens } from '@app/timers';
import { ApiProblems, ApiPublicOperation, type ProblemSpec } from '../openapi/api-problems';
import { SurveyAnswerRequest, SurveyAnswerResponse, SurveyStateResponse } from './survey.dto';
import { DescribeSurvey } from './survey.queries';
import { SurveyTokenPipe } from './survey-token.pipe';

const tokenParam = ApiParam({ name: 'token', description: "the signed token of the survey e-mail's link" });

const INVALID_LINK: ProblemSpec = [404, 'an invalid or expired link (SURVEY.INVALID_LINK)'];

/**
 * Whether an `Accept` header prefers a web page to JSON: `text/html` (or XHTML) listed, with a
 * higher quality than `application/json` (or, unlisted, the wildcards' `*\/*`). A browser
 * following a link does (`text/html,…,*\/*;q=0.8`); curl (`*\/*`) and integrations do not.
 */
export const prefersHtml = (accept: string | undefined): boolean => {
  const quality = new Map<string, number>();
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!type) continue;
    const q = params.find((p) => p.startsWith('q='));
    const value = q === undefined ? 1 : Number(q.slice(2));
    quality.set(type, Math.max(quality.get(type) ?? 0, Number.isFinite(value) ? value : 0));
  }
  const html = Math.max(quality.get('text/html') ?? 0, quality.get('application/xhtml+xml') ?? 0);
  const json = quality.get('application/json') ?? quality.get('application/*') ?? quality.get('*/*') ?? 0;
  return html > json;
};

/** The web console's page of a survey link (apps/console), which answers through this API. */
export const surveyPagePath = (token: string): string => `/console/survey/${encodeURIComponent(token)}`;

/** The survey link proves only that its holder received the e-mail: the requester's. */
const RESPONDENT_ROLE = 'survey-respondent';

/**
 * R15: the satisfaction survey, reached from the e-mail's link without a login. The token
 * (signed, see `SurveyTokens`) names the case and the survey; the domain records the answer
 * once and refuses a second use of the link (CASE.SURVEY_ALREADY_ANSWERED).
 */
@ApiTags('surveys')
@Public()
@Controller('v1/surveys')
export class SurveysController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SURVEY_TOKENS) private readonly tokens: SurveyTokens,
  ) {}

  @Get(':token')
  @tokenParam
  @ApiPublicOperation('What the survey link is about, and whether it was answered (records nothing)')
  @ApiOkResponse({ type: SurveyStateResponse })
  @ApiResponse({
    status: 303,
    description:
      "a browser (an Accept header preferring text/html to JSON): to the web console's survey page, " +
      '`/console/survey/{token}`, which answers through this API; nothing is read',
    headers: { Location: { description: 'the survey page', schema: { type: 'string' } } },
  })
  @ApiProblems(
    [400, 'a NUL character or an unpaired surrogate in the token (HTTP.VALIDATION_FAILED)'],
    INVALID_LINK,
    503,
  )
  describe(
    @Param('token', SurveyTokenPipe) token: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // links in e-mails sent before the console had them point here: a browser goes to the page
    if (prefersHtml(req.headers.accept)) {
      void reply.status(303).header('location', surveyPagePath(token));
      return undefined;
    }
    return this.queries.execute(new DescribeSurvey(token));
  }

  @Post(':token')
  @HttpCode(200)
  @tokenParam
  @ApiPublicOperation('Answer the survey: a rating from 1 to 5 and a comment; the link works once')
  @ApiOkResponse({ type: SurveyAnswerResponse })
  @ApiProblems(
    [
      400,
      'an invalid body (HTTP.VALIDATION_FAILED: `errors` names the fields), malformed JSON (HTTP.MALFORMED_BODY) or ' +
        'JSON nested too deep (HTTP.BODY_TOO_DEEP)',
    ],
    INVALID_LINK,
    [409, 'answered already (CASE.SURVEY_ALREADY_ANSWERED), or replaced by a later survey (CASE.SURVEY_SUPERSEDED)'],
    413,
    415,
    [
      503,
      'other servers kept changing the case while the answer was decided again and again (WRITE.CONTENTION), or ' +
        'the event store connection was lost (STORE.UNAVAILABLE); retry after `Retry-After` seconds',
    ],
  )
  async answer(
    @Param('token', SurveyTokenPipe) token: string,
    @Body() body: SurveyAnswerRequest,
    @Req() req: FastifyRequest,
  ): Promise<SurveyAnswerResponse> {
    const { caseId, surveyId } = await this.tokens.verify(token, this.clock.now());
    // the link proves only that its holder received the e-mail: the requester's, recorded as the respondent
    const { events } = await this.commands.execute(
      new ChangeCase({
        caseId,
        command: (state) => {
          if (!isOpenedCase(state)) throw new CaseNotFound(caseId);
          const actor = { id: state.requester.id, role: RESPONDENT_ROLE };
          return { type: 'AnswerSurvey', caseId, actor, surveyId, rating: body.rating, comment: body.comment };
        },
        correlationId: String(req.id),
      }),
    );
    const answered = events.find((e) => e.type === 'SurveyAnswered');
    if (answered?.type !== 'SurveyAnswered') throw new Error('AnswerSurvey recorded no SurveyAnswered');
    const { rating, comment, at } = answered.data;
    return { surveyId, rating, ...(comment === undefined ? {} : { comment }), answeredAt: at };
  }
}
