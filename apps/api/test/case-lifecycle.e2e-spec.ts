import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

describe('a case through its whole lifecycle (embedded store)', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  const http = () => request(t.app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
  });
  afterAll(() => t.close());

  it('opens, claims, asks for info, gets it, escalates, links an outage, resolves, credits, reports, surveys and reopens', async () => {
    const opened = await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201);
    // R4, R16: the case is routed in the same write (Routed follows Opened: version 2); the
    // routing is the staff's to see, not the customer's (case-audience.ts)
    expect(opened.body).toMatchObject({ status: 'open', priority: 'P1', language: 'fr', channel: 'email', version: 2 });
    expect(opened.body).not.toHaveProperty('routing');
    const asStaff = await http().get(`/v1/cases/${opened.body.id}`).set(as(tok.supervisor)).expect(200);
    expect(asStaff.body.routing).toMatchObject({ vendorId: 'north-desk', queueId: 'fr-P1' });
    expect(opened.headers.etag).toBe('W/"2"');
    expect(typeof opened.body.openedAt).toBe('string');
    const id: string = opened.body.id;
    const post = (path: string, token: string, body: object = {}) => http().post(`/v1/cases/${id}/${path}`).set(as(token)).send(body);

    await post('assignment', tok.agent).expect(200).expect((r) => expect(r.body.assigneeId).toBe('eve'));
    await post('info-requests', tok.agent, { items: ['logs', 'reproduction-steps'], message: 'Please send the SAML trace.' })
      .expect(200)
      .expect((r) => expect(r.body.status).toBe('awaiting-customer'));
    // R11: the trace is uploaded first, then named in the answer
    const trace = Buffer.from(JSON.stringify({ log: { version: '1.2', creator: { name: 'browser' }, entries: [] } }));
    const uploaded = await http()
      .post(`/v1/cases/${id}/attachments`)
      .set(as(tok.admin))
      .attach('file', trace, 'trace.har')
      .expect(201);
    expect(uploaded.body.attachments).toEqual([
      { name: 'trace.har', size: trace.length, contentType: 'application/json', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    await post('info', tok.admin, { message: 'Trace attached.', attachments: uploaded.body.attachments })
      .expect(200)
      .expect((r) => expect(r.body.status).toBe('open'));
    await post('escalations', tok.agent, { target: 'product-team', reason: 'Assertion signature rejected by the IdP.' }).expect(200);

    const incident = await http()
      .post('/v1/incidents')
      .set(as(tok.supervisor))
      .send({ title: 'SSO assertions rejected', services: ['sso'], startedAt: '2026-03-02T08:00:00Z' })
      .expect(201);
    await post('incident-link', tok.agent, { incidentId: incident.body.id })
      .expect(200)
      .expect((r) => expect(r.body.incidentId).toBe(incident.body.id));
    const resolved = await post('resolution', tok.agent, { outcome: 'outage', summary: 'The IdP certificate rotation was rolled back.' }).expect(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', outcome: 'outage', survey: { sent: true, answered: false } });

    await post('credit-requests', tok.admin, { reason: 'Sales lost a morning.' }).expect(200);
    await post('credits', tok.supervisor, { amount: 250, currency: 'EUR' })
      .expect(200)
      .expect((r) => expect(r.body.credit).toMatchObject({ amount: 250, currency: 'EUR' }));
    await post('incident-report-requests', tok.admin).expect(200);
    await post('incident-reports', tok.agent, { reportUrl: 'https://status.example.com/reports/42' })
      .expect(200)
      .expect((r) => expect(r.body.incidentReport).toMatchObject({ requested: true, sent: true }));
    await post('survey-response', tok.admin, { rating: 2, comment: 'Took a while.' })
      .expect(200)
      .expect((r) => expect(r.body.survey).toMatchObject({ answered: true, rating: 2 }));
    const reopened = await post('reopen', tok.admin, { reason: 'It fails again since this morning.' }).expect(200);
    expect(reopened.body).toMatchObject({ status: 'open', cycle: 2 });

    const history = await http().get(`/v1/cases/${id}/events`).set(as(tok.auditor)).expect(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual([
      'Opened',
      'Routed',
      'AgentAssigned',
      'InfoRequested',
      'InfoProvided',
      'Escalated',
      'LinkedToIncident',
      'Resolved',
      'SurveySent',
      'CreditRequested',
      'CreditIssued',
      'IncidentReportRequested',
      'IncidentReportSent',
      'SurveyAnswered',
      'Reopened',
    ]);
    expect(history.body.events.map((e: { version: number }) => e.version)).toEqual([...Array(15).keys()].map((i) => i + 1));
    const [first] = history.body.events;
    expect(first.metadata).toMatchObject({
      actor: { id: 'ana', role: 'support-admin', org: 'acme.example' },
      tenant: 'acme.example',
      correlationId: expect.any(String),
    });
    const current = await http().get(`/v1/cases/${id}`).set(as(tok.admin)).expect(200);
    expect(current.headers.etag).toBe('W/"15"');
    expect(current.body).toEqual(reopened.body);
  });
});
