import { InvalidCommand } from '../../shared/domain-rule-violation';
import { optionalText, requireText } from '../../shared/validation';
import type { AnswerSurvey, SendSurvey } from '../case.commands';
import {
  CaseNotResolved,
  SurveyAlreadyAnswered,
  SurveyAlreadySent,
  SurveyNotSent,
  SurveySuperseded,
} from '../case.errors';
import { caseEvent, type CaseEvent } from '../case.events';
import type { CaseState } from '../case.state';
import { actionOf, requireCase, requireNotClosed } from './guards';

/**
 * R15: after each resolution the customer gets one satisfaction survey. The same survey id
 * again is a retry and changes nothing; another id for the same resolution is refused, and
 * so is the id of an earlier resolution's survey.
 */
export const sendSurvey = (state: CaseState, c: SendSurvey, at: string): CaseEvent[] => {
  requireText('surveyId', c.surveyId);
  const current = requireNotClosed(state, c);
  if (current.status !== 'resolved') throw new CaseNotResolved(current.id, current.status, actionOf(c));
  const survey = current.survey;
  if (survey?.cycle === current.cycle) {
    if (survey.id === c.surveyId) return [];
    throw new SurveyAlreadySent(current.id, survey.id);
  }
  // answers are matched to surveys by id: reusing an earlier cycle's id would merge two surveys
  if (survey?.id === c.surveyId || current.earlierSurveyIds.includes(c.surveyId)) {
    throw new InvalidCommand('surveyId', 'was already used for an earlier resolution of this case');
  }
  return [
    caseEvent('SurveySent', { caseId: current.id, at, byId: c.actor.id, surveyId: c.surveyId, cycle: current.cycle }),
  ];
};

/**
 * R15: the answer feeds the reports. It is accepted whatever the case's status, closed
 * included: the survey sits in the customer's mailbox and may be answered after the
 * auto-close. One answer per survey: the e-mailed link names its survey (`surveyId`), so a
 * second use of the link is refused here, and so is the link of a survey a later
 * resolution's survey replaced.
 */
export const answerSurvey = (state: CaseState, c: AnswerSurvey, at: string): CaseEvent[] => {
  if (!Number.isInteger(c.rating) || c.rating < 1 || c.rating > 5) {
    throw new InvalidCommand('rating', 'must be a whole number from 1 to 5');
  }
  const comment = optionalText('comment', c.comment);
  if (c.surveyId !== undefined) requireText('surveyId', c.surveyId);
  const current = requireCase(state, c);
  const survey = current.survey;
  if (!survey) throw new SurveyNotSent(current.id, c.surveyId);
  if (c.surveyId !== undefined && c.surveyId !== survey.id) {
    if (current.earlierSurveyIds.includes(c.surveyId)) throw new SurveySuperseded(current.id, c.surveyId);
    throw new SurveyNotSent(current.id, c.surveyId);
  }
  if (survey.answer) throw new SurveyAlreadyAnswered(current.id);
  return [
    caseEvent('SurveyAnswered', {
      caseId: current.id,
      at,
      byId: c.actor.id,
      surveyId: survey.id,
      rating: c.rating,
      ...(comment === undefined ? {} : { comment }),
      cycle: survey.cycle,
    }),
  ];
};
