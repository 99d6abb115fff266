import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
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
  @ApiProblems(
    [400, 'a NUL character or an unpaired surrogate in the token (HTTP.VALIDATION_FAILED)'],
    INVALID_LINK,
    503,
  )
  describe(@Param('token', SurveyTokenPipe) token: string) {
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
