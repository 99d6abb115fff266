import { deciderSpec } from '@app/testing';
import { InvalidCommand } from '../../shared/domain-rule-violation';
import { caseDecider } from '../case.decide';
import { CaseNotFound, SlaNotYetBreached } from '../case.errors';
import {
  AT,
  BREACH_DUE,
  closed,
  cmd,
  ev,
  evNow,
  opened,
  reopened,
  resolved,
  responded,
  slaBreached,
  system,
} from '../../testing';

const given = deciderSpec(caseDecider);

/** What the scheduler's breach records, decided at AT (09:30) for a target that ran out at 09:00. */
const breachNow = (o: Partial<Parameters<typeof slaBreached>[0]> = {}) =>
  evNow('SlaBreached', slaBreached(o).data, system.id);
const at = (iso: string) => ({ at: iso });

describe('RecordSlaBreach (R10, system)', () => {
  it('R10: records a missed first-response target when it happens, with the figures it was judged on', () =>
    given([opened()]).when(cmd.recordBreach()).then([breachNow()]));

  it('R10: records a missed resolution target while the agents hold the case', () =>
    given([opened(), responded])
      .when(cmd.recordBreach({ clock: 'resolution', targetMs: 57_600_000 }))
      .then([breachNow({ clock: 'resolution', targetMs: 57_600_000 })]));

  it('R10: records a breach late when the clock stopped only after its due time (the scheduler was down)', () =>
    given([
      opened(),
      ev('AgentResponded', {
        agentId: 'agent-1',
        message: 'Late.',
        firstResponse: true,
        at: '2026-03-02T09:10:00.000Z',
      }),
    ])
      .when(cmd.recordBreach())
      .then([breachNow()]));

  it('R10: once per clock and cycle: a second breach of the same clock changes nothing (two schedulers, a retry)', () =>
    given([opened(), slaBreached()]).when(cmd.recordBreach()).thenNothingHappened());

  it('R10: the other clock of the same cycle is a breach of its own', () =>
    given([opened(), slaBreached()])
      .when(cmd.recordBreach({ clock: 'resolution' }))
      .then([breachNow({ clock: 'resolution' })]));

  it('R10: a breach after the first response is ignored: the clock stopped within its target', () =>
    given([
      opened(),
      ev('AgentResponded', {
        agentId: 'agent-1',
        message: 'Hi.',
        firstResponse: true,
        ...at('2026-03-02T08:30:00.000Z'),
      }),
    ])
      .when(cmd.recordBreach())
      .thenNothingHappened());

  it('R10: an information request stops the first-response clock too', () =>
    given([
      opened(),
      ev('InfoRequested', {
        agentId: 'agent-1',
        items: ['logs'],
        message: 'Logs?',
        firstResponse: true,
        ...at('2026-03-02T08:30:00.000Z'),
      }),
    ])
      .when(cmd.recordBreach())
      .thenNothingHappened());

  it('R11: a resolution breach while the case waited on the customer since before the due time is ignored (paused)', () =>
    given([
      opened(),
      ev('InfoRequested', {
        agentId: 'agent-1',
        items: ['logs'],
        message: 'Logs?',
        firstResponse: true,
        ...at('2026-03-02T08:30:00.000Z'),
      }),
    ])
      .when(cmd.recordBreach({ clock: 'resolution' }))
      .thenNothingHappened());

  it('R15: a breach of an ended cycle is ignored: cycle 1 keeps its results', () =>
    given([opened(), resolved({ at: '2026-03-02T09:10:00.000Z' }), reopened(2)])
      .when(cmd.recordBreach({ clock: 'resolution', cycle: 1 }))
      .thenNothingHappened());

  it('R15: a reopened case can breach again in its new cycle', () =>
    given([opened(), responded, slaBreached(), resolved(), reopened(2)])
      .when(cmd.recordBreach({ cycle: 2 }))
      .then([breachNow({ cycle: 2 })]));

  it('ignores a breach on a closed case', () =>
    given([opened(), resolved({ at: '2026-03-02T09:10:00.000Z' }), closed()])
      .when(cmd.recordBreach({ clock: 'resolution' }))
      .thenNothingHappened());

  it('R10/R13: with escalate, a P1 or P2 breach also escalates to the supervisors, in the same append', () =>
    given([opened()])
      .when(cmd.recordBreach({ escalate: true }))
      .then([
        breachNow(),
        evNow(
          'Escalated',
          {
            target: 'supervisor',
            reason: `The first-response target of P1 was missed (due ${BREACH_DUE}); escalated automatically.`,
          },
          system.id,
        ),
      ]));

  it('R13: a P3 breach is not escalated, even with escalate', () =>
    given([opened({ priority: 'P3' })])
      .when(cmd.recordBreach({ escalate: true }))
      .then([breachNow({ priority: 'P3' })]));

  it('refuses a breach before its due time: the target has not run out', () =>
    given([opened()])
      .when(cmd.recordBreach({ dueAt: AT }))
      .thenThrows(SlaNotYetBreached, (e) => expect(e.code).toBe('CASE.SLA_NOT_YET_BREACHED')));

  it('refuses a breach of a cycle the case has not reached', () =>
    given([opened()])
      .when(cmd.recordBreach({ cycle: 2 }))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('cycle')));

  it.each([
    ['clock', { clock: 'lunch' as never }],
    ['cycle', { cycle: 0 }],
    ['dueAt', { dueAt: 'tomorrow' }],
    ['targetMs', { targetMs: -1 }],
    ['calendarId', { calendarId: '' }],
    ['calendarVersion', { calendarVersion: -2 }],
    ['policyVersion', { policyVersion: '' }],
  ])('refuses a bad %s before looking at the case', (field, o) =>
    given([])
      .when(cmd.recordBreach(o))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe(field)),
  );

  it('refuses a breach for a case that was never opened', () =>
    given([]).when(cmd.recordBreach()).thenThrows(CaseNotFound));
});
