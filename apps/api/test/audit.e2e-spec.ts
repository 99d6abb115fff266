import request from 'supertest';
import { SQL_DATABASE, type SqlDatabase } from '@app/event-store';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const as = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('the audit API (embedded store)', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  const http = () => request(t.app.getHttpServer());
  /** a case opened (and routed, R16) at 09:00, claimed at 09:30, waiting on the customer from 10:00 (clock times) */
  let caseId: string;

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
    t.clock.set('2026-03-02T09:00:00Z');
    caseId = (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body.id;
    t.clock.set('2026-03-02T09:30:00Z');
    await http().post(`/v1/cases/${caseId}/assignment`).set(as(tok.agent)).send({}).expect(200);
    t.clock.set('2026-03-02T10:00:00Z');
    await http()
      .post(`/v1/cases/${caseId}/info-requests`)
      .set(as(tok.agent))
      .send({ items: ['logs'], message: 'Please send the SAML trace.' })
      .expect(200);
    t.clock.set('2026-03-02T11:00:00Z');
  });
  afterAll(() => t.close());

  describe('is for auditors only (but the reports as of a moment, below)', () => {
    const routes = () => [
      '/v1/audit/verify',
      `/v1/audit/cases/${caseId}`,
      '/v1/audit/queues/fr-P1',
      '/v1/audit/events',
      '/v1/audit/export',
    ];

    it('refuses agents, supervisors and customers with 403, and anonymous callers with 401', async () => {
      for (const route of routes()) {
        for (const token of [tok.agent, tok.supervisor, tok.admin]) {
          const res = await http().get(route).set(as(token)).expect(403);
          expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        }
        await http().get(route).expect(401);
      }
    });

    it("lets auditors in, and records each of their reads (who, what, when) in the day's access stream", async () => {
      for (const route of routes()) await http().get(route).set(as(tok.auditor)).expect(200);
      const page = await http()
        .get('/v1/audit/events?type=AuditHistoryRead&limit=1000')
        .set(as(tok.auditor))
        .expect(200);
      const reads = page.body.events.filter((e: { streamId: string }) => e.streamId === 'audit-access-2026-03-02');
      const resources = reads.map((e: { data: { resource: string } }) => e.data.resource);
      for (const route of routes()) expect(resources).toContain(`GET ${route}`);
      expect(reads[0].data).toEqual({
        readerId: 'aud',
        role: 'auditor',
        email: 'aud@audit.example',
        action: 'audit.verify',
        resource: 'GET /v1/audit/verify',
        at: '2026-03-02T11:00:00.000Z',
      });
      expect(reads.map((e: { data: { action: string } }) => e.data.action)).toEqual(
        expect.arrayContaining(['audit.verify', 'audit.read', 'audit.export']),
      );
      // refused requests are not reads: nobody but the auditor appears
      expect(new Set(reads.map((e: { data: { readerId: string } }) => e.data.readerId))).toEqual(new Set(['aud']));
    });
  });

  describe('replays a report as it stood at a moment: supervisors (their own reports) and auditors', () => {
    const route = '/v1/audit/reports/first-response-time';
    const day = { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' };

    it('lets supervisors and auditors in (200), refuses agents and customers (403) and anonymous callers (401)', async () => {
      for (const token of [tok.supervisor, tok.auditor])
        await http().get(route).query({ asOf: '2026-03-02T10:30:00Z' }).set(as(token)).expect(200);
      for (const token of [tok.agent, tok.admin]) {
        const res = await http().get(route).query({ asOf: '2026-03-02T10:30:00Z' }).set(as(token)).expect(403);
        expect(res.body.code).toBe('AUTH.FORBIDDEN');
      }
      await http().get(route).query({ asOf: '2026-03-02T10:30:00Z' }).expect(401);
    });

    it('keeps every other audit route the auditors’ alone: supervisors get 403', async () => {
      for (const other of [
        `/v1/audit/cases/${caseId}`,
        '/v1/audit/queues/fr-P1',
        '/v1/audit/events',
        '/v1/audit/verify',
        '/v1/audit/export',
      ]) {
        const res = await http().get(other).set(as(tok.supervisor)).expect(403);
        expect([other, res.body.code]).toEqual([other, 'AUTH.FORBIDDEN']);
      }
    });

    it('answers the report of /v1/reports as the log stood then: no response before 10:00, one after', async () => {
      const report = async (asOf: string) =>
        (
          await http()
            .get(route)
            .query({ ...day, asOf })
            .set(as(tok.supervisor))
            .expect(200)
        ).body;
      const before = await report('2026-03-02T09:45:00Z');
      expect(before).toMatchObject({
        report: 'first-response-time',
        asOf: '2026-03-02T09:45:00.000Z',
        from: '2026-03-02T00:00:00.000Z',
        to: '2026-03-03T00:00:00.000Z',
        groupBy: 'priority',
        columns: ['priority', 'responses', 'medianBusinessMinutes', 'p90BusinessMinutes', 'meanBusinessMinutes'],
        rows: [],
        caughtUp: true,
        streamsParked: [],
      });
      expect(before.definition).toMatch(/business time from the start of the cycle/);
      // the information request at 10:00Z is the first response: 60 business minutes (Paris, 10:00 to 11:00)
      expect((await report('2026-03-02T10:30:00+00:00')).rows).toEqual([
        { priority: 'P1', responses: 1, medianBusinessMinutes: 60, p90BusinessMinutes: 60, meanBusinessMinutes: 60 },
      ]);
      const backlog = async (asOf: string) =>
        (await http().get('/v1/audit/reports/backlog').query({ asOf }).set(as(tok.supervisor)).expect(200)).body;
      expect(await backlog('2026-03-02T09:15:00Z')).toMatchObject({
        to: '2026-03-02T09:15:00.000Z',
        rows: [{ status: 'open', ageBucket: '0-1d', cases: 1 }],
      });
      expect((await backlog('2026-03-02T10:30:00Z')).rows).toEqual([
        { status: 'awaiting-customer', ageBucket: '0-1d', cases: 1 },
      ]);
    });

    it('answers CSV with Accept: text/csv, as /v1/reports does', async () => {
      const res = await http()
        .get(route)
        .query({ ...day, asOf: '2026-03-02T10:30:00Z', groupBy: 'vendor' })
        .set(as(tok.supervisor))
        .set('Accept', 'text/csv')
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(
        /attachment; filename="first-response-time_.*_as-of_2026-03-02T10-30-00-000Z\.csv"/,
      );
      expect(res.text).toBe(
        'vendor,responses,medianBusinessMinutes,p90BusinessMinutes,meanBusinessMinutes\r\nnorth-desk,1,60,60,60\r\n',
      );
    });

    it('refuses a missing or local asOf (400), a parameter the report does not take (400), an unknown report (404)', async () => {
      for (const query of [{}, { asOf: '2026-03-02T10:30:00' }, { asOf: 'yesterday' }]) {
        const res = await http().get(route).query(query).set(as(tok.supervisor)).expect(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.detail).toMatch(/asOf must be an ISO 8601 instant with a time zone/);
      }
      const week = await http()
        .get('/v1/audit/reports/backlog')
        .query({ asOf: '2026-03-02T10:30:00Z', groupBy: 'week' })
        .set(as(tok.supervisor))
        .expect(400);
      expect(week.body.code).toBe('REPORT.INVALID_PARAMETER');
      const unknown = await http()
        .get('/v1/audit/reports/churn')
        .query({ asOf: '2026-03-02T10:30:00Z' })
        .set(as(tok.auditor))
        .expect(404);
      expect(unknown.body).toMatchObject({ status: 404, code: 'REPORT.UNKNOWN' });
    });

    it("records each report read (who, what, when) in the day's access stream, as any audit read", async () => {
      t.clock.set('2026-03-02T11:05:00Z');
      await http()
        .get('/v1/audit/reports/outcomes')
        .query({ asOf: '2026-03-02T10:30:00Z' })
        .set(as(tok.supervisor))
        .expect(200);
      t.clock.set('2026-03-02T11:00:00Z');
      const page = await http()
        .get('/v1/audit/events?type=AuditHistoryRead&limit=1000')
        .set(as(tok.auditor))
        .expect(200);
      const reads = page.body.events
        .filter((e: { streamId: string }) => e.streamId === 'audit-access-2026-03-02')
        .map((e: { data: unknown }) => e.data);
      expect(reads).toContainEqual({
        readerId: 'sam',
        role: 'supervisor',
        email: 'sam@support.example',
        action: 'audit.read-report',
        resource: 'GET /v1/audit/reports/outcomes?asOf=2026-03-02T10%3A30%3A00Z',
        at: '2026-03-02T11:05:00.000Z',
      });
      // a refused read is not a read: no agent in the stream
      expect(reads.map((r: { readerId: string }) => r.readerId)).not.toContain('eve');
    });
  });

  describe('replays a case as it stood at a moment', () => {
    it.each([
      ['2026-03-02T09:15:00Z', 2, 'open', undefined],
      ['2026-03-02T10:45:00+01:00', 3, 'open', 'eve'],
      ['2026-03-02T10:00:00.000Z', 4, 'awaiting-customer', 'eve'],
    ])(
      'as of %s: version %d, %s, assigned to %s, with the events that made it so',
      async (asOf, version, status, assigneeId) => {
        const res = await http().get(`/v1/audit/cases/${caseId}`).query({ asOf }).set(as(tok.auditor)).expect(200);
        expect(res.body.asOf).toBe(new Date(asOf).toISOString());
        expect(res.body.case).toMatchObject({ id: caseId, version, status, language: 'fr', priority: 'P1' });
        expect(res.body.case.assigneeId).toBe(assigneeId);
        expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(
          ['Opened', 'Routed', 'AgentAssigned', 'InfoRequested'].slice(0, version),
        );
        expect(res.body.events[0]).toMatchObject({
          version: 1,
          recordedAt: '2026-03-02T09:00:00.000Z',
          metadata: { actor: { id: 'ana' } },
        });
      },
    );

    it('shows the case as it is now without asOf', async () => {
      const res = await http().get(`/v1/audit/cases/${caseId}`).set(as(tok.auditor)).expect(200);
      expect(res.body).toMatchObject({
        asOf: '2026-03-02T11:00:00.000Z',
        case: { version: 4, status: 'awaiting-customer' },
      });
    });

    it('answers 404 before the case was opened, and 400 for a moment without a time zone', async () => {
      const early = await http()
        .get(`/v1/audit/cases/${caseId}`)
        .query({ asOf: '2026-03-02T08:59:59.999Z' })
        .set(as(tok.auditor))
        .expect(404);
      expect(early.body).toMatchObject({ code: 'AUDIT.CASE_NOT_FOUND', status: 404 });
      const local = await http()
        .get(`/v1/audit/cases/${caseId}`)
        .query({ asOf: '2026-03-02T09:15:00' })
        .set(as(tok.auditor))
        .expect(400);
      expect(local.body.detail).toMatch(/asOf must be an ISO 8601 instant with a time zone/);
    });
  });

  describe('replays a queue as it stood at a moment', () => {
    const queue = async (id: string, asOf: string) =>
      (await http().get(`/v1/audit/queues/${id}`).query({ asOf }).set(as(tok.auditor)).expect(200)).body;

    it('holds the case while it was open and unassigned, and not after it was claimed', async () => {
      const before = await queue('fr-P1', '2026-03-02T09:15:00Z');
      expect(before).toMatchObject({
        queue: 'fr-P1',
        language: 'fr',
        priority: 'P1',
        asOf: '2026-03-02T09:15:00.000Z',
      });
      expect(before.cases).toContainEqual(
        expect.objectContaining({
          caseId,
          priority: 'P1',
          status: 'open',
          openedAt: '2026-03-02T09:00:00.000Z',
          vendorId: 'north-desk', // routed at opening (R4, R16), as the live queue shows it
          routed: true,
        }),
      );
      expect(before.size).toBe(before.cases.length);
      const north = await http()
        .get('/v1/audit/queues/fr-P1')
        .query({ asOf: '2026-03-02T09:15:00Z', vendor: 'north-desk' })
        .set(as(tok.auditor))
        .expect(200);
      expect(north.body).toMatchObject({ vendor: 'north-desk' });
      expect(north.body.cases.map((c: { caseId: string }) => c.caseId)).toContain(caseId);
      const south = await http()
        .get('/v1/audit/queues/fr-P1')
        .query({ asOf: '2026-03-02T09:15:00Z', vendor: 'south-desk' })
        .set(as(tok.auditor))
        .expect(200);
      expect(south.body.cases).toEqual([]);
      expect(
        (await queue('fr-P1', '2026-03-02T09:45:00Z')).cases.map((c: { caseId: string }) => c.caseId),
      ).not.toContain(caseId);
      expect(
        (await queue('fr-P2', '2026-03-02T09:15:00Z')).cases.map((c: { caseId: string }) => c.caseId),
      ).not.toContain(caseId);
    });

    it('refuses a queue id that is not <language>-<priority>', async () => {
      const res = await http().get('/v1/audit/queues/french').set(as(tok.auditor)).expect(400);
      expect(res.body.code).toBe('AUDIT.INVALID_QUEUE_ID');
    });
  });

  describe('pages through the global log', () => {
    it('gives every event once, in commit order, page after page, with positions and hashes', async () => {
      const all = (await http().get('/v1/audit/events?limit=1000').set(as(tok.auditor)).expect(200)).body.events;
      const paged: unknown[] = [];
      let after = 0;
      for (;;) {
        const { body } = await http()
          .get('/v1/audit/events')
          .query({ after, limit: 2 })
          .set(as(tok.auditor))
          .expect(200);
        paged.push(...body.events);
        if (!body.hasMore) break;
        after = body.next;
      }
      // each page read is itself recorded: later pages hold more access events than the first read
      expect(paged.slice(0, all.length)).toEqual(all);
      const ours = all.filter((e: { streamId: string }) => e.streamId === `case-${caseId}`);
      expect(ours.map((e: { type: string; version: number }) => `${e.type} v${e.version}`)).toEqual([
        'Opened v1',
        'Routed v2',
        'AgentAssigned v3',
        'InfoRequested v4',
      ]);
      expect(ours[0]).toMatchObject({
        position: expect.any(Number),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        metadata: { tenant: 'acme.example' },
      });
    });

    it('filters by type and tenant, and refuses a position that holds no event', async () => {
      const opened = (
        await http()
          .get('/v1/audit/events')
          .query({ type: 'Opened', tenant: 'acme.example' })
          .set(as(tok.auditor))
          .expect(200)
      ).body;
      expect(opened.events.length).toBeGreaterThan(0);
      expect(
        opened.events.every(
          (e: { type: string; metadata: { tenant: string } }) =>
            e.type === 'Opened' && e.metadata.tenant === 'acme.example',
        ),
      ).toBe(true);
      const none = (
        await http().get('/v1/audit/events').query({ tenant: 'globex.example' }).set(as(tok.auditor)).expect(200)
      ).body;
      expect(none).toEqual({ events: [], next: null, hasMore: false });
      const bad = await http().get('/v1/audit/events').query({ after: 999_999 }).set(as(tok.auditor)).expect(400);
      expect(bad.body.code).toBe('AUDIT.UNKNOWN_POSITION');
    });

    it('exports the log recorded in [from, to) as NDJSON', async () => {
      const res = await http()
        .get('/v1/audit/export')
        .query({ from: '2026-03-02T09:00:00Z', to: '2026-03-02T10:00:00Z' })
        .set(as(tok.auditor))
        .buffer(true)
        .parse((response, done) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => done(null, text));
        })
        .expect(200);
      expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
      const lines = (res.body as string)
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const ours = lines.filter((e) => e.streamId === `case-${caseId}`);
      expect(ours.map((e) => e.type)).toEqual(['Opened', 'Routed', 'AgentAssigned']);
      expect(
        lines.every((e) => e.recordedAt >= '2026-03-02T09:00:00.000Z' && e.recordedAt < '2026-03-02T10:00:00.000Z'),
      ).toBe(true);
    });
  });
});

describe('GET /v1/audit/verify (embedded store)', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  let db: SqlDatabase;
  const http = () => request(t.app.getHttpServer());
  const open = async () =>
    (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body.id as string;
  const claim = (id: string) => http().post(`/v1/cases/${id}/assignment`).set(as(tok.agent)).send({}).expect(200);
  const escalate = (id: string) =>
    http()
      .post(`/v1/cases/${id}/escalations`)
      .set(as(tok.agent))
      .send({ target: 'product-team', reason: 'Needs a fix.' })
      .expect(200);

  beforeEach(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
    db = t.app.get<SqlDatabase>(SQL_DATABASE);
  });
  afterEach(() => t.close());

  it('answers 200 with the report while every chain holds', async () => {
    await claim(await open());
    const res = await http().get('/v1/audit/verify').set(as(tok.auditor)).expect(200);
    expect(res.body).toMatchObject({ ok: true, firstBreak: null, breaks: [] });
    expect(res.body.events).toBeGreaterThanOrEqual(2);
  });

  it('answers 409 naming the event whose data was changed directly in the database', async () => {
    const id = await open();
    await claim(id);
    await escalate(id);
    await db.query(
      `UPDATE events SET data = jsonb_set(data, '{agentId}', '"mallory"') WHERE stream_id = $1 AND stream_version = 3`,
      [`case-${id}`],
    );
    const res = await http().get('/v1/audit/verify').set(as(tok.auditor)).expect(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 409,
      code: 'AUDIT.CHAIN_BROKEN',
      detail: expect.stringContaining(`case-${id} version 3 (AgentAssigned`),
      firstBreak: {
        kind: 'altered',
        streamId: `case-${id}`,
        version: 3,
        expectedHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        foundHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      report: { ok: false },
    });
    expect(res.body.firstBreak.expectedHash).not.toBe(res.body.firstBreak.foundHash);
    await http()
      .get('/v1/audit/verify')
      .query({ stream: `case-${id}` })
      .set(as(tok.auditor))
      .expect(409);
    const other = await open();
    await http()
      .get('/v1/audit/verify')
      .query({ stream: `case-${other}` })
      .set(as(tok.auditor))
      .expect(200);
  });

  it('answers 409 naming the gap when an event is deleted from the middle of a stream', async () => {
    const id = await open();
    await claim(id);
    await escalate(id);
    await db.query('DELETE FROM events WHERE stream_id = $1 AND stream_version = 2', [`case-${id}`]);
    const res = await http().get('/v1/audit/verify').set(as(tok.auditor)).expect(409);
    expect(res.body.firstBreak).toEqual({
      kind: 'gap',
      streamId: `case-${id}`,
      version: 2,
      expectedHash: null,
      foundHash: null,
      detail: 'version 2 is missing: version 1 is followed at version 3',
    });
  });
});
