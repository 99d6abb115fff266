import {
  caseDecider,
  foldEvents,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type OpenCase,
} from '@app/case-domain';
import { testSla } from '../../../sla/src/testing/test-sla';
import { DEFAULT_WAITING_DAYS, plannedTimers, timerId, waitingDueTimes } from './timer-plan';

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
const planAfter = (steps: [string, CaseCommand][], now = '2026-03-02T09:00:00Z', withWaiting = true) => {
  let events: CaseEvent[] = [];
  for (const [at, command] of steps) {
    const state = foldEvents(caseDecider, events);
    const withTerms =
      command.type === 'OpenCase' && !('sla' in command)
        ? { ...command, sla: sla.termsFor({ tenant: command.tenant, priority: 'P1', openedAt: new Date(at) }) }
        : command;
    events = [...events, ...caseDecider.decide(state, withTerms, new Date(at))];
  }
  const state = foldEvents(caseDecider, events);
  return plannedTimers(state, {
    surveyDelayMs: DAY,
    autoCloseMs: 7 * DAY,
    slaReport: (s: CaseState) => sla.report(s, new Date(now)),
    ...(withWaiting ? { waiting: { ...DEFAULT_WAITING_DAYS, calendarOf: (s) => sla.calendarOf(s.sla.terms) } } : {}),
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

  it('R11: while the case waits on the customer, no breach timer runs (only the waiting timers)', () =>
    expect(
      planAfter([
        ['2026-03-02T09:00:00Z', open],
        [
          '2026-03-02T10:00:00Z',
          { type: 'RequestInfo', caseId, actor: agent, agentId: 'eve', items: ['logs'], message: 'Logs?' },
        ],
      ]).map(([id]) => id.split(':')[0]),
    ).toEqual(['waiting-reminder', 'waiting-auto-close']));

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

describe('plannedTimers: waiting on the customer (R11)', () => {
  /** Thursday 5 March 2026, 10:00 in Paris: the wait begins */
  const THURSDAY_1000_PARIS = '2026-03-05T09:00:00.000Z';
  const requestInfo: CaseCommand = {
    type: 'RequestInfo',
    caseId,
    actor: agent,
    agentId: 'eve',
    items: ['logs'],
    message: 'Logs?',
  };
  const waiting: [string, CaseCommand][] = [
    ['2026-03-05T08:00:00Z', open],
    [THURSDAY_1000_PARIS, requestInfo],
  ];
  const reminderId = timerId('waiting-reminder', caseId, 1, THURSDAY_1000_PARIS);
  const autoCloseId = timerId('waiting-auto-close', caseId, 1, THURSDAY_1000_PARIS);
  const waitingTimers = (steps: [string, CaseCommand][]) =>
    planAfter(steps, '2026-03-05T10:00:00Z').filter(([id]) => id.startsWith('waiting-'));

  it('R11: a wait begun on Thursday is reminded 3 business days later, on Tuesday (the weekend does not count), and resolved 10 business days later', () =>
    expect(waitingTimers(waiting)).toEqual([
      [reminderId, '2026-03-10T09:00:00.000Z'], // Fri 1, Mon 2, Tue 3: Tuesday 10:00 in Paris
      [autoCloseId, '2026-03-19T09:00:00.000Z'], // two weeks on: Thursday 19 March, 10:00 in Paris
    ]));

  it('R11: counts business days of the calendar: a wait begun on Friday evening starts counting on Monday morning', () =>
    // Friday 6 March 17:30 in Paris: 30 min that day, then whole business days of 8 h
    expect(
      waitingDueTimes('2026-03-06T16:30:00.000Z', DEFAULT_WAITING_DAYS, sla.calendarOf(undefined)).reminderAt,
    ).toEqual(new Date('2026-03-11T16:30:00.000Z')));

  it('R11: once the reminder is recorded only the auto-close remains, at the same time', () =>
    expect(
      waitingTimers([...waiting, ['2026-03-10T09:00:00Z', { type: 'RemindCustomer', caseId, actor: agent, cycle: 1 }]]),
    ).toEqual([[autoCloseId, '2026-03-19T09:00:00.000Z']]));

  it('R11: a second request during the wait keeps its due times; the customer’s answer cancels both', () => {
    const askedAgain: [string, CaseCommand] = ['2026-03-09T09:00:00Z', { ...requestInfo, items: ['message-headers'] }];
    expect(waitingTimers([...waiting, askedAgain])).toEqual(waitingTimers(waiting));
    const answered: [string, CaseCommand] = [
      '2026-03-09T09:00:00Z',
      { type: 'ProvideInfo', caseId, actor: open.actor, message: 'Here.' },
    ];
    expect(waitingTimers([...waiting, answered])).toEqual([]);
    const replied: [string, CaseCommand] = [
      '2026-03-09T09:00:00Z',
      { type: 'ReplyToCase', caseId, actor: open.actor, message: 'Here.' },
    ];
    expect(waitingTimers([...waiting, replied])).toEqual([]);
  });

  it('R11: a new wait after an answer gets timers of its own (its start is in their ids), due from its start', () => {
    const again: [string, CaseCommand][] = [
      ...waiting,
      ['2026-03-09T09:00:00Z', { type: 'ProvideInfo', caseId, actor: open.actor, message: 'Here.' }],
      ['2026-03-09T10:00:00Z', { ...requestInfo, items: ['message-headers'] }],
    ];
    expect(waitingTimers(again)).toEqual([
      [timerId('waiting-reminder', caseId, 1, '2026-03-09T10:00:00.000Z'), '2026-03-12T10:00:00.000Z'],
      [timerId('waiting-auto-close', caseId, 1, '2026-03-09T10:00:00.000Z'), '2026-03-23T10:00:00.000Z'],
    ]);
  });

  it('R11: none without a wait: an open case, a resolved one (the resolution ends the wait), a closed one', () => {
    expect(waitingTimers([['2026-03-05T08:00:00Z', open]])).toEqual([]);
    const resolved: [string, CaseCommand] = [
      '2026-03-06T09:00:00Z',
      { type: 'ResolveCase', caseId, actor: agent, outcome: 'solved', summary: 'Done.' },
    ];
    expect(waitingTimers([...waiting, resolved])).toEqual([]);
    const closed: [string, CaseCommand] = ['2026-03-20T09:00:00Z', { type: 'CloseCase', caseId, actor: agent }];
    expect(waitingTimers([...waiting, resolved, closed])).toEqual([]);
  });

  it('R11: a case without SLA terms is counted on the policy’s default calendar', () =>
    expect(
      waitingTimers([
        ['2026-03-05T08:00:00Z', { ...open, sla: undefined }],
        [THURSDAY_1000_PARIS, requestInfo],
      ]),
    ).toEqual(waitingTimers(waiting)));

  it('plans no waiting timer without the waiting settings', () =>
    expect(planAfter(waiting, '2026-03-05T10:00:00Z', false)).toEqual([]));
});
