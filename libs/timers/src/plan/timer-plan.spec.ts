import {
  caseDecider,
  foldEvents,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type OpenCase,
} from '@app/case-domain';
import { testSla } from '../../../sla/src/testing/test-sla';
import { plannedTimers, timerId } from './timer-plan';

const sla = testSla();
const H = 3_600_000;
const DAY = 24 * H;
const caseId = 'case-1';
const open: OpenCase = {
  type: 'OpenCase',
  caseId,
  actor: { id: 'ana', role: 'support-admin' },
  tenant: 'acme.example',
  requester: { id: 'ana', email: 'ana@acme.example' },
  subject: 'SSO fails',
  description: 'Nobody can sign in.',
  product: 'cloud-identity',
  language: 'fr',
  channel: 'email',
  impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: false }, // P1
  workaround: 'none',
};
const agent = { id: 'eve', role: 'agent' };

/** Runs the commands at the given instants, as the write shell would, and plans at `now`. */
const planAfter = (steps: [string, CaseCommand][], now = '2026-03-02T09:00:00Z') => {
  let events: CaseEvent[] = [];
  for (const [at, command] of steps) {
    const state = foldEvents(caseDecider, events);
    const withTerms =
      command.type === 'OpenCase'
        ? { ...command, sla: sla.termsFor({ tenant: command.tenant, priority: 'P1', openedAt: new Date(at) }) }
        : command;
    events = [...events, ...caseDecider.decide(state, withTerms, new Date(at))];
  }
  const state = foldEvents(caseDecider, events);
  return plannedTimers(state, {
    surveyDelayMs: DAY,
    autoCloseMs: 7 * DAY,
    slaReport: (s: CaseState) => sla.report(s, new Date(now)),
  }).map((t) => [t.id, t.dueAt.toISOString()]);
};

describe('plannedTimers: the timers a case needs, from its state alone', () => {
  it('R10: an open P1 case needs a first-response and a resolution breach timer, 1 ms after each due time', () =>
    expect(planAfter([['2026-03-02T09:00:00Z', open]])).toEqual([
      [timerId('sla-breach', caseId, 1, 'first-response'), '2026-03-03T09:00:00.001Z'],
      [timerId('sla-breach', caseId, 1, 'resolution'), '2026-03-04T09:00:00.001Z'],
    ]));

  it('R10: the first response ends the first-response timer', () =>
    expect(
      planAfter([
        ['2026-03-02T09:00:00Z', open],
        ['2026-03-02T10:00:00Z', { type: 'RespondToCase', caseId, actor: agent, agentId: 'eve', message: 'Hi.' }],
      ]).map(([id]) => id),
    ).toEqual([timerId('sla-breach', caseId, 1, 'resolution')]));

  it('R11: while the case waits on the customer, no breach timer runs', () =>
    expect(
      planAfter([
        ['2026-03-02T09:00:00Z', open],
        [
          '2026-03-02T10:00:00Z',
          { type: 'RequestInfo', caseId, actor: agent, agentId: 'eve', items: ['logs'], message: 'Logs?' },
        ],
      ]),
    ).toEqual([]));

  it('R15: a resolved case needs its survey and its auto-close, counted from the resolution', () =>
    expect(
      planAfter([
        ['2026-03-02T09:00:00Z', open],
        ['2026-03-02T10:00:00Z', { type: 'ResolveCase', caseId, actor: agent, outcome: 'solved', summary: 'Done.' }],
      ]),
    ).toEqual([
      [timerId('send-survey', caseId, 1), '2026-03-03T10:00:00.000Z'],
      [timerId('auto-close', caseId, 1), '2026-03-09T10:00:00.000Z'],
    ]));

  it('R15: once the survey of the cycle is sent, only the auto-close remains; a closed case needs nothing', () => {
    const resolved: [string, CaseCommand][] = [
      ['2026-03-02T09:00:00Z', open],
      ['2026-03-02T10:00:00Z', { type: 'ResolveCase', caseId, actor: agent, outcome: 'solved', summary: 'Done.' }],
      ['2026-03-03T10:00:00Z', { type: 'SendSurvey', caseId, actor: agent, surveyId: 's-1' }],
    ];
    expect(planAfter(resolved).map(([id]) => id)).toEqual([timerId('auto-close', caseId, 1)]);
    const closed: [string, CaseCommand] = ['2026-03-09T10:00:00Z', { type: 'CloseCase', caseId, actor: agent }];
    expect(planAfter([...resolved, closed])).toEqual([]);
  });

  it('R10, R15: a reopened case gets breach timers for its new cycle, counted from the reopen (the survey and auto-close go)', () => {
    const reopened = planAfter(
      [
        ['2026-03-02T09:00:00Z', open],
        ['2026-03-02T10:00:00Z', { type: 'RespondToCase', caseId, actor: agent, agentId: 'eve', message: 'Hi.' }],
        ['2026-03-02T11:00:00Z', { type: 'ResolveCase', caseId, actor: agent, outcome: 'solved', summary: 'Done.' }],
        ['2026-03-04T10:00:00Z', { type: 'ReplyToCase', caseId, actor: open.actor, message: 'It fails again.' }],
      ],
      '2026-03-04T10:00:00Z',
    );
    expect(reopened).toEqual([
      [timerId('sla-breach', caseId, 2, 'first-response'), '2026-03-05T10:00:00.001Z'],
      [timerId('sla-breach', caseId, 2, 'resolution'), '2026-03-06T10:00:00.001Z'],
    ]);
  });

  it('a breach not yet recorded keeps its timer (a late record after downtime); a recorded one does not', () => {
    const steps: [string, CaseCommand][] = [['2026-03-02T09:00:00Z', open]];
    expect(planAfter(steps, '2026-03-05T09:00:00Z').map(([id]) => id)).toContain(
      timerId('sla-breach', caseId, 1, 'first-response'),
    );
    const recorded: [string, CaseCommand] = [
      '2026-03-03T09:00:01Z',
      {
        type: 'RecordSlaBreach',
        caseId,
        actor: agent,
        clock: 'first-response',
        cycle: 1,
        dueAt: '2026-03-03T09:00:00.000Z',
        targetMs: 8 * H,
        calendarId: 'europe-paris',
        calendarVersion: 1,
        policyVersion: 'test-1',
      },
    ];
    expect(planAfter([...steps, recorded], '2026-03-03T10:00:00Z').map(([id]) => id)).toEqual([
      timerId('sla-breach', caseId, 1, 'resolution'),
    ]);
  });
});
