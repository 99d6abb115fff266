import type { Actor } from '../shared/decider';
import { InvalidCommand } from '../shared/domain-rule-violation';
import { isoInstant, requireOneOf, requireText } from '../shared/validation';
import { CaseNotFound } from '../case/case.errors';
import { caseEvent, type CaseEvent } from '../case/case.events';
import type { CaseState } from '../case/case.state';
import {
  ROUTING_REASONS,
  ROUTING_TRIGGERS,
  type RoutingCandidate,
  type RoutingDecision,
  type RoutingTrigger,
} from './routing.types';

/** The system actor that routes cases (R4, R16). */
export const ROUTER: Actor = Object.freeze({ id: 'system:router', role: 'system' });

/**
 * Records a routing decision. The shell decides (`decideRouting`: it holds the vendors,
 * the calendars and the clock) and sends the decision; the case checks that it still
 * applies. A command of the case handler (with Opened) and the re-router, never of a person.
 */
export interface RouteCase {
  readonly type: 'RouteCase';
  readonly caseId: string;
  readonly actor: Actor;
  readonly trigger: RoutingTrigger;
  readonly decision: RoutingDecision;
}

const candidatesOf = (value: unknown): RoutingCandidate[] => {
  if (!Array.isArray(value)) throw new InvalidCommand('decision.candidates', 'must be a list');
  return value.map((c: unknown, i) => {
    const { vendorId, atWork } = (c ?? {}) as Partial<RoutingCandidate>;
    requireText(`decision.candidates[${i}].vendorId`, vendorId);
    if (typeof atWork !== 'boolean')
      throw new InvalidCommand(`decision.candidates[${i}].atWork`, 'must be true or false');
    return { vendorId: vendorId as string, atWork };
  });
};

/**
 * A case in progress (open or awaiting the customer) gets `Routed` when the decision names
 * another vendor than the one it has (or it has none yet). Does nothing for a resolved or
 * closed case (it is in no queue), for a case someone holds, unless it was just opened
 * (routing decides who may see it, and an unassigned case is what moves), and for the
 * vendor it already has: re-deciding is then a no-op, so the re-router may run any number
 * of times.
 */
export const routeCase = (state: CaseState, c: RouteCase, now: Date): CaseEvent[] => {
  const at = isoInstant('now', now);
  const trigger = requireOneOf('trigger', c.trigger, ROUTING_TRIGGERS);
  const d = (c.decision ?? {}) as Partial<RoutingDecision>;
  const queueId = requireText('decision.queueId', d.queueId);
  const reason = requireOneOf('decision.reason', d.reason, ROUTING_REASONS);
  if (d.vendorId !== null) requireText('decision.vendorId', d.vendorId);
  const vendorId = d.vendorId as string | null;
  if ((vendorId === null) !== (reason === 'no-eligible-vendor'))
    throw new InvalidCommand('decision.vendorId', 'must be null exactly when no vendor is eligible');
  const candidates = candidatesOf(d.candidates);
  if (state.status === 'not-opened') throw new CaseNotFound(c.caseId);
  if (state.id !== c.caseId) throw new InvalidCommand('caseId', `names case ${c.caseId}, not ${state.id}`);
  if (state.status === 'resolved' || state.status === 'closed') return [];
  if (state.assigneeId !== undefined && trigger !== 'opened') return [];
  const current = state.routing;
  if (current && current.vendorId === vendorId) return [];
  return [
    caseEvent('Routed', {
      caseId: state.id,
      at,
      byId: c.actor.id,
      vendorId,
      queueId,
      reason,
      trigger,
      candidates,
      ...(current ? { previousVendorId: current.vendorId } : {}),
    }),
  ];
};
