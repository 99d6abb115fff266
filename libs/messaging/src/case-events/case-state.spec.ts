import type { CaseEventEnvelope } from './case-event-envelope';
import { evolveCaseState, type CaseStateSummary } from './case-state';

let position = 0;
const e = (type: string, at: string, data: Record<string, unknown> = {}): CaseEventEnvelope => ({
  eventId: `e-${++position}`,
  type,
  schemaVersion: 1,
  caseId: 'c-1',
  tenant: 'acme.example',
  occurredAt: at,
  position: position * 10,
  data: { caseId: 'c-1', at, byId: 'p', ...data },
});
const fold = (events: CaseEventEnvelope[]) =>
  events.reduce<CaseStateSummary | null>((s, event, i) => evolveCaseState(s, event, i + 1), null);

describe('evolveCaseState (the case-state topic)', () => {
  beforeEach(() => (position = 0));

  it('follows status, priority, due time, first response, escalations, outcome, CSAT and cycle', () => {
    const state = fold([
      e('Opened', '2026-03-02T09:00:00.000Z', {
        priority: 'P1',
        product: 'cip',
        language: 'fr',
        channel: 'email',
        sla: { firstResponseDueAt: '2026-03-02T10:00:00.000Z' },
      }),
      e('Routed', '2026-03-02T09:00:01.000Z', { vendorId: 'north-desk', queueId: 'fr-P1' }),
      e('PriorityChanged', '2026-03-02T09:05:00.000Z', { from: 'P1', to: 'P2' }),
      e('SlaBreached', '2026-03-02T10:01:00.000Z', { clock: 'first-response', cycle: 1 }),
      e('AgentAssigned', '2026-03-02T10:02:00.000Z', { agentId: 'hash-agent' }),
      e('InfoRequested', '2026-03-02T10:03:00.000Z', { firstResponse: true }),
      e('InfoProvided', '2026-03-02T10:04:00.000Z', { endsWait: true }),
      e('Escalated', '2026-03-02T10:05:00.000Z', { target: 'product-team' }),
      e('LinkedToIncident', '2026-03-02T10:06:00.000Z', { incidentId: 'i-1' }),
      e('Resolved', '2026-03-02T11:00:00.000Z', { outcome: 'outage', cycle: 1 }),
      e('SurveySent', '2026-03-02T11:00:01.000Z', { cycle: 1 }),
      e('SurveyAnswered', '2026-03-03T08:00:00.000Z', { rating: 4, cycle: 1 }),
      e('Closed', '2026-03-05T11:00:00.000Z', { outcome: 'outage', cycle: 1 }),
    ]);
    expect(state).toEqual({
      caseId: 'c-1',
      tenant: 'acme.example',
      status: 'closed',
      priority: 'P2',
      product: 'cip',
      language: 'fr',
      channel: 'email',
      assigneeId: 'hash-agent',
      vendor: 'north-desk',
      queueId: 'fr-P1',
      openedAt: '2026-03-02T09:00:00.000Z',
      firstRespondedAt: '2026-03-02T10:03:00.000Z',
      firstResponseDueAt: '2026-03-02T10:00:00.000Z',
      slaBreaches: ['first-response'],
      resolvedAt: '2026-03-02T11:00:00.000Z',
      closedAt: '2026-03-05T11:00:00.000Z',
      outcome: 'outage',
      incidentId: 'i-1',
      escalations: 1,
      csat: { rating: 4, answeredAt: '2026-03-03T08:00:00.000Z', cycle: 1 },
      cycle: 1,
      version: 13,
      position: 130,
      updatedAt: '2026-03-05T11:00:00.000Z',
    });
    // what goes on the topic is the summary itself: no undefined fields to lose
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('starts a new cycle on reopen: open again, no outcome, no breaches, first response kept', () => {
    const state = fold([
      e('Opened', '2026-03-02T09:00:00.000Z', { priority: 'P3' }),
      e('AgentResponded', '2026-03-02T09:10:00.000Z', { firstResponse: true }),
      e('SlaBreached', '2026-03-02T12:00:00.000Z', { clock: 'resolution', cycle: 1 }),
      e('Resolved', '2026-03-02T13:00:00.000Z', { outcome: 'solved', cycle: 1 }),
      e('Reopened', '2026-03-03T09:00:00.000Z', { cycle: 2 }),
      e('AgentResponded', '2026-03-03T09:30:00.000Z', { firstResponse: true }),
    ]);
    expect(state).toMatchObject({ status: 'open', cycle: 2, firstRespondedAt: '2026-03-02T09:10:00.000Z' });
    expect(state).not.toHaveProperty('outcome');
    expect(state).not.toHaveProperty('resolvedAt');
    expect(state).not.toHaveProperty('slaBreaches');
  });

  it('follows the vendor through re-routing, and drops it when no vendor is eligible', () => {
    const routed = fold([
      e('Opened', '2026-03-02T09:00:00.000Z', { priority: 'P3' }),
      e('Routed', '2026-03-02T09:00:01.000Z', { vendorId: 'north-desk', queueId: 'fr-P3' }),
      e('Routed', '2026-03-02T18:00:00.000Z', { vendorId: 'south-desk', queueId: 'fr-P3' }),
    ]);
    expect(routed).toMatchObject({ vendor: 'south-desk', queueId: 'fr-P3' });
    const none = evolveCaseState(
      routed,
      e('Routed', '2026-03-02T19:00:00.000Z', { vendorId: null, queueId: 'fr-P3' }),
      4,
    );
    expect(none).not.toHaveProperty('vendor');
  });

  it('moves only version, position and time for an event type it does not know', () => {
    const opened = fold([e('Opened', '2026-03-02T09:00:00.000Z', { priority: 'P3' })])!;
    const next = evolveCaseState(opened, e('CaseMerged', '2026-03-02T10:00:00.000Z'), 2);
    expect(next).toEqual({ ...opened, version: 2, position: 20, updatedAt: '2026-03-02T10:00:00.000Z' });
  });
});
