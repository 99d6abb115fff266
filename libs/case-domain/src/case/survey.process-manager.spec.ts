import { caseDecider } from './case.decide';
import { afterCaseEvent, SURVEY_SENDER, surveyIdFor } from './survey.process-manager';
import { foldEvents } from '../shared/decider';
import { CASE_ID, closed, opened, reopened, resolved, responded } from '../testing';

describe('afterCaseEvent (process manager)', () => {
  it('R15: Resolved is followed by SendSurvey, with an id derived from the case and the cycle', () =>
    expect(afterCaseEvent(resolved({ cycle: 2 }))).toEqual({
      type: 'SendSurvey',
      caseId: CASE_ID,
      surveyId: surveyIdFor(CASE_ID, 2),
      actor: SURVEY_SENDER,
    }));

  it('other events are followed by nothing', () =>
    [opened(), responded, reopened(), closed()].forEach((event) => expect(afterCaseEvent(event)).toBeNull()));

  it('running it twice for the same Resolved sends one survey: the second SendSurvey changes nothing', () => {
    const history = [opened(), resolved()];
    const send = afterCaseEvent(history[1])!;
    const sent = caseDecider.decide(foldEvents(caseDecider, history), send, new Date());
    expect(sent).toHaveLength(1);
    expect(
      caseDecider.decide(foldEvents(caseDecider, [...history, ...sent]), afterCaseEvent(history[1])!, new Date()),
    ).toEqual([]);
  });
});
