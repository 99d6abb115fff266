import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const DAY = { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' };

/**
 * Three cases on Monday 2 March 2026 (Paris: UTC+1, at work 09:00-12:30 and 13:30-18:00),
 * whose figures are worked out by hand in each test.
 */
describe('reports (supervisors): read models, JSON and CSV, with their definitions', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  let last = '0';
  const http = () => request(t.app.getHttpServer());
  const at = (instant: string) => t.clock.set(instant);
  const write = async (req: request.Test) => {
    const r = await req.expect((res) => expect(res.status).toBeLessThan(300));
    last = r.headers['x-log-position'] ?? last;
    return r.body;
  };
  const post = (id: string, path: string, token: string, body: object = {}) =>
    write(http().post(`/v1/cases/${id}/${path}`).set(as(token)).send(body));
  const open = (body: object = {}) =>
    write(
      http()
        .post('/v1/cases')
        .set(as(tok.admin))
        .send({ ...openCaseBody, ...body }),
    );
  const report = async (name: string, query: Record<string, string> = {}) => {
    const r = await http()
      .get(`/v1/reports/${name}`)
      .query({ ...DAY, ...query, after: last })
      .set(as(tok.supervisor))
      .expect(200);
    expect(r.body.caughtUp).toBe(true);
    return r.body;
  };

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
    at('2026-03-02T09:00:00Z');
    const one = await open(); // P1
    const two = await open({ workaround: 'available' }); // P3
    at('2026-03-02T09:30:00Z');
    await post(one.id, 'responses', tok.agent, { message: 'On it.' }); // 30 business minutes
    at('2026-03-02T10:00:00Z');
    const three = await open(); // P1
    await post(one.id, 'resolution', tok.agent, { outcome: 'solved', summary: 'Fixed.' }); // survey sent (SURVEY_DELAY=0)
    at('2026-03-02T11:00:00Z');
    await post(two.id, 'info-requests', tok.agent, { items: ['logs'], message: 'Logs, please.' }); // 120 business minutes
    at('2026-03-02T13:00:00Z');
    await post(two.id, 'info', tok.admin, { message: 'Attached.' }); // waited 2 h
    await post(three.id, 'responses', tok.agent, { message: 'Looking.' }); // 11:00 → 14:00 Paris, lunch excluded: 120
    await post(two.id, 'escalations', tok.agent, { target: 'product-team', reason: 'A bug.' });
    const incident = await write(
      http()
        .post('/v1/incidents')
        .set(as(tok.supervisor))
        .send({ title: 'SSO down', services: ['sso'], startedAt: '2026-03-02T08:00:00Z' }),
    );
    await post(three.id, 'incident-link', tok.agent, { incidentId: incident.id });
    at('2026-03-02T14:00:00Z');
    await post(two.id, 'resolution', tok.agent, { outcome: 'feature-request', summary: 'Not yet supported.' });
    await post(three.id, 'resolution', tok.agent, { outcome: 'outage', summary: 'Rolled back.' });
    await post(three.id, 'credit-requests', tok.admin, { reason: 'A lost morning.' });
    await post(three.id, 'credits', tok.supervisor, { amount: 250, currency: 'EUR' });
    await post(one.id, 'survey-response', tok.admin, { rating: 5 });
    await post(two.id, 'survey-response', tok.admin, { rating: 2 });
    at('2026-03-02T15:00:00Z');
    await post(two.id, 'reopen', tok.admin, { reason: 'Still missing.' });
    at('2026-03-02T16:00:00Z');
  });
  afterAll(() => t.close());

  it('first response time in business minutes: median and p90 by priority, with the definition it uses', async () => {
    const body = await report('first-response-time');
    expect(body).toMatchObject({
      report: 'first-response-time',
      from: '2026-03-02T00:00:00.000Z',
      to: '2026-03-03T00:00:00.000Z',
      groupBy: 'priority',
      columns: ['priority', 'responses', 'medianBusinessMinutes', 'p90BusinessMinutes', 'meanBusinessMinutes'],
      rows: [
        // 30 and 120: the median is 75, the 90th percentile 30 + 0.9 × 90
        { priority: 'P1', responses: 2, medianBusinessMinutes: 75, p90BusinessMinutes: 111, meanBusinessMinutes: 75 },
        { priority: 'P3', responses: 1, medianBusinessMinutes: 120, p90BusinessMinutes: 120, meanBusinessMinutes: 120 },
      ],
    });
    expect(body.definition).toMatch(/business time from the start of the cycle/);
    expect((await report('first-response-time', { groupBy: 'vendor' })).rows).toEqual([
      {
        vendor: 'north-desk',
        responses: 3,
        medianBusinessMinutes: 120,
        p90BusinessMinutes: 120,
        meanBusinessMinutes: 90,
      },
    ]);
    expect((await report('first-response-time', { groupBy: 'week' })).rows).toEqual([
      { week: '2026-W10', responses: 3, medianBusinessMinutes: 120, p90BusinessMinutes: 120, meanBusinessMinutes: 90 },
    ]);
  });

  it('answers CSV with Accept: text/csv', async () => {
    const r = await http()
      .get('/v1/reports/first-response-time')
      .query({ ...DAY, after: last })
      .set(as(tok.supervisor))
      .set('Accept', 'text/csv')
      .expect(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    expect(r.headers['content-disposition']).toMatch(/attachment; filename="first-response-time_.*\.csv"/);
    expect(r.text).toBe(
      'priority,responses,medianBusinessMinutes,p90BusinessMinutes,meanBusinessMinutes\r\n' +
        'P1,2,75,111,75\r\n' +
        'P3,1,120,120,120\r\n',
    );
  });

  it('SLA attainment by priority; the reopened cycle has its own clock, still pending at 16:00', async () => {
    const body = await report('sla-attainment');
    expect(body.rows).toEqual([
      { priority: 'P1', cycles: 2, met: 2, breached: 0, pending: 0, attainmentPercent: 100, resolutionBreached: 0 },
      { priority: 'P3', cycles: 2, met: 1, breached: 0, pending: 1, attainmentPercent: 100, resolutionBreached: 0 },
    ]);
    // the rules the figures follow are in the answer
    expect(body.definition).toMatch(/judged against its own due time/);
    expect(body.definition).toMatch(/a resolved cycle is never pending/);
  });

  it('states in GET /v1/reports which priority and vendor each report groups by', async () => {
    const list = await http().get('/v1/reports').set(as(tok.supervisor)).expect(200);
    const definitions = new Map<string, string>(
      list.body.items.map((r: { name: string; definition: string }) => [r.name, r.definition]),
    );
    for (const name of ['first-response-time', 'sla-attainment', 'outcomes', 'csat', 'reopen-rate'])
      expect([name, definitions.get(name)]).toEqual([
        name,
        expect.stringContaining(
          'grouped under the priority and the vendor in force when its first-response clock was decided',
        ),
      ]);
    expect(definitions.get('sla-attainment')).toMatch(
      /a breach is filed under the priority and vendor it happened under/,
    );
    expect(definitions.get('escalation-rate')).toMatch(
      /priority derived at opening and the vendor it is routed to now/,
    );
    expect(definitions.get('customer-wait')).toMatch(/priority and vendor when it began/);
    expect(definitions.get('credits')).toMatch(/priority and vendor when it was issued/);
    expect(definitions.get('backlog')).toMatch(/priority and vendor it had at that moment/);
  });

  it('backlog by status and age, at any moment', async () => {
    expect((await report('backlog', { to: '2026-03-02T16:00:00Z' })).rows).toEqual([
      { status: 'open', ageBucket: '0-1d', cases: 1 },
      { status: 'resolved', ageBucket: '0-1d', cases: 2 },
    ]);
    const morning = await report('backlog', { to: '2026-03-02T09:30:00Z', groupBy: 'priority' });
    expect(morning).toMatchObject({ from: null, to: '2026-03-02T09:30:00.000Z' });
    expect(morning.rows).toEqual([
      { priority: 'P1', status: 'open', ageBucket: '0-1d', cases: 1 },
      { priority: 'P3', status: 'open', ageBucket: '0-1d', cases: 1 },
    ]);
    // Wednesday 08:00: every case is between one and three days old
    expect((await report('backlog', { to: '2026-03-04T08:00:00Z' })).rows).toEqual([
      { status: 'open', ageBucket: '1-3d', cases: 1 },
      { status: 'resolved', ageBucket: '1-3d', cases: 2 },
    ]);
  });

  it('outcome mix, escalation rate, reopen rate', async () => {
    expect((await report('outcomes')).rows).toEqual([
      { outcome: 'feature-request', resolutions: 1, sharePercent: 33.3 },
      { outcome: 'outage', resolutions: 1, sharePercent: 33.3 },
      { outcome: 'solved', resolutions: 1, sharePercent: 33.3 },
    ]);
    expect((await report('escalation-rate')).rows).toEqual([
      { priority: 'P1', cases: 2, escalated: 0, escalations: 0, ratePercent: 0 },
      { priority: 'P3', cases: 1, escalated: 1, escalations: 1, ratePercent: 100 },
    ]);
    expect((await report('reopen-rate', { groupBy: 'none' })).rows).toEqual([
      { resolutions: 3, reopened: 1, ratePercent: 33.3 },
    ]);
  });

  it('time waiting on customers, CSAT and credits', async () => {
    expect((await report('customer-wait', { groupBy: 'none' })).rows).toEqual([
      { waits: 1, totalHours: 2, meanHours: 2, medianHours: 2, p90Hours: 2 },
    ]);
    expect((await report('csat')).rows).toEqual([
      { sent: 3, answered: 2, responseRatePercent: 66.7, averageRating: 3.5, satisfiedPercent: 50 },
    ]);
    expect((await report('credits')).rows).toEqual([{ currency: 'EUR', credits: 1, amount: 250 }]);
  });

  it('lists the reports, and refuses what it cannot answer', async () => {
    const list = await http().get('/v1/reports').set(as(tok.auditor)).expect(200);
    expect(list.body.items.map((r: { name: string }) => r.name)).toEqual([
      'first-response-time',
      'sla-attainment',
      'backlog',
      'outcomes',
      'escalation-rate',
      'customer-wait',
      'csat',
      'credits',
      'reopen-rate',
      'deflection',
    ]);
    expect((await http().get('/v1/reports/churn').set(as(tok.supervisor)).expect(404)).body.code).toBe(
      'REPORT.UNKNOWN',
    );
    await http().get('/v1/reports/backlog?groupBy=week').set(as(tok.supervisor)).expect(400);
    await http().get('/v1/reports/csat?groupBy=tenant').set(as(tok.supervisor)).expect(400);
    await http().get(`/v1/reports/csat?from=${DAY.to}&to=${DAY.from}`).set(as(tok.supervisor)).expect(400);
    await http().get('/v1/reports/csat?from=yesterday').set(as(tok.supervisor)).expect(400);
    await http().get('/v1/reports/csat').set(as(tok.agent)).expect(403);
  });
});
