import type { Actor } from '../shared/decider';
import type { CaseCommand } from './case.commands';
import type { CaseEvent } from './case.events';

/** The system actor that sends surveys (R15). */
export const SURVEY_SENDER: Actor = Object.freeze({ id: 'system:survey-sender', role: 'system' });

/**
 * One survey per resolution cycle, with an id derived from the case and the cycle: the
 * process manager stays pure (no random ids), and running it twice for the same `Resolved`
 * (a retry, a replay) yields the same command, which `decide` then ignores.
 */
export const surveyIdFor = (caseId: string, cycle: number): string => `${caseId}:survey:${cycle}`;

/**
 * The case's process manager: the command that follows an event, or null. Today only
 * `Resolved` → `SendSurvey` (R15). The survey is a durable timer of @app/timers, fired
 * SURVEY_DELAY after the resolution (with `CloseCase` AUTO_CLOSE_DAYS after it); the case's
 * command handler runs this in the resolution's own append only when that delay is 0. Both use the same survey id,
 * so whichever comes second changes nothing.
 */
export const afterCaseEvent = (event: CaseEvent): CaseCommand | null => {
  switch (event.type) {
    case 'Resolved':
      return {
        type: 'SendSurvey',
        caseId: event.data.caseId,
        surveyId: surveyIdFor(event.data.caseId, event.data.cycle),
        actor: SURVEY_SENDER,
      };
    default:
      return null;
  }
};
