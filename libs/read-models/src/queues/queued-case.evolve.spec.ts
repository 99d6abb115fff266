import { CASE_EVENT_TYPES, caseEvent, type CaseEvent } from '@app/case-domain';
import { opened as openedWith } from '@app/case-domain/testing';
import { evolveQueuedCase, isQueued, QUEUE_EVENT_TYPES, type QueuedCase, type QueueInput } from './queued-case.evolve';

const caseId = 'c-1';
const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute)).toISOString();
const base = (minute: number) => ({ caseId, at: at(minute), byId: 'eve' });
/** the kit's opened case, with what the queue reads from it */
const opened = openedWith({
  ...base(0),
  tenant: 'acme.example',
  subject: 'SSO fails',
  language: 'fr-CA',
  priority: 'P2',
  sla: {
    calendarId: 'europe-paris',
    calendarVersion: 1,
    policyVersion: 1,
    region: 'emea',
    firstResponseTargetMs: 28_800_000,
    firstResponseDueAt: '2026-03-03T09:00:00.000Z',
  },
});
const routed = (vendorId: string | null) =>
  caseEvent('Routed', {
    ...base(1),
    byId: 'system:router',
    vendorId,
    queueId: 'fr-ca-P2',
    reason: vendorId ? 'follow-the-sun' : 'no-eligible-vendor',
    trigger: 'opened',
    candidates: [],
  });
const fold = (...events: CaseEvent[]): QueuedCase | null =>
  events.reduce<QueuedCase | null>(
    (doc, e, i) => evolveQueuedCase(doc, { ...e, streamVersion: i + 1 } as QueueInput),
    null,
  );

describe('evolveQueuedCase', () => {
  it('puts an opened case in the queue of its (lower-cased) language and priority, with its due time', () =>
    expect(fold(opened)).toEqual({
      caseId,
      tenant: 'acme.example',
      language: 'fr-ca',
      priority: 'P2',
      status: 'open',
      assigneeId: null,
      vendorId: null,
      routed: false,
      queueId: 'fr-ca-P2',
      region: 'emea',
      subject: 'SSO fails',
      openedAt: at(0),
      firstResponseDueAt: '2026-03-03T09:00:00.000Z',
      breached: false,
      cycle: 1,
      version: 1,
    }));

  it('follows the routing, the priority (and so the queue) and the claim', () => {
    const doc = fold(
      opened,
      routed('north-desk'),
      caseEvent('PriorityChanged', { ...base(2), from: 'P2', to: 'P1', reason: 'outage' }),
    );
    expect(doc).toMatchObject({ vendorId: 'north-desk', routed: true, priority: 'P1', queueId: 'fr-ca-P1' });
    expect(isQueued(doc!)).toBe(true);
    const claimed = fold(
      opened,
      routed('north-desk'),
      caseEvent('AgentAssigned', { ...base(3), agentId: 'eve', forced: false }),
    );
    expect(isQueued(claimed!)).toBe(false);
    expect(fold(opened, routed(null))).toMatchObject({ vendorId: null, routed: true });
  });

  it('leaves the queue while waiting on the customer, and comes back when the customer answers', () => {
    const asked = caseEvent('InfoRequested', {
      ...base(2),
      agentId: 'eve',
      items: ['logs'],
      message: '?',
      firstResponse: true,
    });
    expect(isQueued(fold(opened, asked)!)).toBe(false);
    const answered = caseEvent('InfoProvided', { ...base(3), message: 'here', attachments: [], endsWait: true });
    expect(isQueued(fold(opened, asked, answered)!)).toBe(true);
  });

  it('marks the current cycle breached (R10), and a reopen starts a cycle without breach or known due time', () => {
    const breach = (cycle: number) =>
      caseEvent('SlaBreached', {
        ...base(5),
        byId: 'system:sla-timer',
        clock: 'first-response',
        cycle,
        priority: 'P2',
        dueAt: '2026-03-03T09:00:00.000Z',
        targetMs: 1,
        calendarId: 'europe-paris',
        calendarVersion: 1,
        policyVersion: 1,
      });
    expect(fold(opened, breach(1))?.breached).toBe(true);
    expect(fold(opened, breach(2))?.breached).toBe(false);
    const resolved = caseEvent('Resolved', { ...base(6), outcome: 'solved', summary: 's', cycle: 1 });
    const reopened = caseEvent('Reopened', { ...base(7), reason: 'again', cycle: 2 });
    expect(fold(opened, breach(1), resolved, reopened)).toMatchObject({
      status: 'open',
      cycle: 2,
      breached: false,
      firstResponseDueAt: null,
    });
    expect(fold(opened, resolved)?.status).toBe('resolved');
  });

  it('R10, R15: a reopen that records its new cycle’s terms gives the queue that cycle’s due time', () => {
    const resolved = caseEvent('Resolved', { ...base(6), outcome: 'solved', summary: 's', cycle: 1 });
    const sla = { firstResponseTargetMs: 28_800_000, firstResponseDueAt: '2026-03-04T09:07:00Z' };
    const reopened = caseEvent('Reopened', { ...base(7), reason: 'again', cycle: 2, sla });
    expect(fold(opened, resolved, reopened)).toMatchObject({
      status: 'open',
      cycle: 2,
      firstResponseDueAt: '2026-03-04T09:07:00.000Z',
    });
  });

  it('has nothing to show for an event of a case never opened', () =>
    expect(fold(caseEvent('AgentAssigned', { ...base(1), agentId: 'eve', forced: false }))).toBeNull());

  it('changes only the version for an event type outside QUEUE_EVENT_TYPES (what the audit replay may skip)', () => {
    const doc = fold(opened, routed('north-desk')) as QueuedCase;
    const others = CASE_EVENT_TYPES.filter((t) => !(QUEUE_EVENT_TYPES as readonly string[]).includes(t));
    expect(others.length).toBeGreaterThan(0);
    for (const type of others)
      expect([type, evolveQueuedCase(doc, { type, data: base(5), streamVersion: 9 } as unknown as QueueInput)]).toEqual(
        [type, { ...doc, version: 9 }],
      );
  });
});
