import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { issueLocalToken } from '@app/auth';
import { waitFor } from '@app/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { SseClient, type SseEvent } from './sse-client';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

/**
 * GET /v1/events/stream over a real socket, read as the console reads it (fetch and a stream
 * reader): an agent of north-desk, a support admin of another organisation, the case's own
 * support admin and a supervisor are connected while a case is opened, noted and escalated
 * through the HTTP API; each is sent what it may see, as it may see it, then a progress event
 * after which the read models show the case; a client resumes with Last-Event-ID or ?after=.
 */
describe('GET /v1/events/stream', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  let base: string;
  const http = () => request(t.app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const clients: SseClient[] = [];
  const open = async (token: string, options?: Parameters<typeof SseClient.open>[2]) => {
    const client = await SseClient.open(base, token, options);
    clients.push(client);
    return client;
  };
  const kinds = (client: SseClient, caseId: string) =>
    client
      .of('case-event')
      .filter((e) => e.data.caseId === caseId)
      .map((e) => `${e.data.type}@${e.data.version}`);

  let agent: SseClient;
  let otherOrg: SseClient;
  let admin: SseClient;
  let supervisor: SseClient;
  let caseId: string;
  let lastPosition: number;

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    [agent, otherOrg, admin, supervisor] = await Promise.all(
      [tok.agent, tok.otherOrgAdmin, tok.admin, tok.supervisor].map((token) => open(token)),
    );
    await Promise.all([agent, otherOrg, admin, supervisor].map((c) => c.live()));

    caseId = (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body.id;
    await http()
      .post(`/v1/cases/${caseId}/notes`)
      .set(as(tok.agent))
      .send({ message: 'Customer seems confused.' })
      .expect(200);
    const escalated = await http()
      .post(`/v1/cases/${caseId}/escalations`)
      .set(as(tok.agent))
      .send({ target: 'product-team', reason: 'SAML metadata is stale on our side' })
      .expect(200);
    lastPosition = Number(escalated.headers['x-log-position']);
    await waitFor(
      () => [agent, admin, supervisor].every((c) => c.of('case-event').some((e) => e.data.position === lastPosition)),
      () =>
        `events so far: agent ${kinds(agent, caseId)}, admin ${kinds(admin, caseId)}, supervisor ${kinds(supervisor, caseId)}`,
    );
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await t?.close();
  });

  it('answers a text/event-stream', () => {
    expect(agent.status).toBe(200);
    expect(agent.contentType).toBe('text/event-stream; charset=utf-8');
  });

  it('sends staff every event of a case they may see: the agent of its vendor (R4) and a supervisor', () => {
    const all = ['Opened@1', 'Routed@2', 'InternalNoteAdded@3', 'Escalated@4'];
    expect(kinds(agent, caseId)).toEqual(all);
    expect(kinds(supervisor, caseId)).toEqual(all);
    const escalation = agent.of('case-event').find((e) => e.data.type === 'Escalated') as SseEvent;
    expect(escalation.id).toBe(String(lastPosition));
    expect(escalation.data).toEqual({
      position: lastPosition,
      caseId,
      type: 'Escalated',
      version: 4,
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: expect.objectContaining({ target: 'product-team', reason: 'SAML metadata is stale on our side' }),
    });
    expect(agent.of('case-event').find((e) => e.data.type === 'Routed')?.data.data).toMatchObject({
      vendorId: 'north-desk',
    });
  });

  it('sends the case’s support admin what customers see: no internal note, no routing, no escalation reason', () => {
    expect(kinds(admin, caseId)).toEqual(['Opened@1', 'Routed@2', 'Escalated@4']);
    const routed = admin.of('case-event').find((e) => e.data.type === 'Routed') as SseEvent;
    expect(routed.data.data).not.toHaveProperty('vendorId');
    expect(routed.data.data).not.toHaveProperty('candidates');
    const escalated = admin.of('case-event').find((e) => e.data.type === 'Escalated') as SseEvent;
    expect(escalated.data.data).not.toHaveProperty('reason');
    expect(escalated.data.data).not.toHaveProperty('byId');
    expect(escalated.data.data).toMatchObject({ target: 'product-team', byName: 'Support agent' });
  });

  it('sends a support admin of another organisation nothing of it (R3): their own case is the first they get', async () => {
    const own = (await http().post('/v1/cases').set(as(tok.otherOrgAdmin)).send(openCaseBody).expect(201)).body.id;
    await waitFor(
      () => otherOrg.of('case-event').length >= 2,
      () => `other organisation's events: ${JSON.stringify(otherOrg.events)}`,
    );
    expect(otherOrg.of('case-event').map((e) => e.data.caseId)).toEqual([own, own]);
  });

  it('sends progress once the read models include the events: the case list then shows the case without waiting', async () => {
    const progress = await waitFor(
      () => agent.of('progress').find((e) => e.data.position >= lastPosition),
      () => `agent's progress events: ${JSON.stringify(agent.of('progress'))}`,
    );
    expect(progress.data).toEqual({ position: lastPosition });
    expect(progress.id).toBeUndefined();
    // no ?after=: the read model already holds what the progress vouched for
    const list = await http().get('/v1/cases').set(as(tok.agent)).expect(200);
    expect(list.body.items.find((c: { id: string }) => c.id === caseId)).toMatchObject({ status: 'open' });
    // every client sent the case's events gets one
    for (const client of [admin, supervisor])
      await waitFor(
        () => client.of('progress').some((e) => e.data.position >= lastPosition),
        () => JSON.stringify(client.of('progress')),
      );
  });

  it('resumes after Last-Event-ID: the events after it, in order, then live ones', async () => {
    const opened = agent.of('case-event')[0];
    const resumed = await open(tok.agent, { lastEventId: opened.id });
    await resumed.live();
    expect(kinds(resumed, caseId)).toEqual(['Routed@2', 'InternalNoteAdded@3', 'Escalated@4']);
    expect(resumed.of('case-event').map((e) => e.id)).toEqual(
      agent
        .of('case-event')
        .slice(1)
        .map((e) => e.id),
    );
    // the caught-up client is sent progress for what it read, then follows the log
    await waitFor(
      // the position of the last event it was sent (another case of its vendor's may come after the escalation)
      () => resumed.of('progress').some((e) => e.data.position === resumed.of('case-event').at(-1)?.data.position),
      () => JSON.stringify(resumed.events),
    );
    const response = await http()
      .post(`/v1/cases/${caseId}/responses`)
      .set(as(tok.agent))
      .send({ message: 'Looking.' })
      .expect(200);
    const position = Number(response.headers['x-log-position']);
    await waitFor(
      () => resumed.of('case-event').find((e) => e.data.position === position),
      () => JSON.stringify(kinds(resumed, caseId)),
    );
    expect(kinds(resumed, caseId).slice(-1)).toEqual(['AgentResponded@5']);
  });

  it('resumes after ?after= (0: from the start of the log), and a support admin still sees only what customers see', async () => {
    const resumed = await open(tok.admin, { query: 'after=0' });
    await resumed.live();
    expect(kinds(resumed, caseId).slice(0, 3)).toEqual(['Opened@1', 'Routed@2', 'Escalated@4']);
    expect(resumed.of('case-event').every((e) => e.data.type !== 'InternalNoteAdded')).toBe(true);
  });

  it('refuses a position that is not one, or names no event, with a 400 problem; no token is a 401', async () => {
    const bad = await http().get('/v1/events/stream?after=abc').set(as(tok.agent)).expect(400);
    expect(bad.body).toMatchObject({ code: 'HTTP.VALIDATION_FAILED', errors: [{ field: 'after' }] });
    const header = await http().get('/v1/events/stream').set(as(tok.agent)).set('Last-Event-ID', '1e3').expect(400);
    expect(header.body.errors).toEqual([
      { field: 'Last-Event-ID', messages: [expect.stringContaining('log position')] },
    ]);
    const unknown = await http().get('/v1/events/stream').set(as(tok.agent)).set('Last-Event-ID', '999999').expect(400);
    expect(unknown.body.detail).toContain('there is none at 999999');
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    await http().get('/v1/events/stream').expect(401);
    const refused = await http().get('/v1/events/stream').set(as(tok.customerAdmin)).expect(403);
    expect(refused.body.code).toBe('AUTH.MISSING_PRIVILEGE');
  });

  it('ends a stream when the bearer token it was opened with expires', async () => {
    const shortLived = await issueLocalToken(
      TEST_AUTH_SECRET,
      { role: 'supervisor', sub: 'sam', email: 'sam@support.example' },
      { expiresIn: 2 },
    );
    const client = await open(shortLived);
    await client.live();
    await client.ended;
    expect(client.comments.slice(-1)).toEqual(['token expired']);
  });

  it('ends every stream when the application closes (and the application does close)', async () => {
    const late = await open(tok.supervisor);
    await late.live();
    await t.close();
    await Promise.all(clients.map((c) => c.ended));
    expect(late.comments).toContain('live');
    t = undefined as unknown as ApiTestApp;
  });
});
