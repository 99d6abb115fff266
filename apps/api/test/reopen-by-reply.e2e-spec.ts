import request from 'supertest';
import { SURVEY_TOKENS, TimerScheduler, type SurveyTokens } from '@app/timers';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const DAY = 86_400_000;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

interface RecordedEvent {
  type: string;
  version: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/**
 * R15: the survey e-mail says "reply on the case: your reply reopens it". A reply on a
 * resolved case within the reopen window (until the auto-close) reopens it; the new cycle
 * has its own first-response clock, which orders the case in the queues (R10) and arms its
 * breach timer; each survey link answers for its own cycle.
 */
describe('R15: a customer reply on a resolved case reopens it', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  const http = () => request(t.app.getHttpServer());
  const post = (id: string, path: string, token: string, body: object = {}) =>
    http().post(`/v1/cases/${id}/${path}`).set(as(token)).send(body);
  const events = async (id: string): Promise<RecordedEvent[]> =>
    (await http().get(`/v1/cases/${id}/events`).set(as(tok.auditor)).expect(200)).body.events;
  /** opens (at the clock's now), answers and resolves a case (the survey goes out at once: SURVEY_DELAY=0) */
  const resolvedCase = async () => {
    const id: string = (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body.id;
    await post(id, 'responses', tok.agent, { message: 'Looking.' }).expect(200);
    await post(id, 'resolution', tok.agent, { outcome: 'solved', summary: 'Certificate renewed.' }).expect(200);
    return id;
  };
  const open = async () => {
    const r = await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201);
    return r.body.id as string;
  };

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
  });
  afterAll(() => t.close());

  it('reopens it in the same append as the reply, with a new first-response clock that keeps its place in the queue', async () => {
    // Monday 2 March 2026 (Paris: one business day = 8 h, 9:00–17:00 local)
    t.clock.set('2026-03-02T09:00:00Z');
    const reopened = await resolvedCase();
    t.clock.set('2026-03-02T09:30:00Z');
    const earlier = await open(); // fr-P1, due Tue 09:30Z
    t.clock.set('2026-03-02T10:00:00Z');
    const reply = await post(reopened, 'replies', tok.admin, { message: 'It fails again this morning.' }).expect(200);
    expect(reply.body).toMatchObject({ status: 'open', cycle: 2 });
    expect(reply.body.sla).toMatchObject({
      cycle: 2,
      firstResponse: { state: 'running', dueAt: '2026-03-03T10:00:00.000Z' },
    });

    const history = await events(reopened);
    expect(history.map((e) => e.type)).toEqual([
      'Opened',
      'Routed',
      'AgentResponded',
      'Resolved',
      'SurveySent',
      'Reopened',
      'CustomerReplied',
    ]);
    const [reopen, replied] = history.slice(-2);
    // one decision, one append: the write's version is the reply's, and both carry its correlation id
    expect(reply.headers.etag).toBe(`W/"${replied.version}"`);
    expect(replied.version).toBe(reopen.version + 1);
    expect(reopen.metadata.correlationId).toBe(replied.metadata.correlationId);
    expect(reopen.data).toMatchObject({
      cycle: 2,
      reason: 'It fails again this morning.',
      at: '2026-03-02T10:00:00.000Z',
      sla: { firstResponseTargetMs: 28_800_000, firstResponseDueAt: '2026-03-03T10:00:00.000Z' },
    });
    expect(replied.data).toMatchObject({ message: 'It fails again this morning.', endsWait: false });

    t.clock.set('2026-03-02T10:30:00Z');
    const later = await open(); // fr-P1, due Tue 10:30Z
    const position = (await post(later, 'replies', tok.admin, { message: 'Any news?' }).expect(200)).headers[
      'x-log-position'
    ];
    const queue = await http().get(`/v1/queues/fr-P1?after=${position}`).set(as(tok.supervisor)).expect(200);
    const items = queue.body.items as { id: string; firstResponseDueAt?: string }[];
    expect(items.map((c) => c.id)).toEqual([earlier, reopened, later]);
    expect(items[1].firstResponseDueAt).toBe('2026-03-03T10:00:00.000Z');

    // R10: the new cycle's breach timer is armed: unanswered, the breach is recorded for cycle 2
    t.clock.set('2026-03-03T10:00:00.001Z');
    await t.app.get(TimerScheduler).tick();
    const breaches = (await events(reopened)).filter((e) => e.type === 'SlaBreached');
    expect(breaches.map((e) => [e.data.clock, e.data.cycle, e.data.dueAt])).toEqual([
      ['first-response', 2, '2026-03-03T10:00:00.000Z'],
    ]);
  });

  it('refuses a reply on a closed case, saying why and what to do instead', async () => {
    t.clock.set('2026-03-10T09:00:00Z');
    const id = await resolvedCase();
    t.clock.advance(7 * DAY); // AUTO_CLOSE_DAYS
    await t.app.get(TimerScheduler).tick();
    const refused = await post(id, 'replies', tok.admin, { message: 'It fails again.' }).expect(409);
    expect(refused.body).toMatchObject({
      code: 'CASE.ALREADY_CLOSED',
      detail:
        `Case ${id} is closed, so you cannot reply to it. A resolved case can be reopened only until it is closed: ` +
        `open a new case that refers to this one (relatedCaseId ${id}).`,
    });
    expect((await events(id)).map((e) => e.type).slice(-1)).toEqual(['Closed']);
  });

  it('each survey link says whether its own cycle’s survey was answered, after a reopen and a new resolution', async () => {
    t.clock.set('2026-03-20T09:00:00Z');
    const id = await resolvedCase();
    const tokens = t.app.get<SurveyTokens>(SURVEY_TOKENS);
    const link = (cycle: number) => tokens.sign({ caseId: id, surveyId: `${id}:survey:${cycle}` }, t.clock.now());
    const first = await link(1);
    await http().post(`/v1/surveys/${first}`).send({ rating: 2, comment: 'Not quite.' }).expect(200);

    await post(id, 'reopen', tok.admin, { reason: 'Still failing for two users.' }).expect(200);
    await post(id, 'responses', tok.agent, { message: 'Looking again.' }).expect(200);
    await post(id, 'resolution', tok.agent, { outcome: 'solved', summary: 'Cache cleared too.' }).expect(200);
    const second = await link(2);

    const one = await http().get(`/v1/surveys/${first}`).expect(200);
    expect(one.body).toMatchObject({ surveyId: `${id}:survey:1`, cycle: 1, answered: true, superseded: true });
    const two = await http().get(`/v1/surveys/${second}`).expect(200);
    expect(two.body).toMatchObject({ surveyId: `${id}:survey:2`, cycle: 2, answered: false, superseded: false });

    // the earlier link takes no answer any more (a later survey replaced it); the new one is answered for its own cycle
    await http()
      .post(`/v1/surveys/${first}`)
      .send({ rating: 5 })
      .expect(409)
      .expect((r) => expect(r.body.code).toBe('CASE.SURVEY_SUPERSEDED'));
    await http().post(`/v1/surveys/${second}`).send({ rating: 5 }).expect(200);
    expect((await http().get(`/v1/surveys/${second}`).expect(200)).body).toMatchObject({ answered: true });
    expect((await http().get(`/v1/surveys/${first}`).expect(200)).body).toMatchObject({ answered: true, cycle: 1 });
  });
});
