import { createHmac } from 'node:crypto';
import { hmacPseudonymiser } from './pseudonymiser';

describe('hmacPseudonymiser', () => {
  const secret = 's'.repeat(32);

  it('is HMAC-SHA-256 of the id under the secret, in hex', () => {
    expect(hmacPseudonymiser(secret)('agent-7')).toBe(createHmac('sha256', secret).update('agent-7').digest('hex'));
    expect(hmacPseudonymiser(secret)('agent-7')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same pseudonym for the same id, different ones for different ids or secrets', () => {
    const p = hmacPseudonymiser(secret);
    expect(p('agent-7')).toBe(p('agent-7'));
    expect(p('agent-7')).not.toBe(p('agent-8'));
    expect(hmacPseudonymiser('t'.repeat(32))('agent-7')).not.toBe(p('agent-7'));
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() => hmacPseudonymiser('short')).toThrow(/at least 32 characters/);
  });
});
