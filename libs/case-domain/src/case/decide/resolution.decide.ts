import { InvalidCommand } from '../../shared/domain-rule-violation';
import { optionalText, requireHttpUrl, requireOneOf, requireText } from '../../shared/validation';
import type { CloseCase, ReopenCase, ResolveCase } from '../case.commands';
import { CaseAlreadyResolved, CaseNotLinkedToIncident, CaseNotResolved } from '../case.errors';
import { caseEvent, type CaseEvent } from '../case.events';
import type { CaseState } from '../case.state';
import { OUTCOMES } from '../case.types';
import { actionOf, requireCase, requireNotClosed } from './guards';

/** R12: every case ends with one outcome; R15: resolved cases are reopened or closed. */
export const resolveCase = (state: CaseState, c: ResolveCase, at: string): CaseEvent[] => {
  const outcome = requireOneOf('outcome', c.outcome, OUTCOMES);
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
 * R15: the customer says a resolved case is not solved; a new resolution cycle starts and
 * the clocks that matter start again. Reopening a case that is open already changes nothing.
 * A closed case stays closed: the customer opens a new case that refers to it.
 */
export const reopenCase = (state: CaseState, c: ReopenCase, at: string): CaseEvent[] => {
  requireText('reason', c.reason);
  const current = requireNotClosed(state, c, 'Open a new case that refers to it (relatedCaseId).');
  if (current.status !== 'resolved') return [];
  return [
    caseEvent('Reopened', { caseId: current.id, at, byId: c.actor.id, reason: c.reason, cycle: current.cycle + 1 }),
  ];
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
