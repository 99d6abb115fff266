import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { caseEvent, toCaseStreamId, type CaseEvent } from '@app/case-domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import {
  apiSpecification,
  expectNewEvents,
  expectNoNewEvents,
  expectProblem,
  expectResponse,
} from './api-specification';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

/** A case of acme.example opened and routed to north-desk (fr) on Monday 2 March 2026. */
const history = (caseId: string, tenant = 'acme.example'): CaseEvent[] => {
  const base = { caseId, at: '2026-03-02T08:00:00.000Z', byId: 'ana' };
  return [
    caseEvent('Opened', {
      ...base,
      tenant,
      requester: { id: 'ana', email: 'ana@acme.example' },
      subject: 'SSO fails',
      description: 'Nobody can sign in.',
      product: 'cloud-identity',
      language: 'fr',
      channel: 'email',
      impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: true },
      workaround: 'none',
      priority: 'P1',
    }),
    caseEvent('Routed', {
      ...base,
      vendorId: 'north-desk',
      queueId: 'fr-P1',
      reason: 'follow-the-sun',
      trigger: 'opened',
      candidates: [],
    }),
  ];
};

/** The command door through HTTP: given a case's history, when a request, then the answer and the new events. */
describe('case commands over HTTP (given / when / then)', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  const given = apiSpecification(() => t);
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const newCase = () => {
    const id = randomUUID();
    return { id, streamId: toCaseStreamId(id) };
  };

  beforeAll(async () => {
    // no survey timer fires on its own here (a given Resolved would have it append SurveySent
    // while a test counts the events its request wrote); the clock stays at 09:00 anyway
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET, SURVEY_DELAY: '24h' });
    tok = await testTokens();
  });
  afterAll(() => t.close());

  it('records an agent response on the case as it stands, and answers its new version', async () => {
    const { id, streamId } = newCase();
    await given({ streamId, events: history(id) })
      .when((http) =>
        http.post(`/v1/cases/${id}/responses`).set(as(tok.agent)).send({ message: 'Looking at your SAML trace.' }),
      )
      .then(
        expectResponse(200, { body: { id, version: 3 }, headers: { etag: 'W/"3"', 'x-log-position': /^\d+$/ } }),
        expectNewEvents(streamId, [
          {
            type: 'AgentResponded',
            data: { caseId: id, agentId: 'eve', message: 'Looking at your SAML trace.' },
            metadata: { actor: { id: 'eve', role: 'agent', vendor: 'north-desk' }, tenant: 'acme.example' },
          },
        ]),
      );
  });

  it('refuses what the policy refuses (409) and writes nothing', async () => {
    const { id, streamId } = newCase();
    const resolved = caseEvent('Resolved', {
      caseId: id,
      at: '2026-03-02T08:30:00.000Z',
      byId: 'eve',
      outcome: 'solved',
      summary: 'Fixed.',
      cycle: 1,
    });
    await given({ streamId, events: [...history(id), resolved] })
      .when((http) => http.post(`/v1/cases/${id}/responses`).set(as(tok.agent)).send({ message: 'One more thing.' }))
      .then(expectProblem(409, 'CASE.ALREADY_RESOLVED'), expectNoNewEvents(streamId));
  });

  it("turns the case's notification e-mails off for the customer (PUT); the same setting again writes nothing", async () => {
    const { id, streamId } = newCase();
    const put =
      (token: string, enabled: unknown) => (http: Parameters<Parameters<ReturnType<typeof given>['when']>[0]>[0]) =>
        http.put(`/v1/cases/${id}/notifications`).set(as(token)).send({ enabled });
    await given({ streamId, events: history(id) })
      .when(put(tok.admin, false))
      .then(
        expectResponse(200, {
          body: { id, version: 3, notifications: { enabled: false } },
          headers: { etag: 'W/"3"' },
        }),
        expectNewEvents(streamId, [
          {
            type: 'NotificationsChanged',
            data: { caseId: id, byId: 'ana', enabled: false },
            metadata: { actor: { id: 'ana', role: 'support-admin' }, tenant: 'acme.example' },
          },
        ]),
      );
    await given()
      .when(put(tok.admin, false))
      .then(
        expectResponse(200, { body: { version: 3, notifications: { enabled: false } } }),
        expectNoNewEvents(streamId),
      );
    // staff may not; another organisation's admin does not see the case (R3); a string is not a boolean
    await given().when(put(tok.agent, true)).then(expectProblem(403, 'AUTH.FORBIDDEN'), expectNoNewEvents(streamId));
    await given()
      .when(put(tok.otherOrgAdmin, true))
      .then(expectProblem(404, 'CASE.NOT_FOUND'), expectNoNewEvents(streamId));
    await given()
      .when(put(tok.admin, 'true'))
      .then(({ response }) => expect(response.status).toBe(400), expectNoNewEvents(streamId));
  });

  it('refuses with If-Match an older version (412) and writes nothing', async () => {
    const { id, streamId } = newCase();
    await given({ streamId, events: history(id) })
      .when((http) =>
        http
          .post(`/v1/cases/${id}/escalations`)
          .set(as(tok.agent))
          .set('If-Match', 'W/"1"')
          .send({ target: 'product-team', reason: 'SAML bug.' }),
      )
      .then(expectProblem(412, 'CASE.STALE_VERSION'), expectNoNewEvents(streamId));
  });

  it('answers another organisation’s case as unknown (R3) and writes nothing', async () => {
    const { id, streamId } = newCase();
    await given({ streamId, events: history(id, 'globex.example') })
      .when((http) => http.post(`/v1/cases/${id}/replies`).set(as(tok.admin)).send({ message: 'Hello?' }))
      .then(expectProblem(404, 'CASE.NOT_FOUND'), expectNoNewEvents(streamId));
  });

  it('opens a case with its routing in one write; the same Idempotency-Key gets the same case back', async () => {
    const open = (http: Parameters<Parameters<ReturnType<typeof given>['when']>[0]>[0]) =>
      http.post('/v1/cases').set(as(tok.admin)).set('Idempotency-Key', `open-${randomUUID()}`).send(openCaseBody);
    let first: { id: string; etag: string } | undefined;
    const key = `open-${randomUUID()}`;
    const send = (http: Parameters<typeof open>[0]) =>
      http.post('/v1/cases').set(as(tok.admin)).set('Idempotency-Key', key).send(openCaseBody);
    await given()
      .when(send)
      .then(
        // routed in the same write (version 2); the routing is not the customer's to see (case-audience.ts)
        expectResponse(201, { body: { status: 'open', version: 2 } }),
        ({ response }) => {
          expect(response.body).not.toHaveProperty('routing');
          first = { id: response.body.id, etag: response.headers.etag };
          expect(response.headers.location).toBe(`/v1/cases/${first.id}`);
        },
      );
    await given()
      .when(send)
      .then(
        expectResponse(201, {
          body: { id: first?.id, version: 2 },
          headers: { etag: first?.etag ?? '', 'idempotent-replayed': 'true' },
        }),
        expectNoNewEvents(toCaseStreamId(first?.id ?? '')),
      );
    // another key opens another case
    await given()
      .when(open)
      .then(({ response }) => expect(response.body.id).not.toBe(first?.id));
  });

  it("answers an open with the customer's view of the case from the events it wrote, reading nothing", async () => {
    const store = t.app.get<EventStore>(EVENT_STORE);
    const read = jest.spyOn(store, 'readStream');
    try {
      const opened = await request(t.app.getHttpServer()).post('/v1/cases').set(as(tok.admin)).send(openCaseBody);
      expect(opened.status).toBe(201);
      // no read of the new case's stream. Other reads may run meanwhile and are not the
      // open's doing: the vendor directory's refresh of its stream (at most once a second),
      // and the in-process timers' notification mailer reading an earlier test's case
      // (seen in CI under load)
      const streamId = toCaseStreamId(opened.body.id);
      expect(read.mock.calls.map(([id]) => id).filter((id) => id === streamId)).toEqual([]);
      // the same view as a read of the case by the same customer (the clock has not moved)
      const got = await request(t.app.getHttpServer()).get(`/v1/cases/${opened.body.id}`).set(as(tok.admin));
      expect(got.status).toBe(200);
      expect(opened.body).toEqual(got.body);
    } finally {
      read.mockRestore();
    }
  });
});
