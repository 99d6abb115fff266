import { InvalidCommand } from '../../shared/domain-rule-violation';
import { optionalText, requireHttpUrl, requireText } from '../../shared/validation';
import type {
  IssueCredit,
  LinkToIncident,
  RequestCredit,
  RequestIncidentReport,
  SendIncidentReport,
} from '../case.commands';
import {
  CaseLinkedToAnotherIncident,
  CaseNotLinkedToIncident,
  CreditAlreadyIssued,
  CreditNotRequested,
  IncidentReportAlreadySent,
  IncidentReportNotRequested,
} from '../case.errors';
import { caseEvent, type CaseEvent } from '../case.events';
import type { CaseState, OpenedCase } from '../case.state';
import { actionOf, requireCase, requireNotClosed } from './guards';

/**
 * R14: outages, credits and incident reports. A credit or report goes only to a case linked
 * to a recorded incident, only on the customer's request, a credit at most once per case.
 * Requests need a case that is not closed; fulfilling a request made before the case was
 * closed is still allowed (a supervisor's approval may take longer than the auto-close).
 */

/** The caller has checked that the incident exists; a case follows one incident. */
export const linkToIncident = (state: CaseState, c: LinkToIncident, at: string): CaseEvent[] => {
  requireText('incidentId', c.incidentId);
  const current = requireNotClosed(state, c);
  if (current.incidentId === c.incidentId) return [];
  if (current.incidentId !== undefined) throw new CaseLinkedToAnotherIncident(current.id, current.incidentId);
  return [caseEvent('LinkedToIncident', { caseId: current.id, at, byId: c.actor.id, incidentId: c.incidentId })];
};

export const requestCredit = (state: CaseState, c: RequestCredit, at: string): CaseEvent[] => {
  const reason = optionalText('reason', c.reason);
  const current = requireNotClosed(state, c);
  const incidentId = linkedIncident(current, actionOf(c));
  if (current.credit) throw new CreditAlreadyIssued(current.id, current.credit.amount, current.credit.currency);
  if (current.creditRequest) return []; // asking twice is one request
  return [
    caseEvent('CreditRequested', {
      caseId: current.id,
      at,
      byId: c.actor.id,
      incidentId,
      ...(reason ? { reason } : {}),
    }),
  ];
};

const CURRENCY = /^[A-Z]{3}$/;

/** Never idempotent: a second credit is refused so that a double approval is seen, not hidden. */
export const issueCredit = (state: CaseState, c: IssueCredit, at: string): CaseEvent[] => {
  if (typeof c.amount !== 'number' || !Number.isFinite(c.amount) || c.amount <= 0) {
    throw new InvalidCommand('amount', 'must be a positive number');
  }
  if (typeof c.currency !== 'string' || !CURRENCY.test(c.currency)) {
    throw new InvalidCommand('currency', 'must be an ISO 4217 code such as EUR');
  }
  const current = requireCase(state, c);
  const incidentId = linkedIncident(current, actionOf(c));
  if (!current.creditRequest) throw new CreditNotRequested(current.id);
  if (current.credit) throw new CreditAlreadyIssued(current.id, current.credit.amount, current.credit.currency);
  return [
    caseEvent('CreditIssued', {
      caseId: current.id,
      at,
      byId: c.actor.id,
      incidentId,
      amount: c.amount,
      currency: c.currency,
    }),
  ];
};

export const requestIncidentReport = (state: CaseState, c: RequestIncidentReport, at: string): CaseEvent[] => {
  const current = requireNotClosed(state, c);
  const incidentId = linkedIncident(current, actionOf(c));
  if (current.incidentReport) return []; // already requested (or sent): one report per case
  return [caseEvent('IncidentReportRequested', { caseId: current.id, at, byId: c.actor.id, incidentId })];
};

export const sendIncidentReport = (state: CaseState, c: SendIncidentReport, at: string): CaseEvent[] => {
  const reportUrl = requireHttpUrl('reportUrl', c.reportUrl);
  const current = requireCase(state, c);
  const incidentId = linkedIncident(current, actionOf(c));
  const report = current.incidentReport;
  if (!report) throw new IncidentReportNotRequested(current.id);
  if (report.reportUrl === reportUrl) return []; // the same report again: a retry
  if (report.reportUrl !== undefined) throw new IncidentReportAlreadySent(current.id, report.reportUrl);
  return [caseEvent('IncidentReportSent', { caseId: current.id, at, byId: c.actor.id, incidentId, reportUrl })];
};

const linkedIncident = (current: OpenedCase, action: string): string => {
  if (current.incidentId === undefined) throw new CaseNotLinkedToIncident(current.id, action);
  return current.incidentId;
};
