import { deciderSpec } from '@app/testing';
import { InvalidCommand } from '../../shared/domain-rule-violation';
import { caseDecider } from '../case.decide';
import {
  CaseAlreadyClosed,
  CaseLinkedToAnotherIncident,
  CaseNotLinkedToIncident,
  CreditAlreadyIssued,
  CreditNotRequested,
  IncidentReportAlreadySent,
  IncidentReportNotRequested,
} from '../case.errors';
import {
  agent,
  closed,
  cmd,
  creditIssued,
  creditRequested,
  customer,
  evNow,
  linked,
  opened,
  reportRequested,
  reportSent,
  resolved,
  supervisor,
} from '../../testing';

const given = deciderSpec(caseDecider);
const outageResolved = resolved({ outcome: 'outage', incidentId: 'inc-1' });

describe('LinkToIncident (R14)', () => {
  it('R14: links the case to a recorded incident', () =>
    given([opened()])
      .when(cmd.link('inc-1'))
      .then([evNow('LinkedToIncident', { incidentId: 'inc-1' }, agent.id)]));

  it('R14: refuses a second, different incident: a case follows one incident', () =>
    given([opened(), linked('inc-1')])
      .when(cmd.link('inc-2'))
      .thenThrows(CaseLinkedToAnotherIncident));

  it('does nothing when the case is linked to that incident already', () =>
    given([opened(), linked('inc-1')])
      .when(cmd.link('inc-1'))
      .thenNothingHappened());

  it('refuses to link a closed case', () =>
    given([opened(), resolved(), closed()]).when(cmd.link()).thenThrows(CaseAlreadyClosed));
});

describe('RequestCredit (R14)', () => {
  it('R14: the customer asks for a service credit on a case linked to an incident', () =>
    given([opened(), linked(), outageResolved])
      .when(cmd.requestCredit({ reason: 'Four hours down.' }))
      .then([evNow('CreditRequested', { incidentId: 'inc-1', reason: 'Four hours down.' }, customer.id)]));

  it('R14: refuses a credit request for a case with no incident link', () =>
    given([opened()]).when(cmd.requestCredit()).thenThrows(CaseNotLinkedToIncident));

  it('R14: does nothing when a credit was requested already', () =>
    given([opened(), linked(), creditRequested()]).when(cmd.requestCredit()).thenNothingHappened());

  it('R14: refuses a request once the credit was issued', () =>
    given([opened(), linked(), creditRequested(), creditIssued()])
      .when(cmd.requestCredit())
      .thenThrows(CreditAlreadyIssued));

  it('refuses a credit request on a closed case', () =>
    given([opened(), linked(), outageResolved, closed()]).when(cmd.requestCredit()).thenThrows(CaseAlreadyClosed));
});

describe('IssueCredit (R14)', () => {
  it('R14: a supervisor issues the requested credit with an amount and currency', () =>
    given([opened(), linked(), outageResolved, creditRequested()])
      .when(cmd.issueCredit())
      .then([evNow('CreditIssued', { incidentId: 'inc-1', amount: 120, currency: 'EUR' }, supervisor.id)]));

  it('R14: a credit requested before the auto-close can still be issued after it', () =>
    given([opened(), linked(), outageResolved, creditRequested(), closed()])
      .when(cmd.issueCredit())
      .then([evNow('CreditIssued', { incidentId: 'inc-1', amount: 120, currency: 'EUR' }, supervisor.id)]));

  it('R14: refuses a credit for a case with no incident link', () =>
    given([opened()]).when(cmd.issueCredit()).thenThrows(CaseNotLinkedToIncident));

  it('R14: refuses a credit the customer did not request', () =>
    given([opened(), linked()])
      .when(cmd.issueCredit())
      .thenThrows(CreditNotRequested, (e) => expect(e.code).toBe('CASE.CREDIT_NOT_REQUESTED')));

  it('R14: refuses a second credit, even with the same amount', () =>
    given([opened(), linked(), creditRequested(), creditIssued()])
      .when(cmd.issueCredit())
      .thenThrows(CreditAlreadyIssued, (e) => expect(e.code).toBe('CASE.CREDIT_ALREADY_ISSUED')));

  it.each([
    ['a zero amount', cmd.issueCredit({ amount: 0 })],
    ['a negative amount', cmd.issueCredit({ amount: -10 })],
    ['an amount that is not a number', cmd.issueCredit({ amount: Number.NaN })],
    ['a lower-case currency', cmd.issueCredit({ currency: 'eur' })],
    ['a currency that is not three letters', cmd.issueCredit({ currency: 'EURO' })],
  ])('refuses %s', (_what, command) =>
    given([opened(), linked(), creditRequested()]).when(command).thenThrows(InvalidCommand),
  );
});

describe('RequestIncidentReport (R14)', () => {
  it('R14: the customer asks for an incident report on a case linked to an incident', () =>
    given([opened(), linked()])
      .when(cmd.requestReport())
      .then([evNow('IncidentReportRequested', { incidentId: 'inc-1' }, customer.id)]));

  it('R14: refuses a report request for a case with no incident link', () =>
    given([opened()]).when(cmd.requestReport()).thenThrows(CaseNotLinkedToIncident));

  it('does nothing when a report was requested already', () =>
    given([opened(), linked(), reportRequested()]).when(cmd.requestReport()).thenNothingHappened());
});

describe('SendIncidentReport (R14)', () => {
  it('R14: sends the requested report', () =>
    given([opened(), linked(), reportRequested()])
      .when(cmd.sendReport())
      .then([evNow('IncidentReportSent', { incidentId: 'inc-1', reportUrl: 'https://status.example/reports/inc-1' })]));

  it('R14: refuses a report nobody requested', () =>
    given([opened(), linked()])
      .when(cmd.sendReport())
      .thenThrows(IncidentReportNotRequested, (e) => expect(e.code).toBe('CASE.INCIDENT_REPORT_NOT_REQUESTED')));

  it('does nothing when the same report is sent again (a retry)', () =>
    given([opened(), linked(), reportRequested(), reportSent()]).when(cmd.sendReport()).thenNothingHappened());

  it('refuses a different report once one was sent', () =>
    given([opened(), linked(), reportRequested(), reportSent()])
      .when(cmd.sendReport('https://status.example/reports/other'))
      .thenThrows(IncidentReportAlreadySent));

  it('refuses a report URL that is not http(s)', () =>
    given([opened(), linked(), reportRequested()])
      .when(cmd.sendReport('file:///etc/passwd'))
      .thenThrows(InvalidCommand));
});
