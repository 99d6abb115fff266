import { InvalidCommand } from '../../shared/domain-rule-violation';
import {
  requireBoolean,
  requireDurationMs,
  requireInstant,
  requireOneOf,
  requireText,
  requireVersion,
} from '../../shared/validation';
import type { RecordSlaBreach } from '../case.commands';
import { SlaNotYetBreached } from '../case.errors';
import { caseEvent, type CaseEvent } from '../case.events';
import type { CaseState, OpenedCase } from '../case.state';
import { SLA_CLOCKS, type Priority, type SlaClock } from '../case.types';
import { cycleFacts, openWait, type SlaCycleFacts } from '../sla/sla.facts';
import { requireCase } from './guards';

/** Auto-escalation on a breach is for the urgent priorities only. */
const ESCALATED_PRIORITIES: readonly Priority[] = ['P1', 'P2'];

/**
 * R10: a missed target is recorded as an event when it happens, once per clock and cycle.
 * The scheduler computed the figures (`slaOf`); the rules here decide whether they still
 * stand. Too early is refused (the timer was wrong); a stale timer (the clock stopped or was
 * paused in time, the cycle ended, the breach is already recorded, the case is closed)
 * changes nothing, so a timer that fires twice or late does no harm.
 */
export const recordSlaBreach = (state: CaseState, c: RecordSlaBreach, at: string): CaseEvent[] => {
  const clock = requireOneOf('clock', c.clock, SLA_CLOCKS);
  if (!Number.isSafeInteger(c.cycle) || c.cycle < 1) throw new InvalidCommand('cycle', 'must be a whole number from 1');
  const dueAt = requireInstant('dueAt', c.dueAt);
  const targetMs = requireDurationMs('targetMs', c.targetMs);
  const calendarId = requireText('calendarId', c.calendarId);
  const calendarVersion = requireVersion('calendarVersion', c.calendarVersion);
  const policyVersion = requireVersion('policyVersion', c.policyVersion);
  const escalate = c.escalate === undefined ? false : requireBoolean('escalate', c.escalate);
  const current = requireCase(state, c);
  if (c.cycle > current.cycle) throw new InvalidCommand('cycle', `case ${current.id} is in cycle ${current.cycle}`);
  // the target is used up at dueAt; a breach is any moment after it (docs/business-time.md)
  if (Date.parse(at) <= Date.parse(dueAt)) throw new SlaNotYetBreached(current.id, clock, dueAt);
  const facts = cycleFacts(current.sla, c.cycle);
  if (!facts || !stillBreached(current, facts, clock, dueAt)) return [];
  const breach = caseEvent('SlaBreached', {
    caseId: current.id,
    at,
    byId: c.actor.id,
    clock,
    cycle: c.cycle,
    priority: current.priority,
    dueAt,
    targetMs,
    calendarId,
    calendarVersion,
    policyVersion,
  });
  const inProgress = current.status === 'open' || current.status === 'awaiting-customer';
  if (!escalate || !inProgress || !ESCALATED_PRIORITIES.includes(current.priority)) return [breach];
  // R13: the escalation rides on the breach's append, so it is recorded exactly as often: once
  const reason = `The ${clock} target of ${current.priority} was missed (due ${dueAt}); escalated automatically.`;
  return [breach, caseEvent('Escalated', { caseId: current.id, at, byId: c.actor.id, target: 'supervisor', reason })];
};

/** Whether the clock was still running past `dueAt`, with no breach recorded yet. */
const stillBreached = (current: OpenedCase, facts: SlaCycleFacts, clock: SlaClock, dueAt: string): boolean => {
  if (facts.breaches.some((b) => b.clock === clock)) return false; // once per clock and cycle
  if (facts.cycle !== current.cycle || current.status === 'closed') return false; // that cycle's results are final
  const due = Date.parse(dueAt);
  const stoppedAt = clock === 'first-response' ? (facts.firstResponseAt ?? facts.resolvedAt) : facts.resolvedAt;
  if (stoppedAt !== undefined && Date.parse(stoppedAt) <= due) return false; // stopped within the target
  const wait = clock === 'resolution' ? openWait(current.sla) : undefined;
  return !(wait && Date.parse(wait.since) <= due); // paused (R11) before the target ran out
};
