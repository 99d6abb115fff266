import fc from 'fast-check';
import { caseDecider, PRIORITIES, toCaseView, toCaseStreamId, type CaseEvent, type Priority } from '@app/case-domain';
import type { NewEvent } from '@app/event-store';
import { InvalidQueueId } from './audit.errors';
import { parseQueueId, queueAsOf, queueMembers, toQueueId, type QueueEvent, type QueueFilter } from './queue-as-of';
import { recorded as ev } from '@app/case-domain/testing';

/** Recorded case events as the fold sees them: stream id and version, type, data (versions counted per case). */
const onStream = (events: NewEvent[]): QueueEvent[] => {
  const versions = new Map<string, number>();
  return events.map((e) => {
    const streamId = toCaseStreamId((e.data as { caseId: string }).caseId);
    const streamVersion = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, streamVersion);
    return { ...e, streamId, streamVersion } as unknown as QueueEvent;
  });
};
const board = (events: NewEvent[]) => queueAsOf(onStream(events));
const members = (events: NewEvent[], queue: string, vendorId?: string) =>
  queueMembers(board(events), { ...parseQueueId(queue), vendorId }).map((c) => c.caseId);

const T = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute)).toISOString();

describe('queueAsOf: the cases an agent could take, per language and priority (R16)', () => {
  it('holds an opened case in the queue of its language and priority, and in no other', () => {
    const history = [ev.opened('a', T(0), 'fr', 'P2')];
    expect(members(history, 'fr-P2')).toEqual(['a']);
    expect(members(history, 'fr-P1')).toEqual([]);
    expect(members(history, 'de-P2')).toEqual([]);
  });

  it('takes a case out once an agent is assigned', () => {
    expect(members([ev.opened('a', T(0)), ev.assigned('a', T(1))], 'fr-P2')).toEqual([]);
  });

  it('takes a case out while it awaits the customer, and puts it back when the customer answers (R11)', () => {
    const asked = [ev.opened('a', T(0)), ev.infoRequested('a', T(1))];
    expect(members(asked, 'fr-P2')).toEqual([]);
    expect(members([...asked, ev.infoProvided('a', T(2))], 'fr-P2')).toEqual(['a']);
  });

  it('takes a resolved or closed case out, and puts a reopened unassigned one back (R15)', () => {
    const done = [ev.opened('a', T(0)), ev.resolved('a', T(1))];
    expect(members(done, 'fr-P2')).toEqual([]);
    expect(members([...done, ev.closed('a', T(2))], 'fr-P2')).toEqual([]);
    expect(members([...done, ev.reopened('a', T(2))], 'fr-P2')).toEqual(['a']);
  });

  it('moves a case to the queue of its new priority when the priority changes (R9)', () => {
    const history = [ev.opened('a', T(0), 'fr', 'P1'), ev.priorityChanged('a', T(1), 'P1', 'P3')];
    expect(members(history, 'fr-P1')).toEqual([]);
    expect(members(history, 'fr-P3')).toEqual(['a']);
  });

  it('orders a queue as the live queue does: breached first, then by due time (none last), then the oldest', () => {
    const history = [ev.opened('late', T(30)), ev.opened('early', T(5)), ev.opened('middle', T(10))];
    expect(members(history, 'fr-P2')).toEqual(['early', 'middle', 'late']);
    expect(members([...history, ev.slaBreached('late', T(40))], 'fr-P2')).toEqual(['late', 'early', 'middle']);
  });

  it('ignores events of other categories, events before a case is opened, and an event seen twice', () => {
    const stray = onStream([ev.opened('x', T(0))]).map((e) => ({ ...e, streamId: 'incident-1' }));
    const early = onStream([ev.assigned('a', T(0))]);
    const [opened, assigned] = onStream([ev.opened('a', T(1)), ev.assigned('a', T(2))]);
    const replayed = queueAsOf([...stray, ...early, opened, { ...assigned, streamVersion: 1 }]);
    expect([...replayed.keys()]).toEqual(['a']);
    expect(queueMembers(replayed, parseQueueId('fr-P2')).map((c) => c.caseId)).toEqual(['a']);
  });
});

describe('queueAsOf honours the routing (R4, R16: follow-the-sun)', () => {
  const history = [
    ev.opened('a', T(0)),
    ev.routed('a', T(0), 'north-desk'),
    ev.opened('b', T(1)),
    ev.routed('b', T(1), null),
    ev.opened('c', T(2)),
  ];
  const rerouted = [...history, ev.routed('a', T(30), 'south-desk', 'north-desk')];
  const vendors = (events: NewEvent[], filter: QueueFilter) =>
    queueMembers(board(events), filter).map((c) => [c.caseId, c.vendorId, c.routed]);

  it('shows each case with the vendor of its latest Routed, and what one vendor’s agents saw', () => {
    const fr = parseQueueId('fr-P2');
    expect(vendors(history, fr)).toEqual([
      ['a', 'north-desk', true],
      ['b', null, true], // no vendor speaks it: only supervisors see it
      ['c', null, false], // not routed yet
    ]);
    expect(members(history, 'fr-P2', 'north-desk')).toEqual(['a']);
    expect(members(history, 'fr-P2', 'south-desk')).toEqual([]);
  });

  it('moves a re-routed case to its new vendor from the moment of the new Routed', () => {
    expect(vendors(rerouted, { ...parseQueueId('fr-P2'), vendorId: 'south-desk' })).toEqual([
      ['a', 'south-desk', true],
    ]);
    expect(members(rerouted, 'fr-P2', 'north-desk')).toEqual([]);
  });

  it('folds exactly as the live case_queue projection: every field of the row but its version', () => {
    const [a] = queueMembers(board(rerouted), parseQueueId('fr-P2'));
    expect(a).toEqual({
      caseId: 'a',
      tenant: 'acme.example',
      language: 'fr',
      priority: 'P2',
      status: 'open',
      assigneeId: null,
      vendorId: 'south-desk',
      routed: true,
      queueId: 'fr-P2',
      region: null,
      subject: 'Case a',
      openedAt: T(0),
      firstResponseDueAt: null,
      breached: false,
      cycle: 1,
    });
  });

  it('agrees with the case decider on every history: a case is queued iff its view is open, unassigned, of that language and priority, with the vendor of its latest routing', () => {
    const caseIds = ['c1', 'c2', 'c3'];
    const step = fc.record({
      caseId: fc.constantFrom(...caseIds),
      minute: fc.integer({ min: 0, max: 59 }),
      kind: fc.constantFrom(
        'opened',
        'assigned',
        'infoRequested',
        'infoProvided',
        'replied',
        'resolved',
        'reopened',
        'closed',
        'priority',
        'responded',
        'escalated',
        'routed',
      ),
      language: fc.constantFrom('fr', 'de'),
      priority: fc.constantFrom(...PRIORITIES),
    });
    const toEvent = ({
      caseId,
      minute,
      kind,
      language,
      priority,
    }: {
      caseId: string;
      minute: number;
      kind: string;
      language: string;
      priority: Priority;
    }): NewEvent => {
      const at = T(minute);
      switch (kind) {
        case 'opened':
          return ev.opened(caseId, at, language, priority);
        case 'assigned':
          return ev.assigned(caseId, at);
        case 'infoRequested':
          return ev.infoRequested(caseId, at);
        case 'infoProvided':
          return ev.infoProvided(caseId, at);
        case 'replied':
          return ev.caseEventOf('CustomerReplied', caseId, at, { message: 'Any news?', endsWait: true }, ev.ADMIN);
        case 'resolved':
          return ev.resolved(caseId, at);
        case 'reopened':
          return ev.reopened(caseId, at);
        case 'closed':
          return ev.closed(caseId, at);
        case 'priority':
          return ev.priorityChanged(caseId, at, 'P1', priority);
        case 'routed':
          return ev.routed(caseId, at, minute % 3 === 0 ? null : minute % 3 === 1 ? 'north-desk' : 'south-desk');
        case 'responded':
          return ev.caseEventOf('AgentResponded', caseId, at, {
            agentId: 'eve',
            message: 'Looking.',
            firstResponse: true,
          });
        default:
          return ev.caseEventOf('Escalated', caseId, at, { target: 'product-team', reason: 'Needs a fix.' });
      }
    };
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const history = steps.map(toEvent);
        const folded = board(history);
        for (const language of ['fr', 'de']) {
          for (const priority of PRIORITIES) {
            const queue = { language, priority };
            const expected = caseIds.flatMap((caseId) => {
              const mine = history.filter((e) => (e.data as { caseId: string }).caseId === caseId);
              const view = toCaseView(
                mine.reduce((s, e) => caseDecider.evolve(s, e as unknown as CaseEvent), caseDecider.initialState),
              );
              const queued =
                view !== null &&
                view.status === 'open' &&
                view.assigneeId === undefined &&
                view.language === language &&
                view.priority === priority;
              return queued ? [[caseId, view.routing?.vendorId ?? null]] : [];
            });
            const actual = queueMembers(folded, queue).map((c) => [c.caseId, c.vendorId]);
            expect([...actual].sort()).toEqual(expected);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('queue ids', () => {
  it.each([
    ['fr-P2', { language: 'fr', priority: 'P2' }],
    ['FR-p1', { language: 'fr', priority: 'P1' }],
    ['pt-br-P4', { language: 'pt-br', priority: 'P4' }],
  ])('reads %s', (id, expected) => {
    expect(parseQueueId(id)).toEqual(expected);
    expect(toQueueId(parseQueueId(id))).toBe(`${expected.language}-${expected.priority}`);
  });

  it.each(['fr', 'fr-P5', 'P2', 'fr_P2', 'français-P2', ''])(
    'refuses %j with a 400 that shows the expected form',
    (id) => {
      expect(() => parseQueueId(id)).toThrow(InvalidQueueId);
      expect(() => parseQueueId(id)).toThrow(/<language>-<priority>, such as fr-P2/);
    },
  );
});
