import request from 'supertest';
import { waitFor } from '@app/testing';
import { TimerScheduler } from '@app/timers';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const P3 = { workaround: 'available' } as const;

describe('queues (R4, R16): what agents work on next', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  const http = () => request(t.app.getHttpServer());
  /** opens a case at the clock's now; resolves to its id and the write's log position */
  const open = async (body: object = {}) => {
    const r = await http()
      .post('/v1/cases')
      .set(as(tok.admin))
      .send({ ...openCaseBody, ...body })
      .expect(201);
    return { id: r.body.id as string, position: r.headers['x-log-position'] as string };
  };
  const ids = (r: request.Response) => r.body.items.map((c: { id: string }) => c.id);
  const counts = (r: request.Response) =>
    Object.fromEntries(r.body.items.map((q: { id: string; count: number }) => [q.id, q.count]));
  let a: string, b: string, c: string, d: string, e: string;
  let last: string;

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
    // Monday 2 March 2026, Paris at work; first responses due one business day later
    t.clock.set('2026-03-02T09:00:00Z');
    a = (await open()).id; // fr-P1, due Tue 09:00Z
    d = (await open(P3)).id; // fr-P3
    e = (await open({ language: 'de' })).id; // de-P1, routed to south-desk
    t.clock.set('2026-03-02T09:30:00Z');
    b = (await open()).id; // fr-P1, due Tue 09:30Z
    t.clock.set('2026-03-02T10:00:00Z');
    ({ id: c, position: last } = await open()); // fr-P1, due Tue 10:00Z
  });
  afterAll(() => t.close());

  it('lists an agent’s eligible queues with their counts: the agent’s languages the vendor speaks, every priority', async () => {
    const r = await http().get(`/v1/queues?after=${last}`).set(as(tok.agent)).expect(200);
    expect(r.body.caughtUp).toBe(true);
    expect(counts(r)).toEqual({
      'en-P1': 0,
      'en-P2': 0,
      'en-P3': 0,
      'en-P4': 0,
      'fr-P1': 3,
      'fr-P2': 0,
      'fr-P3': 1,
      'fr-P4': 0,
    });
    expect(r.body.items.find((q: { id: string }) => q.id === 'fr-P1')).toEqual({
      id: 'fr-P1',
      language: 'fr',
      priority: 'P1',
      count: 3,
      breached: 0,
      oldestOpenedAt: '2026-03-02T09:00:00.000Z',
    });
    // R4: the German desk sees its own queues and cases only
    const german = await http().get(`/v1/queues?after=${last}`).set(as(tok.germanAgent)).expect(200);
    expect(counts(german)).toEqual({ 'de-P1': 1, 'de-P2': 0, 'de-P3': 0, 'de-P4': 0 });
    await http().get('/v1/queues/fr-P1').set(as(tok.germanAgent)).expect(404);
    expect(ids(await http().get('/v1/queues/de-P1').set(as(tok.germanAgent)).expect(200))).toEqual([e]);
  });

  it('lets supervisors see every vendor’s queues, or one vendor’s; customers have no queues', async () => {
    const all = await http().get(`/v1/queues?after=${last}`).set(as(tok.supervisor)).expect(200);
    expect(counts(all)).toEqual({ 'de-P1': 1, 'fr-P1': 3, 'fr-P3': 1 });
    const south = await http().get('/v1/queues?vendor=south-desk').set(as(tok.supervisor)).expect(200);
    expect(counts(south)).toEqual({ 'de-P1': 1 });
    await http().get('/v1/queues').set(as(tok.admin)).expect(403);
    await http().get('/v1/queues').expect(401);
  });

  it('orders a queue by due time, and pages through it with a cursor', async () => {
    const r = await http().get('/v1/queues/fr-P1').set(as(tok.agent)).expect(200);
    expect(ids(r)).toEqual([a, b, c]);
    expect(r.body.items[0]).toEqual({
      id: a,
      subject: openCaseBody.subject,
      tenant: 'acme.example',
      language: 'fr',
      priority: 'P1',
      status: 'open',
      openedAt: '2026-03-02T09:00:00.000Z',
      firstResponseDueAt: '2026-03-03T09:00:00.000Z',
      breached: false,
      vendorId: 'north-desk',
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await http()
        .get(`/v1/queues/fr-P1?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
        .set(as(tok.agent))
        .expect(200);
      seen.push(...ids(page));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([a, b, c]);
    await http().get('/v1/queues/fr-P1?cursor=garbage').set(as(tok.agent)).expect(400);
    await http().get('/v1/queues/french-urgent').set(as(tok.agent)).expect(400);
  });

  it('puts breached cases first (R10: SlaBreached), before earlier due times', async () => {
    // a answers in time, so only b breaches at 09:45 on Tuesday (due 09:30); c is due at 10:00
    await http().post(`/v1/cases/${a}/responses`).set(as(tok.agent)).send({ message: 'Looking into it.' }).expect(200);
    const scheduler = t.app.get(TimerScheduler);
    await scheduler.tick();
    t.clock.set('2026-03-03T09:45:00Z');
    await scheduler.tick();
    const r = await waitFor(
      async () => {
        const page = await http().get('/v1/queues/fr-P1').set(as(tok.agent)).expect(200);
        return page.body.items[0]?.breached ? page : undefined;
      },
      () => 'case b to show as breached in fr-P1',
    );
    expect(ids(r)).toEqual([b, a, c]);
    expect(r.body.items.map((i: { breached: boolean }) => i.breached)).toEqual([true, false, false]);
    const list = await http().get('/v1/queues').set(as(tok.agent)).expect(200);
    expect(list.body.items.find((q: { id: string }) => q.id === 'fr-P1')).toMatchObject({ count: 3, breached: 1 });
  });

  it('two agents claiming at once: one gets the case, the other a 409; it leaves the queue for everyone', async () => {
    const [first, second] = await Promise.all([
      http().post(`/v1/cases/${c}/assignment`).set(as(tok.agent)).send({}),
      http().post(`/v1/cases/${c}/assignment`).set(as(tok.otherAgent)).send({}),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const [won, lost] = first.status === 200 ? [first, second] : [second, first];
    expect(lost.body.code).toBe('CASE.HELD_BY_ANOTHER_AGENT');
    const history = await http().get(`/v1/cases/${c}/events`).set(as(tok.auditor)).expect(200);
    expect(history.body.events.filter((ev: { type: string }) => ev.type === 'AgentAssigned')).toHaveLength(1);
    // read your writes: the claim's position, then the queue without it, for either agent
    const position = won.headers['x-log-position'];
    for (const token of [tok.agent, tok.otherAgent]) {
      const r = await http().get(`/v1/queues/fr-P1?after=${position}`).set(as(token)).expect(200);
      expect(r.body.caughtUp).toBe(true);
      expect(ids(r)).not.toContain(c);
    }
  });

  it('a writer reads its own write: ?after= waits for the queue to include it', async () => {
    const { id, position } = await open(P3);
    const r = await http().get(`/v1/queues/fr-P3?after=${position}`).set(as(tok.agent)).expect(200);
    expect(r.body.caughtUp).toBe(true);
    expect(ids(r)).toEqual([d, id]);
  });

  it('shows every projection’s lag on /metrics and in /health/ready', async () => {
    const metrics = (await http().get('/metrics').expect(200)).text;
    for (const projection of ['case-summaries', 'case-queue', 'case-reports']) {
      expect(metrics).toMatch(new RegExp(`projection_lag_events\\{[^}]*projection="${projection}"[^}]*\\} \\d+`));
      expect(metrics).toMatch(new RegExp(`projection_lag_seconds\\{[^}]*projection="${projection}"`));
      expect(metrics).toMatch(new RegExp(`projection_parked_events\\{[^}]*projection="${projection}"[^}]*\\} 0`));
    }
    const ready = await http().get('/health/ready').expect(200);
    expect(ready.body.details.projections['case-queue']).toEqual({
      status: 'up',
      runner: expect.stringMatching(/^(active|standby|rebuilding|retrying)$/),
      lagEvents: expect.any(Number),
      lagSeconds: expect.any(Number),
      parkedEvents: 0,
    });
    expect(Object.keys(ready.body.details.projections).sort()).toEqual([
      'case-queue',
      'case-reports',
      'case-summaries',
      'help-articles',
      'intakes',
    ]);
  });
});
