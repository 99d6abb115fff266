import request from 'supertest';
import { issueLocalToken } from '@app/auth';
import { ReRouter } from '@app/workers';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const as = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('vendors and follow-the-sun routing (R4, R16)', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  let westAgent: string;
  const http = () => request(t.app.getHttpServer());
  /** opens a case as its customer; the case as staff see it (the routing is not the customer's to see) */
  const open = async (body: object = {}) => {
    const opened = await http()
      .post('/v1/cases')
      .set(as(tok.admin))
      .send({ ...openCaseBody, ...body })
      .expect(201);
    return (await http().get(`/v1/cases/${opened.body.id}`).set(as(tok.supervisor)).expect(200)).body;
  };
  /** waits until the queue read model (what the re-router reads) has the write at `position` */
  const queuesReach = async (position: string) =>
    expect((await http().get(`/v1/queues?after=${position}`).set(as(tok.supervisor)).expect(200)).body.caughtUp).toBe(
      true,
    );
  const history = async (id: string) =>
    (await http().get(`/v1/cases/${id}/events`).set(as(tok.auditor)).expect(200)).body.events as {
      type: string;
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
    }[];

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
    westAgent = await issueLocalToken(
      TEST_AUTH_SECRET,
      {
        role: 'agent',
        sub: 'wes',
        email: 'wes@west.example',
        vendor: 'west-desk',
        languages: ['en', 'es'],
        regions: ['amer'],
      },
      { expiresIn: '1h' },
    );
  });
  afterAll(() => t.close());

  it('seeds the example vendors on the first start, one per shipped calendar; only supervisors manage them', async () => {
    // Monday 2 March 2026, 09:00 UTC: 10:00 in Paris, 18:00 in Tokyo, 20:00 in Sydney, 04:00 in New York
    t.clock.set('2026-03-02T09:00:00Z');
    const { body } = await http().get('/v1/vendors').set(as(tok.supervisor)).expect(200);
    expect(body.items.map((v: { id: string; atWork: boolean }) => [v.id, v.atWork])).toEqual([
      ['north-desk', true],
      ['south-desk', false],
      ['east-desk', false],
      ['west-desk', false],
    ]);
    expect(body.items[0]).toEqual({
      id: 'north-desk',
      name: 'North Desk (Paris)',
      languages: ['fr', 'en'],
      regions: ['emea'],
      calendarId: 'europe-paris',
      atWork: true,
    });
    await http().get('/v1/vendors').set(as(tok.agent)).expect(403);
    await http().post('/v1/vendors').set(as(tok.auditor)).send({}).expect(403);
  });

  it('serves the loaded calendars with their week and the working time of the next 24 hours in UTC (calendar.read)', async () => {
    // Monday 2 March 2026, 09:00 UTC: 10:00 in Paris (UTC+1), a working morning
    t.clock.set('2026-03-02T09:00:00Z');
    const { body } = await http().get('/v1/calendars').set(as(tok.agent)).expect(200);
    expect(body.from).toBe('2026-03-02T09:00:00.000Z');
    const paris = body.items.find((c: { id: string }) => c.id === 'europe-paris');
    expect(paris).toMatchObject({ timeZone: 'Europe/Paris', week: { mon: ['09:00-12:30', '13:30-18:00'], sat: [] } });
    // the rest of Monday's morning and its afternoon, then Tuesday's first hour before 09:00 UTC
    expect(paris.next24h).toEqual([
      { start: '2026-03-02T09:00:00.000Z', end: '2026-03-02T11:30:00.000Z' },
      { start: '2026-03-02T12:30:00.000Z', end: '2026-03-02T17:00:00.000Z' },
      { start: '2026-03-03T08:00:00.000Z', end: '2026-03-03T09:00:00.000Z' },
    ]);
    expect(body.items.map((c: { id: string }) => c.id).sort()).toEqual([
      'america-new-york',
      'asia-tokyo',
      'australia-sydney',
      'europe-paris',
    ]);
    await http().get('/v1/calendars').set(as(tok.auditor)).expect(200);
    await http().get('/v1/calendars').set(as(tok.admin)).expect(403);
  });

  it('registers a vendor (201), the same again changes nothing (200), another with its id is a 409', async () => {
    const vendor = {
      id: 'lisbon-desk',
      name: 'Lisbon Desk',
      languages: ['pt', 'pt-BR'],
      regions: ['emea'],
      calendarId: 'europe-paris',
    };
    const created = await http().post('/v1/vendors').set(as(tok.supervisor)).send(vendor).expect(201);
    expect(created.body).toMatchObject({ ...vendor, languages: ['pt', 'pt-br'] });
    expect(created.headers['x-log-position']).toMatch(/^\d+$/);
    await http().post('/v1/vendors').set(as(tok.supervisor)).send(vendor).expect(200);
    const refused = await http()
      .post('/v1/vendors')
      .set(as(tok.supervisor))
      .send({ ...vendor, name: 'Other' })
      .expect(409);
    expect(refused.body.code).toBe('VENDOR.ALREADY_REGISTERED');
    const unknownCalendar = await http()
      .post('/v1/vendors')
      .set(as(tok.supervisor))
      .send({ ...vendor, id: 'mars-desk', calendarId: 'olympus-mons' })
      .expect(400);
    expect(unknownCalendar.body.code).toBe('VENDOR.UNKNOWN_CALENDAR');
    await http()
      .post('/v1/vendors')
      .set(as(tok.supervisor))
      .send({ ...vendor, id: 'bad id' })
      .expect(400);
    const updated = await http()
      .put('/v1/vendors/lisbon-desk')
      .set(as(tok.supervisor))
      .send({ name: 'Lisbon Desk', languages: ['pt'], regions: ['emea'], calendarId: 'europe-paris' })
      .expect(200);
    expect(updated.body.languages).toEqual(['pt']);
    await http().get('/v1/vendors/lisbon-desk').set(as(tok.supervisor)).expect(200);
    await http().get('/v1/vendors/nowhere').set(as(tok.supervisor)).expect(404);
  });

  it('routes a new case to a vendor speaking its language that is at work, and records who could see it and why', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const english = await open({ language: 'en' });
    expect(english.routing).toEqual({
      vendorId: 'north-desk',
      queueId: 'en-P1',
      reason: 'follow-the-sun',
      routedAt: '2026-03-02T09:00:00.000Z',
    });
    const [opened, routed] = await history(english.id);
    expect(opened.type).toBe('Opened');
    expect(routed).toMatchObject({
      type: 'Routed',
      data: {
        vendorId: 'north-desk',
        queueId: 'en-P1',
        reason: 'follow-the-sun',
        trigger: 'opened',
        byId: 'system:router',
        candidates: [
          { vendorId: 'north-desk', atWork: true },
          // nobody else is at work: then the one whose shift starts first (New York, 14:00 UTC), …
          { vendorId: 'west-desk', atWork: false },
          { vendorId: 'south-desk', atWork: false },
          { vendorId: 'east-desk', atWork: false },
        ],
      },
      metadata: { actor: { id: 'system:router', role: 'system' }, tenant: 'acme.example' },
    });
  });

  it('with nobody speaking the language at work, routes to the vendor whose shift starts first', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const opening = await http()
      .post('/v1/cases')
      .set(as(tok.admin))
      .send({ ...openCaseBody, language: 'de' })
      .expect(201);
    const german = (await http().get(`/v1/cases/${opening.body.id}`).set(as(tok.supervisor)).expect(200)).body;
    expect(german.routing).toMatchObject({ vendorId: 'south-desk', reason: 'next-shift' });
    // R4: only the routed vendor's agents see it, alone and in lists
    await http().get(`/v1/cases/${german.id}`).set(as(tok.germanAgent)).expect(200);
    await http().get(`/v1/cases/${german.id}`).set(as(tok.agent)).expect(404);
    await queuesReach(opening.headers['x-log-position']);
    const listed = async (token: string) =>
      (
        await http().get(`/v1/cases?after=${opening.headers['x-log-position']}`).set(as(token)).expect(200)
      ).body.items.map((c: { id: string }) => c.id);
    expect(await listed(tok.germanAgent)).toContain(german.id);
    expect(await listed(tok.agent)).not.toContain(german.id);
    const northGermanAgent = await issueLocalToken(
      TEST_AUTH_SECRET,
      {
        role: 'agent',
        sub: 'eva',
        email: 'eva@north.example',
        vendor: 'north-desk',
        languages: ['de', 'fr'],
        regions: ['emea'],
      },
      { expiresIn: '1h' },
    );
    // speaking German is not enough: the case is routed to south-desk
    await http().get(`/v1/cases/${german.id}`).set(as(northGermanAgent)).expect(404);
    expect(await listed(northGermanAgent)).not.toContain(german.id);
  });

  it('a case no vendor can take is seen by supervisors only, and routed once a vendor speaks its language', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const opening = await http()
      .post('/v1/cases')
      .set(as(tok.admin))
      .send({ ...openCaseBody, language: 'it' })
      .expect(201);
    expect(opening.body).not.toHaveProperty('routing'); // the customer's answer
    const italian = (await http().get(`/v1/cases/${opening.body.id}`).set(as(tok.supervisor)).expect(200)).body;
    expect(italian.routing).toEqual({
      queueId: 'it-P1',
      reason: 'no-eligible-vendor',
      routedAt: '2026-03-02T09:00:00.000Z',
    });
    await http().get(`/v1/cases/${italian.id}`).set(as(tok.supervisor)).expect(200);
    await http().get(`/v1/cases/${italian.id}`).set(as(tok.agent)).expect(404);
    await http()
      .post('/v1/vendors')
      .set(as(tok.supervisor))
      .send({ id: 'rome-desk', name: 'Rome Desk', languages: ['it'], regions: ['emea'], calendarId: 'europe-paris' })
      .expect(201);
    await queuesReach(opening.headers['x-log-position']);
    await t.app.get(ReRouter).tick();
    const after = (await http().get(`/v1/cases/${italian.id}`).set(as(tok.supervisor)).expect(200)).body;
    expect(after.routing).toMatchObject({ vendorId: 'rome-desk', reason: 'follow-the-sun' });
    expect((await history(italian.id)).at(-1)?.data).toMatchObject({ trigger: 'unrouted', previousVendorId: null });
  });

  it('when the vendor’s shift ends with the case unassigned, routes it again to a vendor at work; a claimed case stays', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const waiting = await open({ language: 'en' });
    const claimed = await open({ language: 'en' });
    const claim = await http().post(`/v1/cases/${claimed.id}/assignment`).set(as(tok.agent)).send({}).expect(200);
    await queuesReach(claim.headers['x-log-position']);
    // 18:30 UTC: Paris has closed (19:30), New York works (13:30)
    t.clock.set('2026-03-02T18:30:00Z');
    // one pass (the background loop may have made it already: either way it happens once)
    await t.app.get(ReRouter).tick();
    const moved = (await http().get(`/v1/cases/${waiting.id}`).set(as(westAgent)).expect(200)).body;
    expect(moved.routing).toMatchObject({
      vendorId: 'west-desk',
      reason: 'follow-the-sun',
      routedAt: '2026-03-02T18:30:00.000Z',
    });
    expect((await history(waiting.id)).at(-1)).toMatchObject({
      type: 'Routed',
      data: { trigger: 'shift-ended', previousVendorId: 'north-desk', vendorId: 'west-desk' },
    });
    // the Paris agent no longer sees it (R4); the case they hold stays theirs
    await http().get(`/v1/cases/${waiting.id}`).set(as(tok.agent)).expect(404);
    expect((await history(claimed.id)).map((e) => e.type)).toEqual(['Opened', 'Routed', 'AgentAssigned']);
    await http().get(`/v1/cases/${claimed.id}`).set(as(tok.agent)).expect(200);
    // a second pass changes nothing
    const before = (await history(waiting.id)).length;
    await t.app.get(ReRouter).tick();
    expect(await history(waiting.id)).toHaveLength(before);
  });
});
