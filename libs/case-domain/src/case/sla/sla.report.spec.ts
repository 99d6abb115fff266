import { join } from 'node:path';
import { loadCalendars, parseSlaPolicy, type SlaPolicy } from '@app/business-time';
import type { CaseEvent } from '../case.events';
import { evolve } from '../case.evolve';
import { initialCaseState } from '../case.state';
import type { SlaTerms } from '../case.types';
import { ev, opened as openedFixture, system } from '../../testing';
import { slaOf, slaReport } from './sla.report';

// Paris: Mon–Fri 09:00–12:30 and 13:30–18:00 local (UTC+1 in March 2026), 8 h a business day
const paris = loadCalendars(join(__dirname, '../../../../../config/calendars')).get('europe-paris')!;
const policy: SlaPolicy = parseSlaPolicy(
  {
    version: 3,
    firstResponseBusinessDays: { P1: 1, P2: 1, P3: 2, P4: 2 },
    resolutionBusinessDays: { P1: 2 },
    calendarByRegion: {},
    defaultCalendar: 'europe-paris',
  },
  'spec',
);
const H = 3_600_000;
const terms: SlaTerms = {
  calendarId: 'europe-paris',
  calendarVersion: paris.version,
  policyVersion: 3,
  firstResponseTargetMs: 8 * H,
  firstResponseDueAt: '2026-03-03T09:00:00.000Z', // Tue 10:00 Paris
};
/** Monday 2 March 2026, 10:00 in Paris */
const opened = openedFixture({ at: '2026-03-02T09:00:00.000Z', sla: terms });
const at = (iso: string) => ({ at: iso });
const respondedAt = (iso: string) =>
  ev('AgentResponded', { agentId: 'agent-1', message: 'On it.', firstResponse: true, ...at(iso) });
const infoRequestedAt = (iso: string) =>
  ev('InfoRequested', { agentId: 'agent-1', items: ['logs'], message: 'Logs?', firstResponse: true, ...at(iso) });
const infoProvidedAt = (iso: string) =>
  ev('InfoProvided', { message: 'Here.', attachments: [], endsWait: true, ...at(iso) }, 'admin-1');
const resolvedAt = (iso: string, cycle = 1) =>
  ev('Resolved', { outcome: 'solved', summary: 'Fixed.', cycle, ...at(iso) });
const report = (events: CaseEvent[], now: string) => slaOf(events, paris, policy, new Date(now))!;

describe('slaOf (R10): the first-response clock', () => {
  it('runs from the opening, due one business day later: the due time recorded in Opened', () =>
    expect(report([opened], '2026-03-02T11:00:00.000Z')).toMatchObject({
      terms,
      computedWith: { calendarId: 'europe-paris', calendarVersion: paris.version, policyVersion: 3 },
      cycle: 1,
      firstResponse: {
        state: 'running',
        usedMs: 2 * H,
        targetMs: 8 * H,
        remainingMs: 6 * H,
        dueAt: terms.firstResponseDueAt,
      },
    }));

  it('counts business time only: the lunch break and the night do not use the target', () =>
    expect(report([opened], '2026-03-03T07:00:00.000Z').firstResponse).toMatchObject({
      usedMs: 7 * H,
      state: 'running',
    }));

  it('R10: stops at the first agent response, within the target: met, with the time it used', () =>
    expect(report([opened, respondedAt('2026-03-02T12:00:00.000Z')], '2026-03-09T12:00:00.000Z').firstResponse).toEqual(
      {
        state: 'met',
        usedMs: 2.5 * H,
        targetMs: 8 * H,
        remainingMs: 5.5 * H,
        dueAt: terms.firstResponseDueAt,
        stoppedAt: '2026-03-02T12:00:00.000Z',
      },
    ));

  it('answered at the due time exactly is not late; a millisecond after it is', () => {
    expect(
      report([opened, respondedAt('2026-03-03T09:00:00.000Z')], '2026-03-04T00:00:00.000Z').firstResponse.state,
    ).toBe('met');
    expect(
      report([opened, respondedAt('2026-03-03T09:00:00.001Z')], '2026-03-04T00:00:00.000Z').firstResponse,
    ).toMatchObject({
      state: 'breached',
      breachRecorded: false,
      usedMs: 8 * H + 1,
    });
  });

  it('is breached once the target ran out, and says whether the scheduler recorded it', () => {
    const breach = ev(
      'SlaBreached',
      {
        clock: 'first-response',
        cycle: 1,
        priority: 'P1',
        dueAt: terms.firstResponseDueAt,
        targetMs: 8 * H,
        calendarId: 'europe-paris',
        calendarVersion: 1,
        policyVersion: 3,
        ...at('2026-03-03T09:00:01.000Z'),
      },
      system.id,
    );
    expect(report([opened], '2026-03-03T10:00:00.000Z').firstResponse).toMatchObject({
      state: 'breached',
      breachRecorded: false,
      remainingMs: 0,
    });
    expect(report([opened, breach], '2026-03-03T10:00:00.000Z').firstResponse).toMatchObject({
      state: 'breached',
      breachRecorded: true,
      dueAt: terms.firstResponseDueAt,
      usedMs: 9 * H,
    });
  });

  it('R9: the target is the one of the priority in force: a P3 case raised to P1 is due a day earlier', () => {
    const p3 = ev('Opened', { ...opened.data, priority: 'P3' });
    const raised = ev('PriorityChanged', {
      from: 'P3',
      to: 'P1',
      reason: 'Whole team down.',
      ...at('2026-03-02T10:00:00.000Z'),
    });
    expect(report([p3], '2026-03-02T11:00:00.000Z').firstResponse).toMatchObject({
      targetMs: 16 * H,
      dueAt: '2026-03-04T09:00:00.000Z',
    });
    expect(report([p3, raised], '2026-03-02T11:00:00.000Z').firstResponse).toMatchObject({
      targetMs: 8 * H,
      dueAt: '2026-03-03T09:00:00.000Z',
    });
  });
});

describe('slaOf (R11): waiting on the customer pauses the resolution clock', () => {
  // asked Monday 12:00 Paris, answered Tuesday 09:00 Paris
  const history = [opened, infoRequestedAt('2026-03-02T11:00:00.000Z'), infoProvidedAt('2026-03-03T08:00:00.000Z')];

  it('an information request is a first response (met) and starts a wait: the resolution clock is paused', () =>
    expect(report(history.slice(0, 2), '2026-03-02T16:00:00.000Z')).toMatchObject({
      firstResponse: { state: 'met', usedMs: 2 * H },
      resolution: { state: 'paused', usedMs: 2 * H, targetMs: 16 * H, remainingMs: 14 * H },
      waitingOnCustomer: { count: 1, since: '2026-03-02T11:00:00.000Z', businessMs: 4 * H, elapsedMs: 5 * H },
    }));

  it('a paused clock has no due time: it moves when the customer answers', () =>
    expect(report(history.slice(0, 2), '2026-03-02T16:00:00.000Z').resolution.dueAt).toBeUndefined());

  it("the customer's answer resumes it: due after the rest of the target, counted from the answer", () =>
    expect(report(history, '2026-03-03T09:00:00.000Z')).toMatchObject({
      resolution: { state: 'running', usedMs: 3 * H, remainingMs: 13 * H, dueAt: '2026-03-04T15:00:00.000Z' },
      waitingOnCustomer: { count: 1, businessMs: 5 * H, elapsedMs: 21 * H },
    }));

  it('the resolution stops it: met within the target; the wait total is per case, across cycles', () => {
    const done = [...history, resolvedAt('2026-03-03T10:00:00.000Z')];
    const r = report(done, '2026-03-10T00:00:00.000Z');
    expect(r.resolution).toMatchObject({ state: 'met', usedMs: 4 * H, stoppedAt: '2026-03-03T10:00:00.000Z' });
    expect(r.waitingOnCustomer).toEqual({ count: 1, businessMs: 5 * H, elapsedMs: 21 * H });
  });

  it('a priority without a resolution target has a clock without a due time, never breached', () => {
    const p3 = ev('Opened', { ...opened.data, priority: 'P3' });
    expect(report([p3], '2026-03-20T09:00:00.000Z').resolution).toEqual({ state: 'running', usedMs: 112 * H });
  });
});

describe('slaOf (R15): cycles', () => {
  const cycle1 = [opened, respondedAt('2026-03-02T10:00:00.000Z'), resolvedAt('2026-03-02T12:00:00.000Z')];
  const reopened = ev('Reopened', { reason: 'Again.', cycle: 2, ...at('2026-03-04T09:00:00.000Z') }, 'admin-1');

  it('a reopen starts new clocks; cycle 1 keeps its figures, whenever they are computed', () => {
    const before = report(cycle1, '2026-03-03T09:00:00.000Z').cycles[0];
    const after = report([...cycle1, reopened], '2026-03-20T09:00:00.000Z');
    expect(after.cycles[0]).toEqual(before);
    expect(after.cycle).toBe(2);
    expect(after.cycles[1]).toMatchObject({ cycle: 2, startedAt: '2026-03-04T09:00:00.000Z' });
    expect(after.firstResponse).toMatchObject({
      state: 'breached',
      breachRecorded: false,
      dueAt: '2026-03-05T09:00:00.000Z',
    });
  });
});

describe('slaOf is a pure function of the events, the calendar, the policy and now', () => {
  const history = [opened, infoRequestedAt('2026-03-02T11:00:00.000Z'), infoProvidedAt('2026-03-03T08:00:00.000Z')];

  it('replaying the stored (JSON) history gives the same figures as the state that decided', () => {
    const state = history.reduce(evolve, initialCaseState);
    const now = new Date('2026-03-05T10:00:00.000Z');
    expect(slaOf(JSON.parse(JSON.stringify(history)), paris, policy, now)).toEqual(
      slaReport(state, paris, policy, now),
    );
  });

  it('is null before the case is opened, and says which versions it used', () => {
    expect(slaOf([], paris, policy, new Date())).toBeNull();
    expect(report(history, '2026-03-05T10:00:00.000Z').computedWith).toEqual({
      calendarId: 'europe-paris',
      calendarVersion: paris.version,
      policyVersion: 3,
    });
  });
});
