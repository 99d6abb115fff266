import { InvalidCommand } from '../../shared/domain-rule-violation';
import type { CaseCommand, CaseCommandType } from '../case.commands';
import { CaseAlreadyClosed, CaseAlreadyResolved, CaseNotFound } from '../case.errors';
import type { CaseState, OpenedCase } from '../case.state';

/** What the refused command tried to do, for messages: "…so you cannot respond to it." */
const ACTIONS: Record<CaseCommandType, string> = {
  OpenCase: 'open it',
  AssignCase: 'assign it',
  RespondToCase: 'respond to it',
  RequestInfo: 'request information on it',
  ProvideInfo: 'provide information on it',
  ReplyToCase: 'reply to it',
  EscalateCase: 'escalate it',
  RecordSlaBreach: 'record an SLA breach on it',
  ChangePriority: 'change its priority',
  ResolveCase: 'resolve it',
  ReopenCase: 'reopen it',
  LinkToIncident: 'link it to an incident',
  RequestCredit: 'request a service credit for it',
  IssueCredit: 'issue a service credit for it',
  RequestIncidentReport: 'request an incident report for it',
  SendIncidentReport: 'send an incident report for it',
  SendSurvey: 'send its satisfaction survey',
  AnswerSurvey: 'answer its survey',
  CloseCase: 'close it',
  SetNotifications: 'change its notification e-mails',
  RouteCase: 'route it',
  AddInternalNote: 'add an internal note to it',
  RemindCustomer: 'remind the customer about it',
};

export const actionOf = (command: CaseCommand): string => ACTIONS[command.type];

/** The case exists (else CASE.NOT_FOUND) and is the one the command names. */
export const requireCase = (state: CaseState, command: CaseCommand): OpenedCase => {
  if (state.status === 'not-opened') throw new CaseNotFound(command.caseId);
  if (state.id !== command.caseId) throw new InvalidCommand('caseId', `names case ${command.caseId}, not ${state.id}`);
  return state;
};

/** The case exists and is not closed: a closed case takes no more work. */
export const requireNotClosed = (state: CaseState, command: CaseCommand, hint?: string): OpenedCase => {
  const current = requireCase(state, command);
  if (current.status === 'closed') throw new CaseAlreadyClosed(current.id, actionOf(command), hint);
  return current;
};

/** The case is in the agents' or the customer's hands: open or awaiting the customer. */
export const requireInProgress = (state: CaseState, command: CaseCommand): OpenedCase => {
  const current = requireNotClosed(state, command);
  if (current.status === 'resolved') throw new CaseAlreadyResolved(current.id, actionOf(command));
  return current;
};
