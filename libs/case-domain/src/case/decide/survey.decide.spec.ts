import { deciderSpec } from '@app/testing';
import { InvalidCommand } from '../../shared/domain-rule-violation';
import { caseDecider } from '../case.decide';
import {
  CaseAlreadyClosed,
  CaseNotResolved,
  SurveyAlreadyAnswered,
  SurveyAlreadySent,
  SurveyNotSent,
  SurveySuperseded,
} from '../case.errors';
import {
  closed,
  cmd,
  customer,
  evNow,
  opened,
  reopened,
  resolved,
  surveyAnswered,
  surveySent,
  system,
} from '../../testing';

const given = deciderSpec(caseDecider);

describe('SendSurvey (R15, system)', () => {
  it('R15: after resolution the customer gets a survey for that resolution cycle', () =>
    given([opened(), resolved()])
      .when(cmd.sendSurvey('survey-1'))
      .then([evNow('SurveySent', { surveyId: 'survey-1', cycle: 1 }, system.id)]));

  it('R15: a reopened and resolved-again case gets a new survey for its new cycle', () =>
    given([opened(), resolved(), surveySent('survey-1', 1), reopened(2), resolved({ cycle: 2 })])
      .when(cmd.sendSurvey('survey-2'))
      .then([evNow('SurveySent', { surveyId: 'survey-2', cycle: 2 }, system.id)]));

  it("refuses to reuse an earlier resolution's survey id: answers are matched by id", () =>
    given([opened(), resolved(), surveySent('survey-1', 1), reopened(2), resolved({ cycle: 2 })])
      .when(cmd.sendSurvey('survey-1'))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('surveyId')));

  it('R15: refuses a survey for a case that is not resolved', () =>
    given([opened()]).when(cmd.sendSurvey()).thenThrows(CaseNotResolved));

  it('R15: refuses a second, different survey for the same resolution', () =>
    given([opened(), resolved(), surveySent('survey-1')])
      .when(cmd.sendSurvey('survey-9'))
      .thenThrows(SurveyAlreadySent));

  it('does nothing when the same survey is sent again (a retry)', () =>
    given([opened(), resolved(), surveySent('survey-1')])
      .when(cmd.sendSurvey('survey-1'))
      .thenNothingHappened());

  it('refuses a survey for a closed case', () =>
    given([opened(), resolved(), closed()]).when(cmd.sendSurvey()).thenThrows(CaseAlreadyClosed));
});

describe('AnswerSurvey (R15)', () => {
  it('R15: the answer (a rating and a comment) is recorded for the survey sent', () =>
    given([opened(), resolved(), surveySent('survey-1')])
      .when(cmd.answerSurvey({ rating: 2, comment: 'Slow.' }))
      .then([evNow('SurveyAnswered', { surveyId: 'survey-1', rating: 2, comment: 'Slow.', cycle: 1 }, customer.id)]));

  it('R15: a survey can be answered after the auto-close', () =>
    given([opened(), resolved(), surveySent('survey-1'), closed()])
      .when(cmd.answerSurvey())
      .then([evNow('SurveyAnswered', { surveyId: 'survey-1', rating: 4, cycle: 1 }, customer.id)]));

  it('R15: refuses an answer before a survey was sent', () =>
    given([opened(), resolved()])
      .when(cmd.answerSurvey())
      .thenThrows(SurveyNotSent, (e) => expect(e.code).toBe('CASE.SURVEY_NOT_SENT')));

  it('R15: refuses a second answer', () =>
    given([opened(), resolved(), surveySent('survey-1'), surveyAnswered('survey-1')])
      .when(cmd.answerSurvey())
      .thenThrows(SurveyAlreadyAnswered, (e) => expect(e.code).toBe('CASE.SURVEY_ALREADY_ANSWERED')));

  it.each([0, 6, 3.5, Number.NaN])('refuses the rating %p: a rating is a whole number from 1 to 5', (rating) =>
    given([opened(), resolved(), surveySent()])
      .when(cmd.answerSurvey({ rating }))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('rating')),
  );
});

describe('AnswerSurvey through the e-mailed link (R15: the token names the survey)', () => {
  const twoCycles = [
    opened(),
    resolved(),
    surveySent('survey-1', 1),
    reopened(2),
    resolved({ cycle: 2 }),
    surveySent('survey-2', 2),
  ];

  it('R15: records the answer for the survey the link names', () =>
    given([opened(), resolved(), surveySent('survey-1')])
      .when(cmd.answerSurvey({ surveyId: 'survey-1', rating: 5 }))
      .then([evNow('SurveyAnswered', { surveyId: 'survey-1', rating: 5, cycle: 1 }, customer.id)]));

  it('R15: the link is single use: a second answer through it is refused', () =>
    given([opened(), resolved(), surveySent('survey-1'), surveyAnswered('survey-1')])
      .when(cmd.answerSurvey({ surveyId: 'survey-1' }))
      .thenThrows(SurveyAlreadyAnswered));

  it("R15: refuses an earlier resolution's link once a later survey went out", () =>
    given(twoCycles)
      .when(cmd.answerSurvey({ surveyId: 'survey-1' }))
      .thenThrows(SurveySuperseded, (e) => expect(e.code).toBe('CASE.SURVEY_SUPERSEDED')));

  it('refuses a survey id this case never sent', () =>
    given(twoCycles)
      .when(cmd.answerSurvey({ surveyId: 'survey-7' }))
      .thenThrows(SurveyNotSent, (e) => expect(e.message).toContain('survey-7')));

  it('refuses an empty survey id', () =>
    given(twoCycles)
      .when(cmd.answerSurvey({ surveyId: ' ' }))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('surveyId')));
});
