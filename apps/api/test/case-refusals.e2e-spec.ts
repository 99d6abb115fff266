import request from 'supertest';
import { CommandBus } from '@nestjs/cqrs';
import { ChangeCase } from '@app/commands';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

/** The domain's refusals through HTTP: 409 problem documents with the rule's code and sentence. */
describe('case refusals (409 with the rule code)', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  const http = () => request(t.app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const open = async () =>
    (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body.id as string;
  const post = (id: string, path: string, token: string, body: object = {}) =>
    http().post(`/v1/cases/${id}/${path}`).set(as(token)).send(body);
  const expectRefusal = async (res: request.Test, code: string, sentence: RegExp) => {
    const r = await res;
    expect(r.status).toBe(409);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ status: 409, title: 'Conflict', code });
    expect(r.body.detail).toMatch(sentence);
  };
  const declareIncident = async () =>
    (
      await http()
        .post('/v1/incidents')
        .set(as(tok.supervisor))
        .send({ title: 'Directory sync stalled', services: ['directory'], startedAt: '2026-03-01T10:00:00Z' })
        .expect(201)
    ).body.id as string;
  /** the auto-close timer comes with the SLA work; here the system actor closes through the command shell */
  const close = (id: string) =>
    t.app
      .get(CommandBus)
      .execute(
        new ChangeCase({
          caseId: id,
          command: { type: 'CloseCase', caseId: id, actor: { id: 'system:auto-close', role: 'system' } },
          correlationId: 'test',
        }),
      );

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
  });
  afterAll(() => t.close());

  it('refuses a response on a closed case', async () => {
    const id = await open();
    await post(id, 'resolution', tok.agent, { outcome: 'solved', summary: 'Reset the SSO profile.' }).expect(200);
    await close(id);
    await expectRefusal(
      post(id, 'responses', tok.agent, { message: 'Anything else?' }),
      'CASE.ALREADY_CLOSED',
      /closed/i,
    );
  });

  it("refuses to change a closed case's notification e-mails", async () => {
    const id = await open();
    await post(id, 'resolution', tok.agent, { outcome: 'solved', summary: 'Reset the SSO profile.' }).expect(200);
    await close(id);
    await expectRefusal(
      http().put(`/v1/cases/${id}/notifications`).set(as(tok.admin)).send({ enabled: false }),
      'CASE.ALREADY_CLOSED',
      /cannot change its notification e-mails/,
    );
  });

  it('refuses to reopen a closed case', async () => {
    const id = await open();
    await post(id, 'resolution', tok.agent, { outcome: 'solved', summary: 'Done.' }).expect(200);
    await close(id);
    await expectRefusal(post(id, 'reopen', tok.admin, { reason: 'Still broken' }), 'CASE.ALREADY_CLOSED', /closed/i);
  });

  it('refuses a credit request and a credit for a case with no incident link', async () => {
    const id = await open();
    await expectRefusal(post(id, 'credit-requests', tok.admin, {}), 'CASE.NOT_LINKED_TO_INCIDENT', /incident/i);
    await expectRefusal(
      post(id, 'credits', tok.supervisor, { amount: 10, currency: 'EUR' }),
      'CASE.NOT_LINKED_TO_INCIDENT',
      /incident/i,
    );
  });

  it('refuses a credit nobody requested, and a second credit', async () => {
    const id = await open();
    await post(id, 'incident-link', tok.agent, { incidentId: await declareIncident() }).expect(200);
    await expectRefusal(
      post(id, 'credits', tok.supervisor, { amount: 10, currency: 'EUR' }),
      'CASE.CREDIT_NOT_REQUESTED',
      /request/i,
    );
    await post(id, 'credit-requests', tok.admin, {}).expect(200);
    await post(id, 'credits', tok.supervisor, { amount: 10, currency: 'EUR' }).expect(200);
    await expectRefusal(
      post(id, 'credits', tok.supervisor, { amount: 10, currency: 'EUR' }),
      'CASE.CREDIT_ALREADY_ISSUED',
      /already/i,
    );
  });

  it('refuses a survey answer before the survey was sent', async () => {
    const id = await open();
    await expectRefusal(post(id, 'survey-response', tok.admin, { rating: 5 }), 'CASE.SURVEY_NOT_SENT', /survey/i);
  });

  it('refuses to resolve twice', async () => {
    const id = await open();
    await post(id, 'resolution', tok.agent, { outcome: 'solved', summary: 'Fixed.' }).expect(200);
    await expectRefusal(
      post(id, 'resolution', tok.agent, { outcome: 'solved', summary: 'Fixed again.' }),
      'CASE.ALREADY_RESOLVED',
      /resolved/i,
    );
  });

  it('refuses to let an agent claim a case someone else holds', async () => {
    const id = await open();
    await post(id, 'assignment', tok.agent).expect(200);
    await expectRefusal(post(id, 'assignment', tok.otherAgent), 'CASE.HELD_BY_ANOTHER_AGENT', /eve/);
  });

  it('refuses the outcome outage without an incident link', async () => {
    const id = await open();
    await expectRefusal(
      post(id, 'resolution', tok.agent, { outcome: 'outage', summary: 'It was the outage.' }),
      'CASE.NOT_LINKED_TO_INCIDENT',
      /incident/i,
    );
  });

  it('refuses to link an incident the dashboard does not know', async () => {
    const id = await open();
    await expectRefusal(
      post(id, 'incident-link', tok.agent, { incidentId: crypto.randomUUID() }),
      'CASE.UNKNOWN_INCIDENT',
      /status dashboard/,
    );
  });

  it('R11: refuses the outcome no-customer-answer from staff (400): only the waiting timer records it', async () => {
    const id = await open();
    await post(id, 'info-requests', tok.agent, { items: ['logs'], message: 'Logs please.' }).expect(200);
    const r = await post(id, 'resolution', tok.agent, { outcome: 'no-customer-answer', summary: 'No answer.' });
    expect(r.status).toBe(400); // the body's outcome lists staff's outcomes only; the domain refuses it too
    expect(r.body.code).toBe('HTTP.VALIDATION_FAILED');
    const history = await http().get(`/v1/cases/${id}/events`).set(as(tok.auditor)).expect(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['Opened', 'Routed', 'InfoRequested']);
  });

  it('writes nothing when it refuses', async () => {
    const id = await open();
    await post(id, 'resolution', tok.agent, { outcome: 'outage', summary: 'x' }).expect(409);
    const history = await http().get(`/v1/cases/${id}/events`).set(as(tok.auditor)).expect(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['Opened', 'Routed']);
  });

  it('counts refusals and acceptances on /metrics by command', async () => {
    const id = await open();
    await post(id, 'survey-response', tok.admin, { rating: 3 }).expect(409);
    const text = (await http().get('/metrics').expect(200)).text;
    expect(text).toMatch(/case_commands_total\{[^}]*command="AnswerSurvey",result="refused"[^}]*\} [1-9]/);
    expect(text).toMatch(/case_commands_total\{[^}]*command="OpenCase",result="accepted"[^}]*\} [1-9]/);
  });
});
