import { randomBytes } from 'node:crypto';
import { ReplyAddresses } from './reply-address';

describe('ReplyAddresses: a signed reply address per case', () => {
  const secret = randomBytes(32);
  const addresses = new ReplyAddresses(secret, 'Inbound.Example.com');
  const caseId = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
  const other = '6fa459ea-ee8a-4ca4-894e-db77e160355e';

  it('names the case and signs it, under the inbound domain', () => {
    const address = addresses.addressFor(caseId);
    expect(address).toMatch(/^case\+1b4e28ba-2fa1-41d2-883f-0016d3cca427\.[0-9a-f]{16}@inbound\.example\.com$/);
    expect(address.split('@')[0].length).toBeLessThanOrEqual(64);
    expect(addresses.caseOf(address)).toBe(caseId);
    expect(addresses.caseOf(address.toUpperCase())).toBe(caseId); // servers may change the case
  });

  it('refuses a forged address: another case with this signature, another signature, another domain or key', () => {
    const address = addresses.addressFor(caseId);
    const signature = address.split('.')[1].split('@')[0];
    expect(addresses.caseOf(`case+${other}.${signature}@inbound.example.com`)).toBeNull();
    expect(addresses.caseOf(address.replace(signature, '0'.repeat(16)))).toBeNull();
    expect(addresses.caseOf(address.replace(signature, signature.slice(0, 8)))).toBeNull();
    expect(addresses.caseOf(address.replace('inbound.example.com', 'evil.example.com'))).toBeNull();
    expect(new ReplyAddresses(randomBytes(32), 'inbound.example.com').caseOf(address)).toBeNull();
    expect(addresses.caseOf('support@inbound.example.com')).toBeNull();
  });

  it('refuses a short secret, a bad domain and a case id that is not one', () => {
    expect(() => new ReplyAddresses(randomBytes(16), 'inbound.example.com')).toThrow(TypeError);
    expect(() => new ReplyAddresses(secret, 'not a domain')).toThrow(TypeError);
    expect(() => addresses.addressFor('case-1')).toThrow(TypeError);
  });
});
