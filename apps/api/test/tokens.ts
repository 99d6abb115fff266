import { issueLocalToken, type PrincipalClaims } from '@app/auth';

export const TEST_AUTH_SECRET = 'e2e-secret-0123456789-abcdefghijklmnop';

const sign = (claims: PrincipalClaims) => issueLocalToken(TEST_AUTH_SECRET, claims, { expiresIn: '1h' });

/** One bearer token per role, as `npm run token` would print them. */
export const testTokens = async () => ({
  admin: await sign({ role: 'support-admin', sub: 'ana', email: 'ana@acme.example', org: 'acme.example', privileges: ['support'] }),
  otherOrgAdmin: await sign({ role: 'support-admin', sub: 'olga', email: 'olga@globex.example', org: 'globex.example', privileges: ['support'] }),
  customerAdmin: await sign({ role: 'customer-admin', sub: 'bob', email: 'bob@acme.example', org: 'acme.example', privileges: [] }),
  consumer: await sign({ role: 'support-admin', sub: 'gus', email: 'gus@gmail.com', org: 'gmail.com', privileges: ['support'] }),
  agent: await sign({ role: 'agent', sub: 'eve', email: 'eve@north.example', vendor: 'north-desk', languages: ['fr', 'en'], regions: ['emea'] }),
  otherAgent: await sign({ role: 'agent', sub: 'max', email: 'max@north.example', vendor: 'north-desk', languages: ['fr'], regions: ['emea'] }),
  germanAgent: await sign({ role: 'agent', sub: 'uwe', email: 'uwe@south.example', vendor: 'south-desk', languages: ['de'], regions: ['emea'] }),
  supervisor: await sign({ role: 'supervisor', sub: 'sam', email: 'sam@support.example' }),
  auditor: await sign({ role: 'auditor', sub: 'aud', email: 'aud@audit.example' }),
});
export type TestTokens = Awaited<ReturnType<typeof testTokens>>;

export const openCaseBody = {
  subject: 'SSO login fails for the whole sales team',
  description: 'Since 9:00 nobody in sales can sign in through SSO; the error says invalid assertion.',
  product: 'cloud-identity',
  language: 'fr',
  channel: 'email',
  impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: true },
  workaround: 'none',
} as const;
