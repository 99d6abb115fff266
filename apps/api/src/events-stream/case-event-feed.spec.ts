import { parsePrincipal, type Principal } from '@app/auth';
import type { CaseEvent } from '@app/case-domain';
import type { RecordedEvent } from '@app/event-store';
import { assigned, CASE_ID, customer, ev, noted, opened, routed, system } from '@app/case-domain/testing';
import { CaseTracker, liveEventsFor, mayFollow, type CaseMoment } from './case-event-feed';

const STREAM = `case-${CASE_ID}`;
const eve = { id: 'eve@north.example', role: 'agent', vendor: 'north-desk', name: 'Eve Martin' };
const sam = { id: 'sam@desk.example', role: 'supervisor' };

/** the log as the store would hand it over: positions in order, one transaction per `tx` */
const log = (...groups: { tx: string; events: { event: CaseEvent; actor: { id: string; role: string } }[] }[]) => {
  let position = 0;
  let version = 0;
  return groups.flatMap(({ tx, events }) =>
    events.map(({ event, actor }): RecordedEvent => ({
      eventId: `e${position + 1}`,
      type: event.type,
      schemaVersion: 1,
      data: event.data,
      metadata: { actor, tenant: 'acme.example' },
      streamId: STREAM,
      streamVersion: ++version,
      globalPosition: ++position,
      transactionId: tx,
      recordedAt: new Date(Date.parse('2026-03-02T09:00:00Z') + position * 1000),
    })),
  );
};

const principal = (claims: Record<string, unknown>): Principal => parsePrincipal(claims);
const acmeAdmin = principal({
  role: 'support-admin',
  sub: 'admin-1',
  email: 'admin@acme.example',
  org: 'acme.example',
  privileges: ['support'],
});
const globexAdmin = principal({
  role: 'support-admin',
  sub: 'olga',
  email: 'olga@globex.example',
  org: 'globex.example',
  privileges: ['support'],
});
const northAgent = principal({
  role: 'agent',
  sub: eve.id,
  email: eve.id,
  vendor: 'north-desk',
  languages: ['fr', 'en'],
  regions: ['emea'],
});
const northGermanAgent = principal({
  role: 'agent',
  sub: 'uwe@north.example',
  email: 'uwe@north.example',
  vendor: 'north-desk',
  languages: ['de'],
  regions: ['emea'],
});
const southAgent = principal({
  role: 'agent',
  sub: 'ana@south.example',
  email: 'ana@south.example',
  vendor: 'south-desk',
  languages: ['fr'],
  regions: ['emea'],
});
const supervisor = principal({ role: 'supervisor', sub: sam.id, email: sam.id });
const auditor = principal({ role: 'auditor', sub: 'aud', email: 'aud@audit.example' });

/** the fixtures' case, opened() by acme.example */
const acmeOpened = opened({ tenant: 'acme.example' });
const escalated = ev('Escalated', { target: 'product-team', reason: 'The customer misconfigured SAML' }, eve.id);
const history = log(
  {
    tx: '100',
    events: [
      { event: acmeOpened, actor: customer },
      { event: routed('north-desk'), actor: system },
    ],
  },
  { tx: '101', events: [{ event: assigned(eve.id), actor: eve }] },
  { tx: '102', events: [{ event: escalated, actor: eve }] },
  { tx: '103', events: [{ event: noted('Customer is difficult', sam.id), actor: sam }] },
  // re-routed to another vendor
  {
    tx: '104',
    events: [
      {
        event: { ...routed('south-desk'), data: { ...routed('south-desk').data, trigger: 'shift-ended' } } as CaseEvent,
        actor: system,
      },
    ],
  },
  { tx: '105', events: [{ event: noted('Picked up by the south desk', sam.id), actor: sam }] },
);

const noReads = async (): Promise<readonly RecordedEvent[]> => {
  throw new Error('the tracker read a history it should have known');
};

const momentsOf = async (events: readonly RecordedEvent[]): Promise<CaseMoment[]> =>
  new CaseTracker(noReads).moments(events);

/** what each principal is sent of the whole history: `type@version` */
const seen = async (who: Principal): Promise<string[]> =>
  (await momentsOf(history)).flatMap((m) => liveEventsFor(who, m)).map((e) => `${e.type}@${e.version}`);

describe('the live case events each caller is sent (R3, R4, audiences)', () => {
  it('one moment per transaction and case: the open and its routing together', async () => {
    const moments = await momentsOf(history);
    expect(moments.map((m) => m.events.map((e) => e.type))).toEqual([
      ['Opened', 'Routed'],
      ['AgentAssigned'],
      ['Escalated'],
      ['InternalNoteAdded'],
      ['Routed'],
      ['InternalNoteAdded'],
    ]);
    expect(moments[0]).toMatchObject({ caseId: CASE_ID, before: { status: 'not-opened' } });
  });

  it('supervisors and auditors are sent everything, unchanged', async () => {
    const all = history.map((e) => `${e.type}@${e.streamVersion}`);
    expect(await seen(supervisor)).toEqual(all);
    expect(await seen(auditor)).toEqual(all);
    const [first] = (await momentsOf(history)).flatMap((m) => liveEventsFor(supervisor, m)).slice(4, 5);
    expect(first).toEqual({
      position: 5,
      caseId: CASE_ID,
      type: 'InternalNoteAdded',
      version: 5,
      occurredAt: '2026-03-02T09:00:05.000Z',
      data: history[4].data,
    });
  });

  it('R4: an agent of the vendor the case is routed to, in their language, from the open (routed in the same transaction) until it is routed away', async () => {
    expect(await seen(northAgent)).toEqual([
      'Opened@1',
      'Routed@2',
      'AgentAssigned@3',
      'Escalated@4',
      'InternalNoteAdded@5',
      // the routing that takes the case away: they could see the case before it
      'Routed@6',
    ]);
    expect(await seen(southAgent)).toEqual(['Routed@6', 'InternalNoteAdded@7']);
    // the vendor's, but not in a language they speak
    expect(await seen(northGermanAgent)).toEqual([]);
  });

  it("R3: a support admin is sent their organisation's cases only", async () => {
    expect(await seen(globexAdmin)).toEqual([]);
    expect(await seen(acmeAdmin)).toEqual(['Opened@1', 'Routed@2', 'AgentAssigned@3', 'Escalated@4', 'Routed@6']);
  });

  it('customers see no internal note, no routing, no escalation reason, and staff by their display name', async () => {
    const shown = (await momentsOf(history)).flatMap((m) => liveEventsFor(acmeAdmin, m));
    const byType = (type: string) => shown.filter((e) => e.type === type).map((e) => e.data);
    expect(byType('InternalNoteAdded')).toEqual([]);
    expect(byType('Routed')).toEqual([
      { caseId: CASE_ID, at: expect.any(String), queueId: 'fr-P1', byName: 'Support team' },
      { caseId: CASE_ID, at: expect.any(String), queueId: 'fr-P1', byName: 'Support team' },
    ]);
    expect(byType('Escalated')).toEqual([
      { caseId: CASE_ID, at: expect.any(String), target: 'product-team', byName: 'Eve Martin' },
    ]);
    expect(byType('AgentAssigned')).toEqual([
      { caseId: CASE_ID, at: expect.any(String), agentName: 'Eve Martin', byName: 'Eve Martin', forced: false },
    ]);
    // staff are sent the reason
    const staff = (await momentsOf(history)).flatMap((m) => liveEventsFor(northAgent, m));
    expect(staff.find((e) => e.type === 'Escalated')?.data).toMatchObject({
      reason: 'The customer misconfigured SAML',
    });
  });

  it('mayFollow: the case before or after the moment decides', async () => {
    const moments = await momentsOf(history);
    expect(moments.map((m) => mayFollow(northAgent, m))).toEqual([true, true, true, true, true, false]);
    expect(moments.map((m) => mayFollow(southAgent, m))).toEqual([false, false, false, false, true, true]);
  });
});

describe('CaseTracker', () => {
  it('reads the history of a case it meets in the middle once, then follows it from what it knows', async () => {
    const reads: [string, number][] = [];
    const tracker = new CaseTracker(async (streamId, toVersion) => {
      reads.push([streamId, toVersion]);
      return history.filter((e) => e.streamVersion <= toVersion);
    });
    const [atAssignment] = await tracker.moments(history.slice(2, 3));
    expect(reads).toEqual([[STREAM, 2]]);
    expect(atAssignment.before).toMatchObject({ status: 'open', routing: { vendorId: 'north-desk' } });
    expect(liveEventsFor(northAgent, atAssignment).map((e) => e.type)).toEqual(['AgentAssigned']);

    await tracker.moments(history.slice(3, 5));
    expect(reads).toHaveLength(1);
    // a gap (versions it never saw): it reads again rather than fold onto a stale state
    const [afterGap] = await tracker.moments(history.slice(6));
    expect(reads).toEqual([
      [STREAM, 2],
      [STREAM, 6],
    ]);
    expect(afterGap.after).toMatchObject({ routing: { vendorId: 'south-desk' } });
  });

  it('keeps at most `capacity` cases, the least recently seen dropped first', async () => {
    const tracker = new CaseTracker(async () => [], 2);
    const open = (stream: string, position: number): RecordedEvent => ({
      ...history[0],
      streamId: stream,
      globalPosition: position,
      transactionId: String(position),
    });
    await tracker.moments([open('case-a', 1), open('case-b', 2), open('case-c', 3)]);
    expect(tracker.size).toBe(2);
  });

  it('leaves out the events of other streams', async () => {
    const other: RecordedEvent = { ...history[0], streamId: 'incident-1', type: 'IncidentDeclared' };
    expect(await new CaseTracker(noReads).moments([other])).toEqual([]);
  });
});
