import request from 'supertest';
import { issueLocalToken, type PrincipalClaims } from '@app/auth';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

/**
 * Policy holes closed by the hardening audit: R2 for the organisation a token names, R3 for
 * the case an open says it follows (`relatedCaseId`), R4 for the agent a case is assigned to.
 */
describe('who may be named: organisations (R2), related cases (R3), assignees (R4)', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  const http = () => request(t.app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const sign = (claims: PrincipalClaims) => issueLocalToken(TEST_AUTH_SECRET, claims, { expiresIn: '1h' });

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
  });
  afterAll(() => t.close());

  describe('R2: an organisation on a consumer domain', () => {
    it('is refused like a consumer address, even with a company address and the privilege', async () => {
      const gmailOrg = await sign({
        role: 'support-admin',
        sub: 'gina',
        email: 'gina@acme.example',
        org: 'gmail.com',
        privileges: ['support'],
      });
      const r = await http().post('/v1/cases').set(as(gmailOrg)).send(openCaseBody).expect(403);
      expect(r.body).toMatchObject({ status: 403, code: 'AUTH.CONSUMER_ACCOUNT' });
      expect(r.body.detail).toMatch(/gmail\.com, a consumer e-mail domain, not an organisation/);
      await http().get('/v1/cases').set(as(gmailOrg)).expect(403);
    });
  });
});
