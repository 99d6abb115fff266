import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

type Role = 'admin' | 'customerAdmin' | 'agent' | 'supervisor' | 'auditor';

interface Sample {
  readonly role: Role;
  readonly method: 'get' | 'post';
  /** {case} is replaced by the case opened before the samples */
  readonly path: string;
  readonly body?: object;
  /** the status when allowed; the refusal's code when refused (always 403) */
  readonly expect: number | `AUTH.${string}`;
}

/**
 * Which action each route requires is checked for every route in a unit test
 * (apps/api/src/http/route-actions.spec.ts), and who may do each action cell by cell in
 * libs/auth (access.policy.spec.ts). These samples check, through HTTP, that the guards apply
 * both: for each role, routes it may use and routes it is refused, with the refusal's code.
 */
const SAMPLES: Sample[] = [
  { role: 'admin', method: 'get', path: '/v1/cases/{case}', expect: 200 },
  { role: 'admin', method: 'post', path: '/v1/cases/{case}/replies', body: { message: 'Any news?' }, expect: 200 },
  {
    role: 'admin',
    method: 'post',
    path: '/v1/cases/{case}/responses',
    body: { message: 'm' },
    expect: 'AUTH.FORBIDDEN',
  },
  { role: 'admin', method: 'get', path: '/v1/reports', expect: 'AUTH.FORBIDDEN' },
  { role: 'customerAdmin', method: 'post', path: '/v1/cases', body: openCaseBody, expect: 'AUTH.MISSING_PRIVILEGE' },
  { role: 'customerAdmin', method: 'get', path: '/v1/cases', expect: 'AUTH.MISSING_PRIVILEGE' },
  { role: 'customerAdmin', method: 'get', path: '/v1/incidents', expect: 'AUTH.FORBIDDEN' },
  { role: 'agent', method: 'get', path: '/v1/queues', expect: 200 },
  {
    role: 'agent',
    method: 'post',
    path: '/v1/cases/{case}/escalations',
    body: { target: 'supervisor', reason: 'r' },
    expect: 200,
  },
  {
    role: 'agent',
    method: 'post',
    path: '/v1/cases/{case}/priority',
    body: { priority: 'P3', reason: 'r' },
    expect: 'AUTH.FORBIDDEN',
  },
  { role: 'agent', method: 'post', path: '/v1/cases', body: openCaseBody, expect: 'AUTH.FORBIDDEN' },
  {
    role: 'supervisor',
    method: 'post',
    path: '/v1/cases/{case}/priority',
    body: { priority: 'P3', reason: 'r' },
    expect: 200,
  },
  { role: 'supervisor', method: 'get', path: '/v1/reports', expect: 200 },
  {
    role: 'supervisor',
    method: 'post',
    path: '/v1/cases/{case}/reopen',
    body: { reason: 'r' },
    expect: 'AUTH.FORBIDDEN',
  },
  { role: 'supervisor', method: 'get', path: '/v1/audit/verify', expect: 'AUTH.FORBIDDEN' },
  { role: 'auditor', method: 'get', path: '/v1/cases/{case}/events', expect: 200 },
  { role: 'auditor', method: 'get', path: '/v1/audit/verify', expect: 200 },
  {
    role: 'auditor',
    method: 'post',
    path: '/v1/cases/{case}/responses',
    body: { message: 'm' },
    expect: 'AUTH.READ_ONLY',
  },
  {
    role: 'auditor',
    method: 'post',
    path: '/v1/incidents',
    body: { title: 't', services: ['sso'], startedAt: '2026-03-01T00:00:00Z' },
    expect: 'AUTH.READ_ONLY',
  },
];

describe('the access matrix through HTTP: samples per role', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  let caseId: string;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
    caseId = (await http().post('/v1/cases').set('Authorization', `Bearer ${tok.admin}`).send(openCaseBody).expect(201))
      .body.id;
  });
  afterAll(() => t.close());

  it.each(SAMPLES.map((s) => [s.role, s.method.toUpperCase(), s.path, s.expect, s] as const))(
    '%s: %s %s → %s',
    async (role, _method, path, _expect, sample) => {
      const req = http()[sample.method](path.replace('{case}', caseId)).set('Authorization', `Bearer ${tok[role]}`);
      const res = await (sample.body ? req.send(sample.body) : req);
      if (typeof sample.expect === 'number') {
        expect({ status: res.status, body: res.body }).toMatchObject({ status: sample.expect });
      } else {
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body.code).toBe(sample.expect);
      }
    },
  );

  it('asks every role for a token first: none is 401, whatever the route', async () => {
    for (const [method, path] of [
      ['get', '/v1/cases'],
      ['post', '/v1/incidents'],
      ['get', '/v1/audit/verify'],
    ] as const) {
      const res = await http()[method](path);
      expect({ path, status: res.status, code: res.body.code }).toEqual({
        path,
        status: 401,
        code: 'AUTH.UNAUTHENTICATED',
      });
    }
  });
});
