import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
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
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { SURVEY_TOKENS, type SurveyTokens } from '@app/timers';
import type { SurveyStateResponse } from './survey.dto';

/** What a survey link is about, and whether it was answered (GET /v1/surveys/{token}); records nothing. */
export class DescribeSurvey extends Query<SurveyStateResponse> {
  constructor(readonly token: string) {
    super();
  }
}

@QueryHandler(DescribeSurvey)
export class DescribeSurveyHandler implements IQueryHandler<DescribeSurvey, SurveyStateResponse> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SURVEY_TOKENS) private readonly tokens: SurveyTokens,
  ) {}

  async execute({ token }: DescribeSurvey): Promise<SurveyStateResponse> {
    const { caseId, surveyId, expiresAt } = await this.tokens.verify(token, this.clock.now());
    const { events } = await this.store.readStream(toCaseStreamId(caseId));
    const history = events as unknown as CaseEvent[];
    const state = foldEvents(caseDecider, history);
    if (!isOpenedCase(state)) throw new CaseNotFound(caseId);
    // each link answers for its own survey (one per resolution cycle), not for the latest one:
    // an earlier cycle's survey stays answered after a reopen and a new resolution's survey
    const sent = history.find((e) => e.type === 'SurveySent' && e.data.surveyId === surveyId);
    if (sent?.type !== 'SurveySent') throw new SurveyNotSent(caseId, surveyId);
    const answered = history.some((e) => e.type === 'SurveyAnswered' && e.data.surveyId === surveyId);
    return {
      surveyId,
      caseSubject: state.subject,
      cycle: sent.data.cycle,
      answered,
      superseded: state.survey?.id !== surveyId,
      expiresAt: expiresAt.toISOString(),
      language: state.language,
    };
  }
}
