import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

type Role = 'admin' | 'customerAdmin' | 'agent' | 'supervisor' | 'auditor';
const ROLES: Role[] = ['admin', 'customerAdmin', 'agent', 'supervisor', 'auditor'];

interface Route {
  readonly name: string;
  readonly method: 'get' | 'post';
  /** {case} and {incident} are replaced by a fresh case and incident per request */
  readonly path: string;
  readonly body?: object;
  /** the roles that get past identity and access (the answer may still be a 409 of the domain) */
  readonly allowed: readonly Role[];
}

/** Every route of the case and incident API against every role (docs/domain-model.md, "Who may do what"). */
const ROUTES: Route[] = [
  { name: 'open a case', method: 'post', path: '/v1/cases', body: openCaseBody, allowed: ['admin'] },
  { name: 'list cases', method: 'get', path: '/v1/cases', allowed: ['admin', 'agent', 'supervisor', 'auditor'] },
  { name: 'read a case', method: 'get', path: '/v1/cases/{case}', allowed: ['admin', 'agent', 'supervisor', 'auditor'] },
  { name: 'read its events', method: 'get', path: '/v1/cases/{case}/events', allowed: ['admin', 'agent', 'supervisor', 'auditor'] },
  { name: 'claim', method: 'post', path: '/v1/cases/{case}/assignment', body: {}, allowed: ['agent', 'supervisor'] },
  { name: 'respond', method: 'post', path: '/v1/cases/{case}/responses', body: { message: 'm' }, allowed: ['agent', 'supervisor'] },
  {
    name: 'request info',
    method: 'post',
    path: '/v1/cases/{case}/info-requests',
    body: { items: ['logs'], message: 'm' },
    allowed: ['agent', 'supervisor'],
  },
  { name: 'provide info', method: 'post', path: '/v1/cases/{case}/info', body: { message: 'm' }, allowed: ['admin'] },
  { name: 'reply', method: 'post', path: '/v1/cases/{case}/replies', body: { message: 'm' }, allowed: ['admin'] },
  {
    name: 'escalate',
    method: 'post',
    path: '/v1/cases/{case}/escalations',
    body: { target: 'supervisor', reason: 'r' },
    allowed: ['agent', 'supervisor'],
  },
  { name: 'change priority', method: 'post', path: '/v1/cases/{case}/priority', body: { priority: 'P3', reason: 'r' }, allowed: ['supervisor'] },
  {
    name: 'resolve',
    method: 'post',
    path: '/v1/cases/{case}/resolution',
    body: { outcome: 'solved', summary: 's' },
    allowed: ['agent', 'supervisor'],
  },
  { name: 'reopen', method: 'post', path: '/v1/cases/{case}/reopen', body: { reason: 'r' }, allowed: ['admin'] },
  { name: 'link an incident', method: 'post', path: '/v1/cases/{case}/incident-link', body: { incidentId: '{incident}' }, allowed: ['agent', 'supervisor'] },
  { name: 'request a credit', method: 'post', path: '/v1/cases/{case}/credit-requests', body: {}, allowed: ['admin'] },
  { name: 'issue a credit', method: 'post', path: '/v1/cases/{case}/credits', body: { amount: 1, currency: 'EUR' }, allowed: ['supervisor'] },
  { name: 'request an incident report', method: 'post', path: '/v1/cases/{case}/incident-report-requests', body: {}, allowed: ['admin'] },
  {
    name: 'send an incident report',
    method: 'post',
    path: '/v1/cases/{case}/incident-reports',
    body: { reportUrl: 'https://status.example.com/r/1' },
    allowed: ['agent', 'supervisor'],
  },
  { name: 'answer the survey', method: 'post', path: '/v1/cases/{case}/survey-response', body: { rating: 5 }, allowed: ['admin'] },
  {
    name: 'declare an incident',
    method: 'post',
    path: '/v1/incidents',
    body: { title: 't', services: ['sso'], startedAt: '2026-03-01T00:00:00Z' },
    allowed: ['supervisor'],
  },
  {
    name: 'resolve an incident',
    method: 'post',
    path: '/v1/incidents/{incident}/resolution',
    body: { endedAt: '2026-03-01T02:00:00Z' },
    allowed: ['supervisor'],
  },
  { name: 'list incidents', method: 'get', path: '/v1/incidents', allowed: ['agent', 'supervisor', 'auditor'] },
];

describe('every route × every role', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
  });
  afterAll(() => t.close());

  const fill = (text: string, ids: { case: string; incident: string }) =>
    text.replace('{case}', ids.case).replace('{incident}', ids.incident);

  const cases = ROUTES.flatMap((route) => ROLES.map((role) => [route.name, role, route] as const));

  it.each(cases)('%s as %s', async (_name, role, route) => {
    const caseId = (await http().post('/v1/cases').set('Authorization', `Bearer ${tok.admin}`).send(openCaseBody).expect(201)).body.id;
    const incidentId = (
      await http()
        .post('/v1/incidents')
        .set('Authorization', `Bearer ${tok.supervisor}`)
        .send({ title: 'Outage', services: ['sso'], startedAt: '2026-03-01T00:00:00Z' })
        .expect(201)
    ).body.id;
    const ids = { case: caseId, incident: incidentId };
    const body = route.body && JSON.parse(fill(JSON.stringify(route.body), ids));
    const req = http()[route.method](fill(route.path, ids)).set('Authorization', `Bearer ${tok[role]}`);
    const res = await (body ? req.send(body) : req);
    if (route.allowed.includes(role)) {
      expect([401, 403, 404, 500]).not.toContain(res.status);
    } else {
      expect(res.status).toBe(403);
      expect(res.body.code).toMatch(/^AUTH\./);
    }
  });
});
