import { InvalidCommand } from '../../shared/domain-rule-violation';
import { requireOneOf, requireText } from '../../shared/validation';
import type { AssignCase, ChangePriority, EscalateCase } from '../case.commands';
import { CaseHeldByAnotherAgent } from '../case.errors';
import { caseEvent, type CaseEvent } from '../case.events';
import type { CaseState } from '../case.state';
import { ESCALATION_TARGETS, PRIORITIES } from '../case.types';
import { requireInProgress } from './guards';

/** How the desk handles a case in progress: who holds it, how urgent it is, who else looks at it. */

/**
 * An agent claims a case, or a supervisor assigns it. A case held by another agent is taken
 * only with `force` (the API lets only supervisors set it); assigning the holder again is a no-op.
 */
export const assignCase = (state: CaseState, c: AssignCase, at: string): CaseEvent[] => {
  requireText('agentId', c.agentId);
  requireText('byId', c.byId);
  if (c.force !== undefined && typeof c.force !== 'boolean') throw new InvalidCommand('force', 'must be true or false');
  const current = requireInProgress(state, c);
  const holder = current.assigneeId;
  if (holder === c.agentId) return [];
  if (holder !== undefined && c.force !== true) throw new CaseHeldByAnotherAgent(current.id, holder);
  return [
    caseEvent('AgentAssigned', {
      caseId: current.id,
      at,
      byId: c.byId,
      agentId: c.agentId,
      ...(holder === undefined ? {} : { previousAgentId: holder }),
      forced: holder !== undefined,
    }),
  ];
};

/** R13: a step, not an end; recorded with its reason, as often as needed. */
export const escalateCase = (state: CaseState, c: EscalateCase, at: string): CaseEvent[] => {
  const target = requireOneOf('target', c.target, ESCALATION_TARGETS);
  requireText('reason', c.reason);
  const current = requireInProgress(state, c);
  return [caseEvent('Escalated', { caseId: current.id, at, byId: c.actor.id, target, reason: c.reason })];
};

/** R9: the derived priority changes only as an event with a reason; the same priority is a no-op. */
export const changePriority = (state: CaseState, c: ChangePriority, at: string): CaseEvent[] => {
  const to = requireOneOf('priority', c.priority, PRIORITIES);
  requireText('reason', c.reason);
  const current = requireInProgress(state, c);
  if (current.priority === to) return [];
  return [
    caseEvent('PriorityChanged', {
      caseId: current.id,
      at,
      byId: c.actor.id,
      from: current.priority,
      to,
      reason: c.reason,
    }),
  ];
};
