import {
  caseDecider,
  foldEvents,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type OpenCase,
} from '@app/case-domain';
import { ChangeCase, type CaseChange, type CommandDoor } from '@app/commands';
import { testSla } from '../../../sla/src/testing/test-sla';
import { timerId, type TimerKind } from '../plan/timer-plan';
import type { ClaimedTimer } from '../store/timer-table';
import { fireTimer, unansweredSummary, WAITING_TIMER, type FiringSettings } from './timer-firing';

const sla = testSla();
const DAY = 86_400_000;
const caseId = 'case-1';
const customer = { id: 'ana', role: 'support-admin' };
const agent = { id: 'eve', role: 'agent' };
const open: OpenCase = {
  type: 'OpenCase',
  caseId,
  actor: customer,
  tenant: 'acme.example',
  requester: { id: 'ana', email: 'ana@acme.example' },
  subject: 'SSO fails',
  description: 'Nobody can sign in.',
  product: 'cloud-identity',
  language: 'fr',
  channel: 'email',
  impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
  workaround: 'none',
};
/** Thursday 5 March 2026, 10:00 in Paris (europe-paris, the test policy's calendar) */
const WAIT_START = '2026-03-05T09:00:00.000Z';
/** 3 business days later (Friday, Monday, Tuesday) */
const REMINDER_DUE = '2026-03-10T09:00:00.000Z';
/** 10 business days later */
const AUTO_CLOSE_DUE = '2026-03-19T09:00:00.000Z';

const settings: FiringSettings = {
  sla,
  surveyDelayMs: DAY,
  autoCloseMs: 7 * DAY,
  autoEscalateOnBreach: false,
  waiting: { reminderDays: 3, autoCloseDays: 10 },
};

/** The case's history: the commands, decided at their instants as the door would. */
const history = (steps: [string, CaseCommand][]): CaseEvent[] => {
  let events: CaseEvent[] = [];
  for (const [at, command] of steps) {
    const withTerms =
      command.type === 'OpenCase'
        ? { ...command, sla: sla.termsFor({ tenant: command.tenant, priority: 'P2', openedAt: new Date(at) }) }
        : command;
    events = [...events, ...caseDecider.decide(foldEvents(caseDecider, events), withTerms, new Date(at))];
  }
  return events;
};

/**
 * A door over one case in memory, as the handler goes: the timer's plan runs on the case as
 * it stands and the command is decided at the door's now. `sent` keeps what it decided.
 */
const door = (events: CaseEvent[], now: string) => {
  const sent: CaseCommand[] = [];
  const commands: CommandDoor = {
    execute: async <R>(command: unknown): Promise<R> => {
      const { request } = command as ChangeCase;
      const state: CaseState = foldEvents(caseDecider, events);
      const at = new Date(now);
      const decided = typeof request.command === 'function' ? request.command(state, at) : request.command;
      const appended = decided ? caseDecider.decide(state, decided, at) : [];
      if (decided) sent.push(decided);
      const change: CaseChange = { state, version: events.length, events: appended, replayed: false };
      return change as R;
    },
  };
  return { commands, sent };
};

const timer = (kind: TimerKind, dueAt: string, waitingSince = WAIT_START): ClaimedTimer => ({
  id: timerId(kind, caseId, 1, waitingSince),
  kind,
  streamId: `case-${caseId}`,
  dueAt: new Date(dueAt),
  payload: { caseId, cycle: 1, waitingSince },
  attempts: 1,
});

const waiting: [string, CaseCommand][] = [
  ['2026-03-05T08:00:00.000Z', open],
  [WAIT_START, { type: 'RequestInfo', caseId, actor: agent, agentId: 'eve', items: ['logs'], message: 'Logs?' }],
];
const remind: [string, CaseCommand] = [
  REMINDER_DUE,
  { type: 'RemindCustomer', caseId, actor: WAITING_TIMER, cycle: 1 },
];

describe('fireTimer: the waiting timers (R11)', () => {
  it('the reminder, at its due time, sends RemindCustomer as the waiting timer: CustomerReminded', async () => {
    const { commands, sent } = door(history(waiting), REMINDER_DUE);
    expect(await fireTimer(timer('waiting-reminder', REMINDER_DUE), commands, settings)).toEqual({
      kind: 'recorded',
      events: ['CustomerReminded'],
    });
    expect(sent).toEqual([{ type: 'RemindCustomer', caseId, actor: WAITING_TIMER, cycle: 1 }]);
  });

  it('fired early (the due time moved and the index lags), it is put off to its business moment', async () => {
    const { commands, sent } = door(history(waiting), '2026-03-10T08:59:59.999Z');
    expect(await fireTimer(timer('waiting-reminder', '2026-03-09T09:00:00.000Z'), commands, settings)).toEqual({
      kind: 'not-yet',
      dueAt: new Date(REMINDER_DUE),
    });
    expect(sent).toEqual([]);
  });

  it('a reminder already recorded for the wait is done (a second scheduler)', async () => {
    const { commands } = door(history([...waiting, remind]), '2026-03-10T09:00:01.000Z');
    expect(await fireTimer(timer('waiting-reminder', REMINDER_DUE), commands, settings)).toEqual({ kind: 'already' });
  });

  it('the auto-close, at its due time, resolves the case no-customer-answer, with the reason in its summary', async () => {
    const { commands, sent } = door(history([...waiting, remind]), AUTO_CLOSE_DUE);
    expect(await fireTimer(timer('waiting-auto-close', AUTO_CLOSE_DUE), commands, settings)).toEqual({
      kind: 'recorded',
      events: ['Resolved'],
    });
    expect(sent).toEqual([
      {
        type: 'ResolveCase',
        caseId,
        actor: WAITING_TIMER,
        outcome: 'no-customer-answer',
        summary:
          'Resolved for want of an answer: the information requested on 2026-03-05 (logs) had no answer within 10 business days. A reply on the case reopens it.',
      },
    ]);
    expect(sent[0]).toMatchObject({ summary: unansweredSummary(WAIT_START, ['logs'], 10) });
  });

  it('the auto-close waits for the reminder when both are due at once (the timers were down)', async () => {
    const late = '2026-03-20T09:00:00.000Z';
    const { commands, sent } = door(history(waiting), late);
    expect(await fireTimer(timer('waiting-auto-close', AUTO_CLOSE_DUE), commands, settings)).toEqual({
      kind: 'not-yet',
      dueAt: new Date(Date.parse(late) + 1_000),
    });
    expect(sent).toEqual([]);
  });

  it('a case the waiting timer resolved already is done (a second scheduler); before its time, not yet', async () => {
    const resolved = history([
      ...waiting,
      remind,
      [
        AUTO_CLOSE_DUE,
        {
          type: 'ResolveCase',
          caseId,
          actor: WAITING_TIMER,
          outcome: 'no-customer-answer',
          summary: unansweredSummary(WAIT_START, ['logs'], 10),
        },
      ],
    ]);
    expect(
      await fireTimer(timer('waiting-auto-close', AUTO_CLOSE_DUE), door(resolved, AUTO_CLOSE_DUE).commands, settings),
    ).toEqual({ kind: 'already' });
    const early = door(history([...waiting, remind]), '2026-03-19T08:59:59.999Z');
    expect(await fireTimer(timer('waiting-auto-close', AUTO_CLOSE_DUE), early.commands, settings)).toEqual({
      kind: 'not-yet',
      dueAt: new Date(AUTO_CLOSE_DUE),
    });
  });

  it.each<[string, [string, CaseCommand][]]>([
    [
      'the customer answered',
      [['2026-03-09T09:00:00.000Z', { type: 'ProvideInfo', caseId, actor: customer, message: 'Here.' }]],
    ],
    [
      'the customer replied',
      [['2026-03-09T09:00:00.000Z', { type: 'ReplyToCase', caseId, actor: customer, message: 'Here.' }]],
    ],
    [
      'an agent resolved it',
      [
        [
          '2026-03-09T09:00:00.000Z',
          { type: 'ResolveCase', caseId, actor: agent, outcome: 'solved', summary: 'Done.' },
        ],
      ],
    ],
  ])('both are obsolete once %s: nothing is sent', async (_what, after) => {
    for (const kind of ['waiting-reminder', 'waiting-auto-close'] as const) {
      const { commands, sent } = door(history([...waiting, ...after]), '2026-03-20T09:00:00.000Z');
      expect(await fireTimer(timer(kind, AUTO_CLOSE_DUE), commands, settings)).toMatchObject({ kind: 'obsolete' });
      expect(sent).toEqual([]);
    }
  });

  it('a timer of an earlier wait is obsolete: the case awaits the customer again, since another moment', async () => {
    const again = history([
      ...waiting,
      ['2026-03-09T09:00:00.000Z', { type: 'ProvideInfo', caseId, actor: customer, message: 'Here.' }],
      [
        '2026-03-09T10:00:00.000Z',
        { type: 'RequestInfo', caseId, actor: agent, agentId: 'eve', items: ['logs'], message: 'More?' },
      ],
    ]);
    const { commands, sent } = door(again, '2026-03-20T09:00:00.000Z');
    expect(await fireTimer(timer('waiting-auto-close', AUTO_CLOSE_DUE), commands, settings)).toEqual({
      kind: 'obsolete',
      reason: 'another wait, since 2026-03-09T10:00:00.000Z',
    });
    expect(sent).toEqual([]);
  });

  it('counts WAITING_REMINDER and WAITING_AUTO_CLOSE as configured (defaults 3 and 10 when not given)', async () => {
    const { waiting: _days, ...defaults } = settings;
    const atDefault = door(history(waiting), '2026-03-09T09:00:00.000Z');
    expect(await fireTimer(timer('waiting-reminder', REMINDER_DUE), atDefault.commands, defaults)).toEqual({
      kind: 'not-yet',
      dueAt: new Date(REMINDER_DUE),
    });
    const short = door(history(waiting), '2026-03-09T09:00:00.000Z'); // Friday, Monday: 2 business days
    expect(
      await fireTimer(timer('waiting-reminder', REMINDER_DUE), short.commands, {
        ...settings,
        waiting: { reminderDays: 2, autoCloseDays: 4 },
      }),
    ).toEqual({ kind: 'recorded', events: ['CustomerReminded'] });
  });
});
