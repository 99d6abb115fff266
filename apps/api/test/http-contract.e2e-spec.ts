import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

describe('the HTTP contract: validation, identity, tenancy, concurrency, idempotency', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  const http = () => request(t.app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const open = async () => (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body;
  const eventTypes = async (id: string) =>
    (await http().get(`/v1/cases/${id}/events`).set(as(tok.auditor)).expect(200)).body.events.map((e: { type: string }) => e.type);

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
  });
  afterAll(() => t.close());

  describe('400 for invalid bodies, naming the failing fields', () => {
    it('refuses unknown properties', async () => {
      const r = await http().post('/v1/cases').set(as(tok.admin)).send({ ...openCaseBody, priority: 'P1' }).expect(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ status: 400, code: 'HTTP.VALIDATION_FAILED', errors: [{ field: 'priority' }] });
    });

    it('names nested and enumerated fields', async () => {
      const r = await http()
        .post('/v1/cases')
        .set(as(tok.admin))
        .send({ ...openCaseBody, channel: 'fax', impact: { ...openCaseBody.impact, scope: 'everyone' } })
        .expect(400);
      expect(r.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['channel', 'impact.scope']);
    });

    it('refuses malformed JSON and a bad case id without a 500', async () => {
      await http().post('/v1/cases').set(as(tok.admin)).set('content-type', 'application/json').send('{"subject":').expect(400);
      await http().get('/v1/cases/not-a-uuid').set(as(tok.admin)).expect(400);
    });

    it('refuses a survey rating outside 1..5', async () => {
      const { id } = await open();
      const r = await http().post(`/v1/cases/${id}/survey-response`).set(as(tok.admin)).send({ rating: 6 }).expect(400);
      expect(r.body.errors[0].field).toBe('rating');
    });
  });

  it('answers 413 over 1 MB', async () => {
    const r = await http()
      .post('/v1/cases')
      .set(as(tok.admin))
      .send({ ...openCaseBody, description: 'x'.repeat(1024 * 1024 + 1) })
      .expect(413);
    expect(r.body).toMatchObject({ status: 413, code: 'HTTP.PAYLOAD_TOO_LARGE' });
  });

  describe('401 without a valid token', () => {
    it('refuses a missing token, with a Bearer challenge', async () => {
      const r = await http().get('/v1/cases').expect(401);
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(r.body).toMatchObject({ status: 401, code: 'AUTH.UNAUTHENTICATED' });
    });
    it('refuses a token signed with another secret', async () => {
      const forged = tok.admin.slice(0, tok.admin.lastIndexOf('.') + 1) + 'AAAA';
      await http().get('/v1/cases').set(as(forged)).expect(401);
    });
  });

  describe('403 for a missing right', () => {
    it('R1: a customer admin without the Support privilege is told which privilege is missing', async () => {
      const r = await http().post('/v1/cases').set(as(tok.customerAdmin)).send(openCaseBody).expect(403);
      expect(r.body.code).toBe('AUTH.MISSING_PRIVILEGE');
      expect(r.body.detail).toMatch(/Support/);
    });
    it('R2: a consumer account is refused even with the privilege', async () => {
      const r = await http().post('/v1/cases').set(as(tok.consumer)).send(openCaseBody).expect(403);
      expect(r.body.code).toBe('AUTH.CONSUMER_ACCOUNT');
      expect(r.body.detail).toMatch(/gmail\.com/);
    });
    it('auditors read but never write', async () => {
      const { id } = await open();
      await http().get(`/v1/cases/${id}`).set(as(tok.auditor)).expect(200);
      const r = await http().post(`/v1/cases/${id}/responses`).set(as(tok.auditor)).send({ message: 'hi' }).expect(403);
      expect(r.body.code).toBe('AUTH.READ_ONLY');
    });
    it('an agent may not assign a case to someone else', async () => {
      const { id } = await open();
      await http().post(`/v1/cases/${id}/assignment`).set(as(tok.agent)).send({ agentId: 'max' }).expect(403);
    });
  });

  describe('404 for what the caller may not see', () => {
    it('R3: another organisation’s case is a 404, exactly like an unknown one', async () => {
      const { id } = await open();
      const other = await http().get(`/v1/cases/${id}`).set(as(tok.otherOrgAdmin)).expect(404);
      const unknown = await http().get(`/v1/cases/${crypto.randomUUID()}`).set(as(tok.otherOrgAdmin)).expect(404);
      expect(other.body.code).toBe(unknown.body.code);
      await http().post(`/v1/cases/${id}/replies`).set(as(tok.otherOrgAdmin)).send({ message: 'hello?' }).expect(404);
      expect(await eventTypes(id)).toEqual(['Opened', 'Routed']);
    });
    it('R4: an agent sees only cases routed to the agent’s vendor', async () => {
      const { id } = await open();
      await http().get(`/v1/cases/${id}`).set(as(tok.germanAgent)).expect(404);
      await http().post(`/v1/cases/${id}/assignment`).set(as(tok.germanAgent)).send({}).expect(404);
      await http().get(`/v1/cases/${id}`).set(as(tok.agent)).expect(200);
    });
  });

  describe('412 for a stale If-Match', () => {
    it('refuses a write decided on an older version, and accepts the current one', async () => {
      const { id } = await open();
      // version 2: Opened, Routed (R16)
      await http().post(`/v1/cases/${id}/assignment`).set(as(tok.agent)).set('If-Match', 'W/"2"').send({}).expect(200);
      const stale = await http()
        .post(`/v1/cases/${id}/responses`)
        .set(as(tok.agent))
        .set('If-Match', 'W/"2"')
        .send({ message: 'First answer' })
        .expect(412);
      expect(stale.body).toMatchObject({ status: 412, code: 'CASE.STALE_VERSION' });
      const ok = await http()
        .post(`/v1/cases/${id}/responses`)
        .set(as(tok.agent))
        .set('If-Match', 'W/"3"')
        .send({ message: 'First answer' })
        .expect(200);
      expect(ok.headers.etag).toBe('W/"4"');
    });
    it('refuses a malformed If-Match with a 400', async () => {
      const { id } = await open();
      await http().post(`/v1/cases/${id}/assignment`).set(as(tok.agent)).set('If-Match', 'version two').send({}).expect(400);
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a repeated request with the same answer and writes nothing new', async () => {
      const first = await http().post('/v1/cases').set(as(tok.admin)).set('Idempotency-Key', 'open-1').send(openCaseBody).expect(201);
      const again = await http().post('/v1/cases').set(as(tok.admin)).set('Idempotency-Key', 'open-1').send(openCaseBody).expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.etag).toBe(first.headers.etag);
      const id = first.body.id;
      const respond = () =>
        http().post(`/v1/cases/${id}/responses`).set(as(tok.agent)).set('Idempotency-Key', 'resp-1').send({ message: 'On it' });
      const a = await respond().expect(200);
      const b = await respond().expect(200);
      expect(b.body).toEqual(a.body);
      expect(await eventTypes(id)).toEqual(['Opened', 'Routed', 'AgentResponded']);
    });
    it('refuses the same key with another body (422)', async () => {
      await http().post('/v1/cases').set(as(tok.admin)).set('Idempotency-Key', 'open-2').send(openCaseBody).expect(201);
      const r = await http()
        .post('/v1/cases')
        .set(as(tok.admin))
        .set('Idempotency-Key', 'open-2')
        .send({ ...openCaseBody, subject: 'Another problem' })
        .expect(422);
      expect(r.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
    });
    it('gives a repeated refused request the same refusal', async () => {
      const { id } = await open();
      const send = () =>
        http().post(`/v1/cases/${id}/survey-response`).set(as(tok.admin)).set('Idempotency-Key', 'survey-1').send({ rating: 4 });
      const a = await send().expect(409);
      const b = await send().expect(409);
      expect(b.body.code).toBe(a.body.code);
    });
    it('records the key, the actor and the correlation id in the event metadata', async () => {
      const r = await http()
        .post('/v1/cases')
        .set(as(tok.admin))
        .set('Idempotency-Key', 'open-3')
        .set('X-Correlation-Id', 'corr-42')
        .send(openCaseBody)
        .expect(201);
      const events = (await http().get(`/v1/cases/${r.body.id}/events`).set(as(tok.auditor)).expect(200)).body.events;
      expect(events[0].metadata).toMatchObject({
        idempotencyKey: 'open-3',
        correlationId: 'corr-42',
        actor: { id: 'ana', role: 'support-admin', org: 'acme.example' },
        tenant: 'acme.example',
      });
    });
  });
});
