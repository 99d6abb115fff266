import { foldEvents } from '../shared/decider';
import { caseDecider } from './case.decide';
import type { CaseEvent } from './case.events';
import { evolve } from './case.evolve';
import { initialCaseState, type OpenedCase } from './case.state';
import {
  assigned,
  closed,
  creditIssued,
  creditRequested,
  ev,
  infoRequested,
  linked,
  noted,
  notificationsChanged,
  opened,
  reopened,
  resolved,
  responded,
  slaBreached,
  surveyAnswered,
  surveySent,
} from '../testing';

const fold = (events: CaseEvent[]) => foldEvents(caseDecider, events) as OpenedCase;

describe('evolve', () => {
  it('Opened creates an open case at version 1, cycle 1, with the derived priority', () =>
    expect(fold([opened()])).toMatchObject({ status: 'open', version: 1, cycle: 1, priority: 'P1', escalations: [] }));

  it('InternalNoteAdded adds the note, oldest first, and changes nothing else', () => {
    const before = fold([opened(), assigned()]);
    const after = fold([opened(), assigned(), noted('First.'), noted('Second.', 'super-1')]);
    expect(after.notes).toEqual([
      { message: 'First.', at: before.openedAt, byId: 'agent-1' },
      { message: 'Second.', at: before.openedAt, byId: 'super-1' },
    ]);
    expect({ ...after, notes: [], version: 0 }).toEqual({ ...before, version: 0 });
  });

  it('NotificationsChanged turns the notification e-mails off and on (on from the opening), and changes nothing else', () => {
    const before = fold([opened(), assigned()]);
    expect(before.notificationsEnabled).toBe(true);
    const off = fold([opened(), assigned(), notificationsChanged(false)]);
    expect({ ...off, version: 0 }).toEqual({ ...before, notificationsEnabled: false, version: 0 });
    expect(fold([opened(), notificationsChanged(false), notificationsChanged(true)]).notificationsEnabled).toBe(true);
  });

  it('version counts every event folded: the stream version', () =>
    expect(fold([opened(), assigned(), responded, infoRequested]).version).toBe(4));

  it('R11: InfoRequested makes the case await the customer; an answer gives it back to the agents', () => {
    const waiting = fold([
      opened(),
      infoRequested,
      ev('InfoRequested', {
        agentId: 'a',
        items: ['troubleshooting', 'logs'],
        message: 'And this.',
        firstResponse: false,
      }),
    ]);
    expect(waiting.status).toBe('awaiting-customer');
    expect(waiting.pendingInfoRequest?.items).toEqual(['logs', 'troubleshooting']);
    const answered = evolve(waiting, ev('CustomerReplied', { message: 'Done.', endsWait: true })) as OpenedCase;
    expect(answered.status).toBe('open');
    expect(answered.pendingInfoRequest).toBeUndefined();
  });

  it('R11: CustomerReminded marks the wait it names as reminded; a second request keeps the wait, an answer ends it', () => {
    const waiting = fold([opened(), infoRequested]);
    const since = infoRequested.data.at;
    const reminder = ev('CustomerReminded', { cycle: 1, waitingSince: since, at: '2026-03-05T08:00:00.000Z' });
    const remindedState = evolve(waiting, reminder) as OpenedCase;
    expect(remindedState.pendingInfoRequest).toEqual({
      items: ['logs'],
      since,
      remindedAt: '2026-03-05T08:00:00.000Z',
    });
    expect({ ...remindedState, pendingInfoRequest: undefined, version: 0 }).toEqual({
      ...waiting,
      pendingInfoRequest: undefined,
      version: 0,
    });
    const askedAgain = evolve(
      remindedState,
      ev('InfoRequested', { agentId: 'a', items: ['message-headers'], message: 'And this.', firstResponse: false }),
    ) as OpenedCase;
    expect(askedAgain.pendingInfoRequest).toEqual({
      items: ['logs', 'message-headers'],
      since,
      remindedAt: '2026-03-05T08:00:00.000Z',
    });
    // a reminder of another wait (or of none) only bumps the version
    const stale = ev('CustomerReminded', { cycle: 1, waitingSince: '2026-03-01T08:00:00.000Z' });
    expect(evolve(waiting, stale)).toEqual({ ...waiting, version: waiting.version + 1 });
    const open = fold([opened(), responded]);
    expect(evolve(open, reminder)).toEqual({ ...open, version: open.version + 1 });
  });

  it('R10: the first response is kept for the case and for the cycle; R15: a reopen restarts the cycle clock', () => {
    const state = fold([opened(), responded, resolved(), reopened(2)]);
    expect(state).toMatchObject({ status: 'open', cycle: 2, firstRespondedAt: responded.data.at });
    expect(state.cycleFirstRespondedAt).toBeUndefined();
    expect(state.resolution).toBeUndefined();
  });

  it('R14/R15: credit, survey and closure are recorded', () => {
    const state = fold([
      opened(),
      linked(),
      resolved({ outcome: 'outage' }),
      creditRequested(),
      creditIssued(),
      surveySent(),
      surveyAnswered(),
      closed(),
    ]);
    expect(state).toMatchObject({
      status: 'closed',
      incidentId: 'inc-1',
      credit: { amount: 120, currency: 'EUR' },
      survey: { id: 'survey-1', cycle: 1, answer: { rating: 5 } },
    });
  });

  it("R10: a breach is kept in its cycle's SLA facts, once per clock; R11: waits are kept with their cycle", () => {
    const state = fold([
      opened(),
      infoRequested,
      slaBreached({ clock: 'resolution' }),
      slaBreached({ clock: 'resolution' }),
    ]);
    expect(state.sla.cycles).toEqual([
      {
        cycle: 1,
        startedAt: opened().data.at,
        firstResponseAt: infoRequested.data.at,
        breaches: [{ clock: 'resolution', dueAt: slaBreached().data.dueAt, at: slaBreached().data.at }],
      },
    ]);
    expect(state.sla.waits).toEqual([{ cycle: 1, since: infoRequested.data.at }]);
    expect(state.version).toBe(4);
  });

  it('never throws on a history it does not expect: an unknown event only bumps the version', () => {
    const state = fold([opened()]);
    const future = { type: 'CaseArchived', schemaVersion: 1, data: { caseId: 'x' } } as unknown as CaseEvent;
    expect(evolve(state, future)).toEqual({ ...state, version: 2 });
    expect(evolve(initialCaseState, resolved())).toEqual({ status: 'not-opened', version: 1 });
    expect(evolve(state, opened())).toEqual({ ...state, version: 2 });
  });

  it('does not mutate the state it is given', () => {
    const state = Object.freeze(fold([opened()]));
    expect(() => evolve(state, assigned())).not.toThrow();
    expect(state.assigneeId).toBeUndefined();
  });
});
