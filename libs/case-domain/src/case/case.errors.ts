import { DomainRuleViolation, type ViolationKind } from '../shared/domain-rule-violation';
import type { CaseStatus } from './case.types';

/**
 * Refusals of the case aggregate. Each has a stable `code` and a message for a person;
 * `action` is a phrase like "respond to it" (see `actionOf` in decide/guards.ts).
 */
export abstract class CaseRuleViolation extends DomainRuleViolation {
  readonly kind: ViolationKind = 'conflict';

  protected constructor(
    readonly caseId: string,
    message: string,
  ) {
    super(message);
  }
}

export class CaseNotFound extends CaseRuleViolation {
  readonly code = 'CASE.NOT_FOUND';
  override readonly kind: ViolationKind = 'not-found';
  constructor(caseId: string) {
    super(caseId, `Case ${caseId} does not exist.`);
  }
}

/**
 * R3, R6: an open names a case it follows (`relatedCaseId`) that does not exist, or that is
 * another organisation's: the same answer for both, so another organisation's case ids do
 * not leak. `caseId` is the related case's id.
 */
export class RelatedCaseNotFound extends CaseRuleViolation {
  readonly code = 'CASE.NOT_FOUND';
  override readonly kind: ViolationKind = 'not-found';
  constructor(relatedCaseId: string) {
    super(relatedCaseId, `The related case ${relatedCaseId} (relatedCaseId) does not exist.`);
  }
}

export class CaseAlreadyOpened extends CaseRuleViolation {
  readonly code = 'CASE.ALREADY_OPENED';
  constructor(caseId: string) {
    super(caseId, `Case ${caseId} is already open: a case id is used once.`);
  }
}

export class CaseAlreadyClosed extends CaseRuleViolation {
  readonly code = 'CASE.ALREADY_CLOSED';
  constructor(caseId: string, action: string, hint = '') {
    super(caseId, `Case ${caseId} is closed, so you cannot ${action}.${hint ? ` ${hint}` : ''}`);
  }
}

export class CaseAlreadyResolved extends CaseRuleViolation {
  readonly code = 'CASE.ALREADY_RESOLVED';
  constructor(caseId: string, action: string) {
    super(caseId, `Case ${caseId} is already resolved, so you cannot ${action}. Reopen it first if it is not solved.`);
  }
}

export class CaseNotResolved extends CaseRuleViolation {
  readonly code = 'CASE.NOT_RESOLVED';
  constructor(caseId: string, status: CaseStatus, action: string) {
    super(caseId, `Case ${caseId} is ${status}, not resolved, so you cannot ${action} yet.`);
  }
}

/** R11: a command about the wait on the customer (a reminder, the waiting auto-close) on a case not waiting. */
export class CaseNotAwaitingCustomer extends CaseRuleViolation {
  readonly code = 'CASE.NOT_AWAITING_CUSTOMER';
  constructor(caseId: string, status: CaseStatus, action: string) {
    super(caseId, `Case ${caseId} is ${status}, not awaiting the customer, so you cannot ${action}.`);
  }
}

export class CaseHeldByAnotherAgent extends CaseRuleViolation {
  readonly code = 'CASE.HELD_BY_ANOTHER_AGENT';
  constructor(
    caseId: string,
    readonly holderId: string,
  ) {
    super(caseId, `Case ${caseId} is held by agent ${holderId}; only a supervisor can reassign it (force).`);
  }
}

/**
 * R4: the agent named is unknown, or may not hold this case (another vendor than the one the
 * case is routed to, or none of the case's language). `reason` says which.
 */
export class AgentNotEligible extends CaseRuleViolation {
  readonly code = 'CASE.AGENT_NOT_ELIGIBLE';
  constructor(
    caseId: string,
    readonly agentId: string,
    readonly reason: 'unknown-agent' | 'no-vendor' | 'other-vendor' | 'language',
    detail: string,
  ) {
    super(caseId, `Agent ${agentId} cannot be assigned case ${caseId}: ${detail}`);
  }
}

export class CaseNotLinkedToIncident extends CaseRuleViolation {
  readonly code = 'CASE.NOT_LINKED_TO_INCIDENT';
  constructor(caseId: string, action: string) {
    super(caseId, `Case ${caseId} is not linked to a recorded incident, so you cannot ${action} (R14).`);
  }
}

export class CaseLinkedToAnotherIncident extends CaseRuleViolation {
  readonly code = 'CASE.LINKED_TO_ANOTHER_INCIDENT';
  constructor(
    caseId: string,
    readonly incidentId: string,
  ) {
    super(caseId, `Case ${caseId} is already linked to incident ${incidentId}; a case follows one incident.`);
  }
}

export class CreditNotRequested extends CaseRuleViolation {
  readonly code = 'CASE.CREDIT_NOT_REQUESTED';
  constructor(caseId: string) {
    super(
      caseId,
      `No service credit was requested for case ${caseId}: a credit is issued only on the customer's request (R14).`,
    );
  }
}

export class CreditAlreadyIssued extends CaseRuleViolation {
  readonly code = 'CASE.CREDIT_ALREADY_ISSUED';
  constructor(caseId: string, amount: number, currency: string) {
    super(
      caseId,
      `A service credit of ${amount} ${currency} was already issued for case ${caseId}: at most one per case (R14).`,
    );
  }
}

export class IncidentReportNotRequested extends CaseRuleViolation {
  readonly code = 'CASE.INCIDENT_REPORT_NOT_REQUESTED';
  constructor(caseId: string) {
    super(
      caseId,
      `No incident report was requested for case ${caseId}: it is sent only on the customer's request (R14).`,
    );
  }
}

export class IncidentReportAlreadySent extends CaseRuleViolation {
  readonly code = 'CASE.INCIDENT_REPORT_ALREADY_SENT';
  constructor(caseId: string, reportUrl: string) {
    super(caseId, `An incident report (${reportUrl}) was already sent for case ${caseId}.`);
  }
}

export class SurveyNotSent extends CaseRuleViolation {
  readonly code = 'CASE.SURVEY_NOT_SENT';
  constructor(caseId: string, surveyId?: string) {
    super(
      caseId,
      surveyId === undefined
        ? `No satisfaction survey was sent for case ${caseId}, so there is nothing to answer yet.`
        : `Survey ${surveyId} was never sent for case ${caseId}.`,
    );
  }
}

/** R15: a survey link of an earlier resolution, once a later resolution's survey went out. */
export class SurveySuperseded extends CaseRuleViolation {
  readonly code = 'CASE.SURVEY_SUPERSEDED';
  constructor(
    caseId: string,
    readonly surveyId: string,
  ) {
    super(caseId, `Survey ${surveyId} of case ${caseId} belongs to an earlier resolution; answer the latest survey.`);
  }
}

/** R10: the scheduler asked to record a breach before the clock's target ran out. */
export class SlaNotYetBreached extends CaseRuleViolation {
  readonly code = 'CASE.SLA_NOT_YET_BREACHED';
  constructor(
    caseId: string,
    readonly clock: string,
    readonly dueAt: string,
  ) {
    super(caseId, `Case ${caseId} is within its ${clock} target until ${dueAt}: there is no breach to record yet.`);
  }
}

export class SurveyAlreadySent extends CaseRuleViolation {
  readonly code = 'CASE.SURVEY_ALREADY_SENT';
  constructor(caseId: string, surveyId: string) {
    super(
      caseId,
      `Survey ${surveyId} was already sent for this resolution of case ${caseId}: one survey per resolution.`,
    );
  }
}

export class SurveyAlreadyAnswered extends CaseRuleViolation {
  readonly code = 'CASE.SURVEY_ALREADY_ANSWERED';
  constructor(caseId: string) {
    super(caseId, `The satisfaction survey of case ${caseId} was already answered.`);
  }
}

export class UnknownCaseCommand extends CaseRuleViolation {
  readonly code = 'CASE.UNKNOWN_COMMAND';
  override readonly kind: ViolationKind = 'invalid';
  constructor(command: { readonly type?: unknown; readonly caseId?: unknown }) {
    super(String(command.caseId), `Unknown case command ${String(command.type)}.`);
  }
}
