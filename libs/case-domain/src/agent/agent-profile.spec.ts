import { deciderSpec } from '@app/testing';
import { foldEvents } from '../shared/decider';
import { InvalidCommand } from '../shared/domain-rule-violation';
import { agentDecider, assigneeOf, toAgentStreamId, type AgentEvent, type RecordAgent } from './agent-profile';

const given = deciderSpec(agentDecider);
const AT = '2026-03-02T09:30:00.000Z';
const eve = { id: 'eve', role: 'agent' };
const record = (o: Partial<RecordAgent> = {}): RecordAgent => ({
  type: 'RecordAgent',
  agentId: 'eve',
  vendorId: 'north-desk',
  languages: ['fr', 'en'],
  regions: ['emea'],
  actor: eve,
  ...o,
});
const seen: AgentEvent = {
  type: 'AgentSeen',
  schemaVersion: 1,
  data: { agentId: 'eve', vendorId: 'north-desk', languages: ['en', 'fr'], regions: ['emea'], at: AT, byId: 'eve' },
};

describe('the agents directory (R4): agents as their tokens showed them', () => {
  it('records an agent the first time their token is seen, languages and regions sorted', () =>
    given([]).when(record()).then([seen]));

  it('does nothing when the same claims come again, in any order or case', () =>
    given([seen])
      .when(record({ languages: ['EN', 'fr', 'fr'], vendorId: 'North-Desk' }))
      .thenNothingHappened());

  it('records a change of vendor, languages or regions, with what they were', () =>
    given([seen])
      .when(record({ vendorId: 'south-desk', languages: ['de'] }))
      .then([
        {
          type: 'AgentProfileChanged',
          schemaVersion: 1,
          data: {
            agentId: 'eve',
            vendorId: 'south-desk',
            languages: ['de'],
            regions: ['emea'],
            at: AT,
            byId: 'eve',
            previous: { vendorId: 'north-desk', languages: ['en', 'fr'], regions: ['emea'] },
          },
        },
      ]));

  it.each([
    ['agentId', record({ agentId: ' ' })],
    ['vendorId', record({ vendorId: 'North Desk!' })],
    ['languages', record({ languages: [] })],
    ['regions', record({ regions: ['?'] })],
  ])('refuses a bad %s', (field, command) =>
    given([])
      .when(command)
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe(field)),
  );

  it('gives the assignee facts a case decides on, or null for an agent never seen', () => {
    expect(assigneeOf(agentDecider.initialState)).toBeNull();
    expect(assigneeOf(foldEvents(agentDecider, [seen]))).toEqual({
      kind: 'agent',
      vendorId: 'north-desk',
      languages: ['en', 'fr'],
    });
    expect(toAgentStreamId('eve')).toBe('agent-eve');
  });
});
