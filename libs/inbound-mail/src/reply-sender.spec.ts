import { createAccessPolicy } from '@app/auth';
import { replySender } from './reply-sender';

const acmeCase = { tenant: 'acme.example', requester: { id: 'ana', email: 'Ana.Lima@acme.example' } };
const { isConsumerDomain } = createAccessPolicy();
const verdict = (from: string, parties = acmeCase) => replySender(from, parties, isConsumerDomain);

describe('replySender: who may answer a case by e-mail', () => {
  it("the case's requester, recorded as themselves (address compared without case)", () => {
    expect(verdict('ana.lima@ACME.example')).toEqual({
      allowed: true,
      asRequester: true,
      actor: { id: 'ana', role: 'support-admin', org: 'acme.example' },
    });
  });

  it("another address of the organisation's own domain, recorded as a support admin whose id is the address", () => {
    expect(verdict(' Bob@Acme.Example ')).toEqual({
      allowed: true,
      asRequester: false,
      actor: { id: 'bob@acme.example', role: 'support-admin', org: 'acme.example' },
    });
  });

  it('refuses a subdomain, a look-alike domain and another organisation', () => {
    for (const from of ['it@eu.acme.example', 'ana@acme.example.net', 'ana@notacme.example', 'olga@globex.example'])
      expect(verdict(from)).toEqual({ allowed: false, reason: 'outside-organisation' });
  });

  it('refuses a consumer address (R2), even one with the name of the requester', () => {
    expect(verdict('ana.lima@gmail.com')).toEqual({ allowed: false, reason: 'consumer-domain' });
    expect(verdict('ana@mail.yahoo.com')).toEqual({ allowed: false, reason: 'consumer-domain' });
  });

  it('refuses every address of a case whose organisation would be a consumer domain', () => {
    const odd = { tenant: 'gmail.com', requester: { id: 'gus', email: 'gus@gmail.com' } };
    expect(verdict('other@gmail.com', odd)).toEqual({ allowed: false, reason: 'consumer-domain' });
  });

  it('refuses what is not one address', () => {
    for (const from of ['', 'ana', 'ana@', '@acme.example', 'ana lima@acme.example', 'ana@localhost'])
      expect(verdict(from)).toEqual({ allowed: false, reason: 'not-an-address' });
  });
});
