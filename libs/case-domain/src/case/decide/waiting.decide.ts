import { InvalidCommand } from '../../shared/domain-rule-violation';
import type { RemindCustomer } from '../case.commands';
import { CaseNotAwaitingCustomer } from '../case.errors';
import { caseEvent, type CaseEvent } from '../case.events';
import type { CaseState } from '../case.state';
import { actionOf, requireNotClosed } from './guards';

/**
 * R11, system: the waiting timer reminds the customer that the case awaits their answer.
 * Once per wait: the wait in progress is identified by its start (`pendingInfoRequest.since`,
 * which a second request during the wait keeps), and a reminder already recorded for it
 * makes a repeat (a second scheduler, a retry) change nothing, as does a reminder for an
 * earlier cycle's wait. When the reminder is due is the timer's business (WAITING_REMINDER
 * business days of the case's calendar): the domain holds no calendar.
 */
export const remindCustomer = (state: CaseState, c: RemindCustomer, at: string): CaseEvent[] => {
  if (!Number.isSafeInteger(c.cycle) || c.cycle < 1) throw new InvalidCommand('cycle', 'must be a whole number from 1');
  const current = requireNotClosed(state, c);
  if (c.cycle > current.cycle) throw new InvalidCommand('cycle', `case ${current.id} is in cycle ${current.cycle}`);
  if (c.cycle < current.cycle) return []; // that cycle's waits are over
  const wait = current.pendingInfoRequest;
  if (current.status !== 'awaiting-customer' || wait === undefined)
    throw new CaseNotAwaitingCustomer(current.id, current.status, actionOf(c));
  if (wait.remindedAt !== undefined) return []; // once per wait
  return [
    caseEvent('CustomerReminded', {
      caseId: current.id,
      at,
      byId: c.actor.id,
      cycle: current.cycle,
      waitingSince: wait.since,
    }),
  ];
};
