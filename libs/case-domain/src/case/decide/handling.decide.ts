import { InvalidCommand } from '../../shared/domain-rule-violation';
import { requireOneOf, requireText } from '../../shared/validation';
import { speaks } from '../../vendor/vendor.model';
import type { Assignee, AssignCase, ChangePriority, EscalateCase } from '../case.commands';
import { AgentNotEligible, CaseHeldByAnotherAgent } from '../case.errors';
import { caseEvent, type CaseEvent } from '../case.events';
import type { CaseState, OpenedCase } from '../case.state';
import { ESCALATION_TARGETS, PRIORITIES } from '../case.types';
import { requireInProgress } from './guards';

/** How the desk handles a case in progress: who holds it, how urgent it is, who else looks at it. */

/**
 * An agent claims a case, or a supervisor assigns it. The assignee must be eligible (R4, see
 * `requireEligible`); a case held by another agent is taken only with `force` (the API lets
 * only supervisors set it); assigning the holder again is a no-op.
 */
export const assignCase = (state: CaseState, c: AssignCase, at: string): CaseEvent[] => {
  requireText('agentId', c.agentId);
  requireText('byId', c.byId);
  if (c.force !== undefined && typeof c.force !== 'boolean') throw new InvalidCommand('force', 'must be true or false');
  const assignee = validAssignee(c.assignee);
  const current = requireInProgress(state, c);
  const holder = current.assigneeId;
  if (holder === c.agentId) return [];
  requireEligible(current, c.agentId, assignee);
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

const validAssignee = (a: Assignee | null | undefined): Assignee | null => {
  if (a === null) return null;
  if (a?.kind === 'supervisor') return a;
  if (a?.kind === 'agent' && typeof a.vendorId === 'string' && Array.isArray(a.languages)) return a;
  throw new InvalidCommand('assignee', "must give the agent's vendor and languages, or null for an unknown agent");
};

/**
 * R4: a case is held only by someone who may work it: an agent of the vendor the case is
 * routed to who speaks its language (the rule by which agents see cases), or a supervisor
 * (who sees every case). A case routed to no vendor can be held by supervisors only.
 */
const requireEligible = (current: OpenedCase, agentId: string, assignee: Assignee | null): void => {
  if (assignee === null)
    throw new AgentNotEligible(
      current.id,
      agentId,
      'unknown-agent',
      'no agent with this id is known (an agent becomes known when they first sign in to the API).',
    );
  if (assignee.kind === 'supervisor') return;
  const vendorId = assignee.vendorId.trim().toLowerCase();
  const routed = current.routing?.vendorId ?? null;
  if (routed === null)
    throw new AgentNotEligible(
      current.id,
      agentId,
      'no-vendor',
      `the case is routed to no vendor (none speaks ${current.language}), so only a supervisor may hold it (R4).`,
    );
  if (routed.toLowerCase() !== vendorId)
    throw new AgentNotEligible(
      current.id,
      agentId,
      'other-vendor',
      `the agent works for vendor ${vendorId} and the case is routed to vendor ${routed}; only its agents may hold it (R4).`,
    );
  if (!speaks(assignee.languages, current.language))
    throw new AgentNotEligible(
      current.id,
      agentId,
      'language',
      `the agent speaks ${assignee.languages.join(', ')} and the case is in ${current.language} (R4).`,
    );
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
