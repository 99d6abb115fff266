import { deciderSpec } from '@app/testing';
import { InvalidCommand } from '../../shared/domain-rule-violation';
import { caseDecider } from '../case.decide';
import type { Assignee } from '../case.commands';
import { AgentNotEligible, CaseAlreadyClosed, CaseAlreadyResolved, CaseHeldByAnotherAgent } from '../case.errors';
import {
  agent,
  assigned,
  closed,
  cmd,
  evNow,
  northDeskAgent,
  opened,
  otherAgent,
  resolved,
  routed,
  supervisor,
} from '../../testing';

const given = deciderSpec(caseDecider);

describe('AssignCase', () => {
  it('an agent claims an unassigned case', () =>
    given([opened(), routed()])
      .when(cmd.assign())
      .then([evNow('AgentAssigned', { agentId: agent.id, forced: false })]));

  it('a supervisor reassigns a held case with force, and the event says from whom', () =>
    given([opened(), routed(), assigned(agent.id)])
      .when(cmd.assign(otherAgent.id, { actor: supervisor, byId: supervisor.id, force: true }))
      .then([
        evNow('AgentAssigned', { agentId: otherAgent.id, previousAgentId: agent.id, forced: true }, supervisor.id),
      ]));

  it('refuses to let an agent claim a case another agent holds', () =>
    given([opened(), routed(), assigned(agent.id)])
      .when(cmd.assign(otherAgent.id, { actor: otherAgent, byId: otherAgent.id }))
      .thenThrows(CaseHeldByAnotherAgent, (e) => expect(e.holderId).toBe(agent.id)));

  it('does nothing when the holder claims it again', () =>
    given([opened(), routed(), assigned(agent.id)])
      .when(cmd.assign(agent.id))
      .thenNothingHappened());

  it('refuses to assign a closed case', () =>
    given([opened(), resolved(), closed()]).when(cmd.assign()).thenThrows(CaseAlreadyClosed));

  describe('R4: only to someone who may work the case', () => {
    const reassign = (assignee: Assignee | null) =>
      cmd.assign(otherAgent.id, { actor: supervisor, byId: supervisor.id, force: true, assignee });
    const refusedAs = (reason: AgentNotEligible['reason'], sentence: RegExp) => (e: AgentNotEligible) => {
      expect(e).toMatchObject({ code: 'CASE.AGENT_NOT_ELIGIBLE', kind: 'conflict', agentId: otherAgent.id, reason });
      expect(e.message).toMatch(sentence);
    };

    it('a supervisor assigns an agent of the routed vendor who speaks a base language of the case', () =>
      given([opened(), routed()])
        .when(reassign({ kind: 'agent', vendorId: 'North-Desk', languages: ['fr'] }))
        .then([evNow('AgentAssigned', { agentId: otherAgent.id, forced: false }, supervisor.id)]));

    it('a supervisor may hold any case, one routed to nobody included', () =>
      given([opened(), routed(null)])
        .when(cmd.assign(supervisor.id, { actor: supervisor, byId: supervisor.id, assignee: { kind: 'supervisor' } }))
        .then([evNow('AgentAssigned', { agentId: supervisor.id, forced: false }, supervisor.id)]));

    it('refuses an agent nobody knows', () =>
      given([opened(), routed()])
        .when(reassign(null))
        .thenThrows(
          AgentNotEligible,
          refusedAs(
            'unknown-agent',
            /^Agent agent-2 cannot be assigned case case-0001: no agent with this id is known/,
          ),
        ));

    it("refuses an agent of another vendor than the case's", () =>
      given([opened(), routed(), assigned(agent.id)])
        .when(reassign({ kind: 'agent', vendorId: 'south-desk', languages: ['fr'] }))
        .thenThrows(
          AgentNotEligible,
          refusedAs('other-vendor', /works for vendor south-desk and the case is routed to vendor north-desk/),
        ));

    it("refuses an agent who does not speak the case's language", () =>
      given([opened(), routed()])
        .when(reassign({ kind: 'agent', vendorId: 'north-desk', languages: ['en', 'fr-ca'] }))
        .thenThrows(AgentNotEligible, refusedAs('language', /speaks en, fr-ca and the case is in fr/)));

    it('refuses every agent for a case routed to no vendor, or not routed yet', () => {
      given([opened(), routed(null)])
        .when(reassign(northDeskAgent))
        .thenThrows(AgentNotEligible, refusedAs('no-vendor', /routed to no vendor/));
      given([opened()])
        .when(reassign(northDeskAgent))
        .thenThrows(AgentNotEligible, refusedAs('no-vendor', /no vendor/));
    });

    it('an agent claiming for themselves is held to the same rule', () =>
      given([opened(), routed('south-desk')])
        .when(cmd.assign())
        .thenThrows(AgentNotEligible, (e) => expect(e.reason).toBe('other-vendor')));

    it('refuses a command that does not say who the assignee is, before anything else', () =>
      given([])
        .when(cmd.assign(agent.id, { assignee: undefined }))
        .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('assignee')));
  });
});

describe('EscalateCase (R13)', () => {
  it('R13: records the escalation with its target and reason', () =>
    given([opened()])
      .when(cmd.escalate({ target: 'third-party', reason: 'Identity provider bug.' }))
      .then([evNow('Escalated', { target: 'third-party', reason: 'Identity provider bug.' })]));

  it('R13: an escalation is a step, not an end: it can happen several times', () =>
    given([opened(), evNow('Escalated', { target: 'supervisor', reason: 'Angry customer.' })])
      .when(cmd.escalate())
      .then([evNow('Escalated', { target: 'product-team', reason: 'Needs a code fix.' })]));

  it('R13: refuses to escalate a resolved case', () =>
    given([opened(), resolved()]).when(cmd.escalate()).thenThrows(CaseAlreadyResolved));

  it('refuses an escalation without a reason or to an unknown target', () => {
    given([opened()])
      .when(cmd.escalate({ reason: '' }))
      .thenThrows(InvalidCommand);
    given([opened()])
      .when(cmd.escalate({ target: 'legal' as never }))
      .thenThrows(InvalidCommand);
  });
});

describe('ChangePriority (R9)', () => {
  it('R9: changes the priority as an event, with the reason and the previous priority', () =>
    given([opened()])
      .when(cmd.changePriority())
      .then([evNow('PriorityChanged', { from: 'P1', to: 'P2', reason: 'Only one team is affected.' }, supervisor.id)]));

  it('R9: refuses a change without a reason', () =>
    given([opened()])
      .when(cmd.changePriority({ reason: '' }))
      .thenThrows(InvalidCommand));

  it('refuses an unknown priority', () =>
    given([opened()])
      .when(cmd.changePriority({ priority: 'P0' as never }))
      .thenThrows(InvalidCommand));

  it('does nothing when the priority is already the one asked for', () =>
    given([opened()])
      .when(cmd.changePriority({ priority: 'P1' }))
      .thenNothingHappened());

  it('refuses to change the priority of a closed case', () =>
    given([opened(), resolved(), closed()]).when(cmd.changePriority()).thenThrows(CaseAlreadyClosed));
});
