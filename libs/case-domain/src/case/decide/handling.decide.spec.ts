import { deciderSpec } from '@app/testing';
import { InvalidCommand } from '../../shared/domain-rule-violation';
import { caseDecider } from '../case.decide';
import { CaseAlreadyClosed, CaseAlreadyResolved, CaseHeldByAnotherAgent } from '../case.errors';
import {
  agent,
  assigned,
  closed,
  cmd,
  evNow,
  opened,
  otherAgent,
  resolved,
  supervisor,
} from '../testing/case.fixtures';

const given = deciderSpec(caseDecider);

describe('AssignCase', () => {
  it('an agent claims an unassigned case', () =>
    given([opened])
      .when(cmd.assign())
      .then([evNow('AgentAssigned', { agentId: agent.id, forced: false })]));

  it('a supervisor reassigns a held case with force, and the event says from whom', () =>
    given([opened, assigned(agent.id)])
      .when(cmd.assign(otherAgent.id, { actor: supervisor, byId: supervisor.id, force: true }))
      .then([
        evNow('AgentAssigned', { agentId: otherAgent.id, previousAgentId: agent.id, forced: true }, supervisor.id),
      ]));

  it('refuses to let an agent claim a case another agent holds', () =>
    given([opened, assigned(agent.id)])
      .when(cmd.assign(otherAgent.id, { actor: otherAgent, byId: otherAgent.id }))
      .thenThrows(CaseHeldByAnotherAgent, (e) => expect(e.holderId).toBe(agent.id)));

  it('does nothing when the holder claims it again', () =>
    given([opened, assigned(agent.id)])
      .when(cmd.assign(agent.id))
      .thenNothingHappened());

  it('refuses to assign a closed case', () =>
    given([opened, resolved(), closed()]).when(cmd.assign()).thenThrows(CaseAlreadyClosed));
});

describe('EscalateCase (R13)', () => {
  it('R13: records the escalation with its target and reason', () =>
    given([opened])
      .when(cmd.escalate({ target: 'third-party', reason: 'Identity provider bug.' }))
      .then([evNow('Escalated', { target: 'third-party', reason: 'Identity provider bug.' })]));

  it('R13: an escalation is a step, not an end: it can happen several times', () =>
    given([opened, evNow('Escalated', { target: 'supervisor', reason: 'Angry customer.' })])
      .when(cmd.escalate())
      .then([evNow('Escalated', { target: 'product-team', reason: 'Needs a code fix.' })]));

  it('R13: refuses to escalate a resolved case', () =>
    given([opened, resolved()]).when(cmd.escalate()).thenThrows(CaseAlreadyResolved));

  it('refuses an escalation without a reason or to an unknown target', () => {
    given([opened])
      .when(cmd.escalate({ reason: '' }))
      .thenThrows(InvalidCommand);
    given([opened])
      .when(cmd.escalate({ target: 'legal' as never }))
      .thenThrows(InvalidCommand);
  });
});

describe('ChangePriority (R9)', () => {
  it('R9: changes the priority as an event, with the reason and the previous priority', () =>
    given([opened])
      .when(cmd.changePriority())
      .then([evNow('PriorityChanged', { from: 'P1', to: 'P2', reason: 'Only one team is affected.' }, supervisor.id)]));

  it('R9: refuses a change without a reason', () =>
    given([opened])
      .when(cmd.changePriority({ reason: '' }))
      .thenThrows(InvalidCommand));

  it('refuses an unknown priority', () =>
    given([opened])
      .when(cmd.changePriority({ priority: 'P0' as never }))
      .thenThrows(InvalidCommand));

  it('does nothing when the priority is already the one asked for', () =>
    given([opened])
      .when(cmd.changePriority({ priority: 'P1' }))
      .thenNothingHappened());

  it('refuses to change the priority of a closed case', () =>
    given([opened, resolved(), closed()]).when(cmd.changePriority()).thenThrows(CaseAlreadyClosed));
});
