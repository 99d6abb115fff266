import { Inject, Injectable } from '@nestjs/common';
import {
  caseDecider,
  CaseNotFound,
  foldEvents,
  isOpenedCase,
  SurveyNotSent,
  toCaseStreamId,
  type CaseEvent,
} from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { CommandBus } from '@nestjs/cqrs';
import { ChangeCase } from '@app/commands';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { SURVEY_TOKENS, type SurveyTokens } from '@app/timers';
import type { SurveyAnswerRequest, SurveyAnswerResponse, SurveyStateResponse } from './survey.dto';

/** The survey link proves only that its holder received the e-mail: the requester's. */
const RESPONDENT_ROLE = 'survey-respondent';

/**
 * R15: answers through the e-mailed link, with no login. The token (signed, see
 * `SurveyTokens`) names the case and the survey; the domain records the answer once and
 * refuses a second use of the link (CASE.SURVEY_ALREADY_ANSWERED).
 */
@Injectable()
export class SurveysService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SURVEY_TOKENS) private readonly tokens: SurveyTokens,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  async describe(token: string): Promise<SurveyStateResponse> {
    const { caseId, surveyId, expiresAt } = await this.tokens.verify(token, this.clock.now());
    const { events } = await this.store.readStream(toCaseStreamId(caseId));
    const state = foldEvents(caseDecider, events as unknown as CaseEvent[]);
    if (!isOpenedCase(state)) throw new CaseNotFound(caseId);
    const survey = state.survey?.id === surveyId ? state.survey : undefined;
    if (!survey && !state.earlierSurveyIds.includes(surveyId)) throw new SurveyNotSent(caseId, surveyId);
    return {
      surveyId,
      caseSubject: state.subject,
      answered: survey?.answer !== undefined,
      expiresAt: expiresAt.toISOString(),
    };
  }

  async answer(token: string, body: SurveyAnswerRequest, correlationId: string): Promise<SurveyAnswerResponse> {
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
        correlationId,
      }),
    );
    const answered = events.find((e) => e.type === 'SurveyAnswered');
    if (answered?.type !== 'SurveyAnswered') throw new Error('AnswerSurvey recorded no SurveyAnswered');
    const { rating, comment, at } = answered.data;
    return { surveyId, rating, ...(comment === undefined ? {} : { comment }), answeredAt: at };
  }
}
