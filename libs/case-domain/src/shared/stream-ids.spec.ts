import { InvalidCommand } from './domain-rule-violation';
import { caseIdFromStreamId, incidentIdFromStreamId, toCaseStreamId, toIncidentStreamId } from './stream-ids';

describe('stream ids', () => {
  it('are <category>-<id>', () => {
    expect(toCaseStreamId('6f1c2d')).toBe('case-6f1c2d');
    expect(toIncidentStreamId('inc-7')).toBe('incident-inc-7');
  });

  it('give the id back, and null for another category', () => {
    expect(caseIdFromStreamId(toCaseStreamId('a-b-c'))).toBe('a-b-c');
    expect(incidentIdFromStreamId(toIncidentStreamId('inc-7'))).toBe('inc-7');
    expect(caseIdFromStreamId('incident-inc-7')).toBeNull();
    expect(caseIdFromStreamId('case-')).toBeNull();
  });

  it('refuse an empty id', () => expect(() => toCaseStreamId(' ')).toThrow(InvalidCommand));
});
