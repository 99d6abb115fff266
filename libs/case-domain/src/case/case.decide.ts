import type { Decider } from '../shared/decider';
import { isoInstant } from '../shared/validation';
import type { CaseCommand } from './case.commands';
import { UnknownCaseCommand } from './case.errors';
import type { CaseEvent } from './case.events';
import { evolve } from './case.evolve';
import { initialCaseState, type CaseState } from './case.state';
import { respondToCase, requestInfo, provideInfo, replyToCase } from './decide/conversation.decide';
import { assignCase, changePriority, escalateCase } from './decide/handling.decide';
import { openCase } from './decide/open-case.decide';
import {
  issueCredit,
  linkToIncident,
  requestCredit,
  requestIncidentReport,
  sendIncidentReport,
} from './decide/outage.decide';
import { addInternalNote } from './decide/notes.decide';
import { setNotifications } from './decide/notifications.decide';
import { remindCustomer } from './decide/waiting.decide';
import { closeCase, reopenCase, resolveCase } from './decide/resolution.decide';
import { recordSlaBreach } from './decide/sla.decide';
import { answerSurvey, sendSurvey } from './decide/survey.decide';
import { routeCase } from '../routing/route-case.decide';

/**
 * Decides what a command does to a case: the events to append (possibly none, for a
 * repeat that changes nothing) or a thrown `DomainRuleViolation`. Pure: `now` is the only
 * time it knows, and every id comes in with the command. Checks run in one order: the
 * command's values (`COMMAND.INVALID`), then the case's existence (`CASE.NOT_FOUND`),
 * then the rules of its state (docs/domain-model.md has the table).
 */
export const decide = (state: CaseState, command: CaseCommand, now: Date): CaseEvent[] => {
  const at = isoInstant('now', now);
  switch (command.type) {
    case 'OpenCase':
      return openCase(state, command, at);
    case 'AssignCase':
      return assignCase(state, command, at);
    case 'RespondToCase':
      return respondToCase(state, command, at);
    case 'RequestInfo':
      return requestInfo(state, command, at);
    case 'ProvideInfo':
      return provideInfo(state, command, at);
    case 'ReplyToCase':
      return replyToCase(state, command, at);
    case 'EscalateCase':
      return escalateCase(state, command, at);
    case 'RecordSlaBreach':
      return recordSlaBreach(state, command, at);
    case 'ChangePriority':
      return changePriority(state, command, at);
    case 'ResolveCase':
      return resolveCase(state, command, at);
    case 'ReopenCase':
      return reopenCase(state, command, at);
    case 'LinkToIncident':
      return linkToIncident(state, command, at);
    case 'RequestCredit':
      return requestCredit(state, command, at);
    case 'IssueCredit':
      return issueCredit(state, command, at);
    case 'RequestIncidentReport':
      return requestIncidentReport(state, command, at);
    case 'SendIncidentReport':
      return sendIncidentReport(state, command, at);
    case 'SendSurvey':
      return sendSurvey(state, command, at);
    case 'AnswerSurvey':
      return answerSurvey(state, command, at);
    case 'CloseCase':
      return closeCase(state, command, at);
    case 'SetNotifications':
      return setNotifications(state, command, at);
    case 'RouteCase':
      return routeCase(state, command, now);
    case 'AddInternalNote':
      return addInternalNote(state, command, at);
    case 'RemindCustomer':
      return remindCustomer(state, command, at);
    default: {
      const unknown: never = command;
      throw new UnknownCaseCommand(unknown);
    }
  }
};

/** The case as a decider, for `handleCommand` in the API and `deciderSpec` in tests. */
export const caseDecider: Decider<CaseState, CaseCommand, CaseEvent> = {
  decide,
  evolve,
  initialState: initialCaseState,
};
