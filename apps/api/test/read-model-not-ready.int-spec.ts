/**
 * In PostgreSQL mode the worker builds the read models. An API started on a database the
 * worker has not run on yet answers reads of those models 503 READ_MODEL.NOT_READY with a
 * Retry-After, not 500; writes and the case itself (read from the log) work already.
 */
import request from 'supertest';
import { PROJECTIONS, type ProjectionRegistry } from '@app/projections';
import { createTestDatabase, describeWithService, type TestDatabase } from '@app/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const as = (token: string) => ({ Authorization: `Bearer ${token}` });

describeWithService('DATABASE_URL', 'PostgreSQL', 'an API whose read models are not built yet', (serverUrl) => {
  let database: TestDatabase;
  let t: ApiTestApp;
  let tok: TestTokens;

  beforeAll(async () => {
    tok = await testTokens();
    database = await createTestDatabase(serverUrl);
    t = await startApiTestApp({
      AUTH_SECRET: TEST_AUTH_SECRET,
      DATABASE_URL: database.url,
      WORKERS_IN_PROCESS: 'false',
    });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it.each([
    ['the queues', '/v1/queues', 'agent'],
    ['the case list', '/v1/cases', 'admin'],
    ['a report', '/v1/reports/sla-attainment', 'supervisor'],
    ['the help search', '/v1/help/articles?q=password&language=en', 'admin'],
  ] as const)('%s: 503 READ_MODEL.NOT_READY with Retry-After, a problem document', async (_what, path, role) => {
    const res = await request(t.app.getHttpServer()).get(path).set(as(tok[role]));
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ code: 'READ_MODEL.NOT_READY', retriable: true });
  });

  it('a read that waits for a write (?after=) builds nothing either: 503 at once, and the queues stay unbuilt', async () => {
    const opened = await request(t.app.getHttpServer())
      .post('/v1/cases')
      .set(as(tok.admin))
      .send(openCaseBody)
      .expect(201);
    const position = Number(opened.headers['x-log-position']);
    expect(position).toBeGreaterThan(0);
    const res = await request(t.app.getHttpServer()).get(`/v1/queues?after=${position}`).set(as(tok.agent));
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'READ_MODEL.NOT_READY' });
    // neither that wait nor the readiness probe created the queue read model's tables
    await request(t.app.getHttpServer()).get('/health/ready');
    expect(await t.app.get<ProjectionRegistry>(PROJECTIONS).get('case-queue').storedCheckpoint()).toBeUndefined();
  });

  it('writes and the case itself (from the log) answer meanwhile', async () => {
    const opened = await request(t.app.getHttpServer())
      .post('/v1/cases')
      .set(as(tok.admin))
      .send(openCaseBody)
      .expect(201);
    await request(t.app.getHttpServer()).get(`/v1/cases/${opened.body.id}`).set(as(tok.admin)).expect(200);
  });
});
