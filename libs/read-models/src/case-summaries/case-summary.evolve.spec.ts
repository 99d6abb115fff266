import { caseEvent, type CaseEvent } from '@app/case-domain';
import { opened as openedEvent } from '@app/case-domain/testing';
import { evolveCaseSummary, type CaseSummary, type CaseSummaryInput } from './case-summary.evolve';

const caseId = 'c-1';
const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute)).toISOString();
const base = (minute: number) => ({ caseId, at: at(minute), byId: 'agent-1' });
// org-acme's case, in French by e-mail, asked by admin-1 (the kit's defaults)
const opened = openedEvent({ ...base(0), subject: 'SSO fails', product: 'cloud-identity', priority: 'P2' });

/** folds the events as the log would number them: versions 1…, positions 10, 20… */
const fold = (...events: CaseEvent[]): CaseSummary | null =>
  events.reduce<CaseSummary | null>(
    (doc, event, i) =>
      evolveCaseSummary(doc, { ...event, streamVersion: i + 1, globalPosition: (i + 1) * 10 } as CaseSummaryInput),
    null,
  );

describe('evolveCaseSummary', () => {
  it('opens a summary from Opened', () =>
    expect(fold(opened)).toEqual({
      caseId,
      tenant: 'org-acme',
      status: 'open',
      priority: 'P2',
      language: 'fr',
      channel: 'email',
      subject: 'SSO fails',
      product: 'cloud-identity',
      requesterId: 'admin-1',
      assigneeId: null,
      vendorId: null,
      incidentId: null,
      outcome: null,
      openedAt: at(0),
      updatedAt: at(0),
      resolvedAt: null,
      closedAt: null,
      cycle: 1,
      escalationCount: 0,
      creditIssued: false,
      surveyRating: null,
      version: 1,
      lastGlobalPosition: 10,
    }));

  describe('R4: the routed vendor', () => {
    const routed = (minute: number, vendorId: string | null, previousVendorId?: string | null) =>
      caseEvent('Routed', {
        ...base(minute),
        byId: 'system:router',
        vendorId,
        queueId: 'fr-P2',
        reason: vendorId === null ? 'no-eligible-vendor' : 'follow-the-sun',
        trigger: previousVendorId === undefined ? 'opened' : 'shift-ended',
        candidates: vendorId === null ? [] : [{ vendorId, atWork: true }],
        ...(previousVendorId === undefined ? {} : { previousVendorId }),
      });

    it('is the vendor of Routed, lower-cased as canSeeCase compares it', () =>
      expect(fold(opened, routed(1, ' North-Desk '))).toMatchObject({
        vendorId: 'north-desk',
        version: 2,
        updatedAt: at(1),
      }));

    it('follows a re-route: the latest Routed wins', () =>
      expect(fold(opened, routed(1, 'north-desk'), routed(2, 'south-desk', 'north-desk'))?.vendorId).toBe(
        'south-desk',
      ));

    it('is null before the first Routed, and when the case is routed to nobody', () => {
      expect(fold(opened)?.vendorId).toBeNull();
      expect(fold(opened, routed(1, 'north-desk'), routed(2, null, 'north-desk'))?.vendorId).toBeNull();
    });

    it('is not touched by other events', () =>
      expect(
        fold(
          opened,
          routed(1, 'north-desk'),
          caseEvent('AgentAssigned', { ...base(2), agentId: 'agent-2', forced: false }),
          caseEvent('Resolved', { ...base(3), outcome: 'solved', summary: 's', cycle: 1 }),
        )?.vendorId,
      ).toBe('north-desk'));
  });

  it('has nothing to show for a case never opened', () =>
    expect(fold(caseEvent('AgentAssigned', { ...base(1), agentId: 'agent-2', forced: false }))).toBeNull());

  it('follows priority, assignee, escalations and incident', () =>
    expect(
      fold(
        opened,
        caseEvent('PriorityChanged', { ...base(1), from: 'P2', to: 'P1', reason: 'outage' }),
        caseEvent('AgentAssigned', { ...base(2), agentId: 'agent-2', forced: false }),
        caseEvent('Escalated', { ...base(3), target: 'product-team', reason: 'bug' }),
        caseEvent('Escalated', { ...base(4), target: 'supervisor', reason: 'slow' }),
        caseEvent('LinkedToIncident', { ...base(5), incidentId: 'inc-9' }),
      ),
    ).toMatchObject({
      priority: 'P1',
      assigneeId: 'agent-2',
      escalationCount: 2,
      incidentId: 'inc-9',
      version: 6,
      updatedAt: at(5),
    }));

  it('waits for the customer after InfoRequested, and only an answer that ends the wait reopens it', () => {
    const requested = caseEvent('InfoRequested', {
      ...base(1),
      agentId: 'agent-1',
      items: ['logs'],
      message: 'Logs?',
      firstResponse: true,
    });
    expect(fold(opened, requested)?.status).toBe('awaiting-customer');
    const chatter = caseEvent('CustomerReplied', { ...base(2), message: 'hm', endsWait: false });
    expect(fold(opened, requested, chatter)?.status).toBe('awaiting-customer');
    const provided = caseEvent('InfoProvided', { ...base(3), message: 'here', attachments: [], endsWait: true });
    expect(fold(opened, requested, chatter, provided)?.status).toBe('open');
    const replied = caseEvent('CustomerReplied', { ...base(3), message: 'here', endsWait: true });
    expect(fold(opened, requested, replied)?.status).toBe('open');
  });

  it('resolves, reopens into a new cycle (clearing the outcome), and closes', () => {
    const resolved = caseEvent('Resolved', {
      ...base(1),
      outcome: 'outage',
      summary: 's',
      incidentId: 'inc-2',
      cycle: 1,
    });
    expect(fold(opened, resolved)).toMatchObject({
      status: 'resolved',
      outcome: 'outage',
      resolvedAt: at(1),
      incidentId: 'inc-2',
    });
    const reopened = caseEvent('Reopened', { ...base(2), reason: 'again', cycle: 2 });
    expect(fold(opened, resolved, reopened)).toMatchObject({
      status: 'open',
      cycle: 2,
      outcome: null,
      resolvedAt: null,
    });
    const again = caseEvent('Resolved', { ...base(3), outcome: 'solved', summary: 's', cycle: 2 });
    const closed = caseEvent('Closed', { ...base(4), outcome: 'solved', cycle: 2 });
    expect(fold(opened, resolved, reopened, again, closed)).toMatchObject({
      status: 'closed',
      outcome: 'solved',
      resolvedAt: at(3),
      closedAt: at(4),
      incidentId: 'inc-2',
    });
  });

  it('records the credit and the survey rating', () =>
    expect(
      fold(
        opened,
        caseEvent('Resolved', { ...base(1), outcome: 'outage', summary: 's', cycle: 1 }),
        caseEvent('CreditRequested', { ...base(2), incidentId: 'inc-1' }),
        caseEvent('CreditIssued', { ...base(3), incidentId: 'inc-1', amount: 10, currency: 'EUR' }),
        caseEvent('SurveySent', { ...base(4), surveyId: 's-1', cycle: 1 }),
        caseEvent('SurveyAnswered', { ...base(5), surveyId: 's-1', rating: 4, cycle: 1 }),
      ),
    ).toMatchObject({ creditIssued: true, surveyRating: 4, version: 6, lastGlobalPosition: 60 }));

  it('moves only the version and time for events that change nothing shown', () => {
    const responded = caseEvent('AgentResponded', {
      ...base(1),
      agentId: 'agent-1',
      message: 'on it',
      firstResponse: true,
    });
    const before = fold(opened)!;
    expect(fold(opened, responded)).toEqual({ ...before, version: 2, lastGlobalPosition: 20, updatedAt: at(1) });
    // a repeated Opened does not reset anything either
    expect(fold(opened, responded, { ...opened, data: { ...opened.data, subject: 'other' } })).toMatchObject({
      subject: 'SSO fails',
      version: 3,
    });
  });

  it("moves only the version for an internal note: not updatedAt, which the customers' list shows", () => {
    const note = caseEvent('InternalNoteAdded', { ...base(7), byId: 'super-1', message: 'Chase them.' });
    const before = fold(opened)!;
    expect(fold(opened, note)).toEqual({ ...before, version: 2, lastGlobalPosition: 20 });
  });
});
