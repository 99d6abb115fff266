import { foldEvents } from '../shared/decider';
import { caseDecider } from './case.decide';
import type { CaseEvent } from './case.events';
import { initialCaseState } from './case.state';
import { toCaseView } from './case.view';
import {
  AT,
  assigned,
  CASE_ID,
  creditIssued,
  creditRequested,
  EARLIER,
  ev,
  infoRequested,
  linked,
  opened,
  reminded,
  reportRequested,
  resolved,
  surveySent,
} from '../testing';

const view = (events: CaseEvent[]) => toCaseView(foldEvents(caseDecider, events));

describe('toCaseView (GET /v1/cases/{id})', () => {
  it('is null for a case that was never opened() (the API answers 404)', () =>
    expect(toCaseView(initialCaseState)).toBeNull());

  it('shows a new case with the exact status strings and no unset optional field', () =>
    expect(view([opened()])).toEqual({
      id: CASE_ID,
      status: 'open',
      priority: 'P1',
      subject: 'SSO login fails',
      description: 'Nobody in the sales team can sign in since 9:00.',
      product: 'cloud-identity-premium',
      language: 'fr',
      channel: 'email',
      impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: false },
      workaround: 'none',
      tenant: 'org-acme',
      requesterId: 'admin-1',
      openedAt: EARLIER,
      escalations: [],
      notes: [],
      creditRequested: false,
      incidentReport: { requested: false, sent: false },
      survey: { sent: false, answered: false },
      notifications: { enabled: true },
      cycle: 1,
      version: 1,
    }));

  it("shows the customer's notification e-mails turned off", () =>
    expect(view([opened(), ev('NotificationsChanged', { enabled: false }, 'admin-1')])?.notifications).toEqual({
      enabled: false,
    }));

  it('R11: shows what the customer is asked for while awaiting the customer', () =>
    expect(view([opened(), assigned(), infoRequested])).toMatchObject({
      status: 'awaiting-customer',
      assigneeId: 'agent-1',
      firstRespondedAt: EARLIER,
      pendingInfoRequest: { items: ['logs'], since: EARLIER },
      version: 3,
    }));

  it('R11: shows when the customer was reminded of the wait', () =>
    expect(view([opened(), infoRequested, reminded()])).toMatchObject({
      status: 'awaiting-customer',
      pendingInfoRequest: { items: ['logs'], since: EARLIER, remindedAt: EARLIER },
    }));

  it('R12/R14/R15: shows the outcome, the incident, the credit, the report and the survey', () => {
    const issued = { ...creditIssued(), data: { ...creditIssued().data, at: AT } };
    expect(
      view([
        opened(),
        linked(),
        resolved({ outcome: 'outage', summary: 'Over.' }),
        creditRequested(),
        issued,
        reportRequested(),
        surveySent(),
      ]),
    ).toMatchObject({
      status: 'resolved',
      resolvedAt: EARLIER,
      outcome: 'outage',
      resolution: { summary: 'Over.' },
      incidentId: 'inc-1',
      creditRequested: true,
      credit: { amount: 120, currency: 'EUR', issuedAt: AT },
      incidentReport: { requested: true, sent: false, requestedAt: EARLIER },
      survey: { sent: true, answered: false, surveyId: 'survey-1' },
      version: 7,
    });
  });

  it('R13: lists escalations; survives a JSON round trip unchanged', () => {
    const v = view([opened(), ev('Escalated', { target: 'supervisor', reason: 'Urgent.' })]);
    expect(v?.escalations).toEqual([{ target: 'supervisor', reason: 'Urgent.', at: EARLIER, byId: 'agent-1' }]);
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });

  it("shows staff's internal notes, oldest first (the customer's view leaves them out: case-audience.ts)", () =>
    expect(view([opened(), ev('InternalNoteAdded', { message: 'Old connector.' })])?.notes).toEqual([
      { message: 'Old connector.', at: EARLIER, byId: 'agent-1' },
    ]));

  it('takes an explicit version when the caller has one', () =>
    expect(toCaseView(foldEvents(caseDecider, [opened()]), 42)?.version).toBe(42));

  it('R10: shows the SLA figures the shell computed (`slaReport`), and leaves them out when it computed none', () => {
    const state = foldEvents(caseDecider, [opened()]);
    const sla = {
      computedWith: { calendarId: 'europe-paris', calendarVersion: 1, policyVersion: 1 },
      cycle: 1,
      firstResponse: { state: 'running' as const, usedMs: 0 },
      resolution: { state: 'running' as const, usedMs: 0 },
      waitingOnCustomer: { businessMs: 0, elapsedMs: 0, count: 0 },
      cycles: [],
    };
    expect(toCaseView(state, state.version, sla)?.sla).toBe(sla);
    expect(toCaseView(state)).not.toHaveProperty('sla');
  });
});
