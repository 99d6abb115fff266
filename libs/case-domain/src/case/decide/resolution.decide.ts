import { InvalidCommand } from '../../shared/domain-rule-violation';
import {
  optionalText,
  requireDurationMs,
  requireHttpUrl,
  requireInstant,
  requireOneOf,
  requireText,
} from '../../shared/validation';
import type { CloseCase, ReopenCase, ReplyToCase, ResolveCase } from '../case.commands';
import { CaseAlreadyResolved, CaseNotAwaitingCustomer, CaseNotLinkedToIncident, CaseNotResolved } from '../case.errors';
import { caseEvent, type CaseEvent } from '../case.events';
import type { CaseState, OpenedCase } from '../case.state';
import { NO_CUSTOMER_ANSWER, OUTCOMES, type CycleSlaTerms } from '../case.types';
import { actionOf, requireCase, requireNotClosed } from './guards';

/**
 * R12: every case ends with one outcome; R15: resolved cases are reopened or closed.
 * R11: `no-customer-answer` is the waiting timer's (the system's) and the only outcome the
 * system may record, on a case awaiting the customer; staff choose among the others.
 */
export const resolveCase = (state: CaseState, c: ResolveCase, at: string): CaseEvent[] => {
  const outcome = requireOneOf('outcome', c.outcome, OUTCOMES);
  const bySystem = c.actor.role === 'system';
  if (outcome === NO_CUSTOMER_ANSWER && !bySystem) {
    throw new InvalidCommand('outcome', 'no-customer-answer is recorded by the waiting timer only (R11)');
  }
  if (bySystem && outcome !== NO_CUSTOMER_ANSWER) {
    throw new InvalidCommand('outcome', 'the system resolves a case only with no-customer-answer (R11)');
  }
  requireText('summary', c.summary);
  const recommendations = optionalText('recommendations', c.recommendations);
  if (outcome === 'cannot-reproduce' && recommendations === undefined) {
    throw new InvalidCommand('recommendations', 'are required when the problem cannot be reproduced (R12)');
  }
  const featureRequestUrl =
    c.featureRequestUrl === undefined ? undefined : requireHttpUrl('featureRequestUrl', c.featureRequestUrl);
  if (featureRequestUrl !== undefined && outcome !== 'feature-request') {
    throw new InvalidCommand('featureRequestUrl', 'goes only with the outcome feature-request');
  }
  const current = requireNotClosed(state, c);
  if (current.status === 'resolved') throw new CaseAlreadyResolved(current.id, actionOf(c));
  // R11: the case is resolved for want of an answer only while it waits for one
  if (outcome === NO_CUSTOMER_ANSWER && current.status !== 'awaiting-customer') {
    throw new CaseNotAwaitingCustomer(current.id, current.status, `${actionOf(c)} as ${NO_CUSTOMER_ANSWER}`);
  }
  // R12/R14: an outage is one recorded on the status dashboard, so the case must point at it
  if (outcome === 'outage' && current.incidentId === undefined) {
    throw new CaseNotLinkedToIncident(current.id, 'resolve it as an outage');
  }
  return [
    caseEvent('Resolved', {
      caseId: current.id,
      at,
      byId: c.actor.id,
      outcome,
      summary: c.summary,
      ...(recommendations === undefined ? {} : { recommendations }),
      ...(featureRequestUrl === undefined ? {} : { featureRequestUrl }),
      ...(current.incidentId === undefined ? {} : { incidentId: current.incidentId }),
      cycle: current.cycle,
    }),
  ];
};

/**
 * R15: the reopen window. A resolved case may be reopened, by `ReopenCase` or by the
 * customer's reply (`ReplyToCase`), until it is closed (by the auto-close, AUTO_CLOSE_DAYS
 * after the resolution); a closed case stays closed. One definition for both commands.
 */
export const inReopenWindow = (current: OpenedCase): boolean => current.status === 'resolved';

/** Why a closed case cannot be reopened, and what the customer does instead. */
export const reopenWindowClosedHint = (caseId: string): string =>
  `A resolved case can be reopened only until it is closed: open a new case that refers to this one (relatedCaseId ${caseId}).`;

/** The case, refused with the reason and the way out when the reopen window has closed. */
export const requireReopenable = (state: CaseState, c: ReopenCase | ReplyToCase): OpenedCase =>
  requireNotClosed(state, c, state.status === 'not-opened' ? undefined : reopenWindowClosedHint(state.id));

/**
 * `Reopened` for a case in the reopen window: a new resolution cycle whose clocks start
 * again. `sla` (the shell's, checked by {@link validCycleSlaTerms}) carries the new cycle's
 * first-response due time.
 */
export const reopenedEvent = (
  current: OpenedCase,
  by: string,
  reason: string,
  sla: CycleSlaTerms | undefined,
  at: string,
): CaseEvent =>
  caseEvent('Reopened', {
    caseId: current.id,
    at,
    byId: by,
    reason,
    cycle: current.cycle + 1,
    ...(sla === undefined ? {} : { sla }),
  });

/**
 * R15: the customer says a resolved case is not solved; a new resolution cycle starts and
 * the clocks that matter start again. Reopening a case that is open already changes nothing.
 * A closed case stays closed: the customer opens a new case that refers to it.
 */
export const reopenCase = (state: CaseState, c: ReopenCase, at: string): CaseEvent[] => {
  requireText('reason', c.reason);
  const sla = validCycleSlaTerms(c.sla, at);
  const current = requireReopenable(state, c);
  if (!inReopenWindow(current)) return [];
  return [reopenedEvent(current, c.actor.id, c.reason, sla, at)];
};

/** R10: the new cycle's terms the shell computed, checked for shape and order like `Opened.sla`. */
export const validCycleSlaTerms = (terms: CycleSlaTerms | undefined, at: string): CycleSlaTerms | undefined => {
  if (terms === undefined) return undefined;
  const firstResponseTargetMs = requireDurationMs('sla.firstResponseTargetMs', terms?.firstResponseTargetMs);
  const firstResponseDueAt = requireInstant('sla.firstResponseDueAt', terms.firstResponseDueAt);
  if (Date.parse(firstResponseDueAt) < Date.parse(at))
    throw new InvalidCommand('sla.firstResponseDueAt', 'must not be before the reopen');
  return { firstResponseTargetMs, firstResponseDueAt };
};

/**
 * R15, system: the auto-close timer. Closing a closed case changes nothing, so the timer
 * may fire twice (at-least-once delivery) without harm.
 */
export const closeCase = (state: CaseState, c: CloseCase, at: string): CaseEvent[] => {
  const current = requireCase(state, c);
  if (current.status === 'closed') return [];
  if (current.status !== 'resolved' || current.resolution === undefined) {
    throw new CaseNotResolved(current.id, current.status, actionOf(c));
  }
  return [
    caseEvent('Closed', {
      caseId: current.id,
      at,
      byId: c.actor.id,
      outcome: current.resolution.outcome,
      cycle: current.cycle,
    }),
  ];
};
