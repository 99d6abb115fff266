import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { TimerScheduler } from '@app/timers';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const H = 3_600_000;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('R10/R11/R15: SLA clocks in GET /v1/cases/{id} (embedded store, timers in-process)', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  let dir: string;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    // a policy that places globex.example in the Americas and gives P1 a resolution target
    dir = mkdtempSync(join(tmpdir(), 'sla-policy-'));
    const policyFile = join(dir, 'sla-policy.json');
    writeFileSync(
      policyFile,
      JSON.stringify({
        version: 'e2e-7',
        firstResponseBusinessDays: { P1: 1, P2: 1, P3: 1, P4: 1 },
        resolutionBusinessDays: { P1: 2 },
        calendarByRegion: { emea: 'europe-paris', amer: 'america-new-york' },
        regionByTenant: { 'globex.example': 'amer' },
        defaultCalendar: 'europe-paris',
      }),
    );
    t = await startApiTestApp({
      AUTH_SECRET: TEST_AUTH_SECRET,
      SLA_POLICY_FILE: policyFile,
      AUTO_ESCALATE_ON_BREACH: 'true',
    });
    tok = await testTokens();
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (token: string) =>
    (await http().post('/v1/cases').set(as(token)).send(openCaseBody).expect(201)).body;
  const get = async (id: string) => (await http().get(`/v1/cases/${id}`).set(as(tok.auditor)).expect(200)).body;
  const post = (id: string, path: string, token: string, body: object) =>
    http().post(`/v1/cases/${id}/${path}`).set(as(token)).send(body).expect(200);

  it('R10: Opened records the calendar of the customer region, the versions and the due time; the view shows the clock', async () => {
    t.clock.set('2026-03-02T09:00:00Z'); // Monday 10:00 in Paris
    const opened = await open(tok.admin);
    expect(opened.sla).toMatchObject({
      terms: {
        calendarId: 'europe-paris',
        calendarVersion: 2,
        policyVersion: 'e2e-7',
        firstResponseTargetMs: 8 * H,
        firstResponseDueAt: '2026-03-03T09:00:00.000Z',
      },
      computedWith: { calendarId: 'europe-paris', calendarVersion: 2, policyVersion: 'e2e-7' },
      cycle: 1,
      firstResponse: { state: 'running', usedMs: 0, targetMs: 8 * H, dueAt: '2026-03-03T09:00:00.000Z' },
      resolution: { state: 'running', usedMs: 0, targetMs: 16 * H },
      waitingOnCustomer: { businessMs: 0, elapsedMs: 0, count: 0 },
    });
    const history = await http().get(`/v1/cases/${opened.id}/events`).set(as(tok.auditor)).expect(200);
    expect(history.body.events[0].data.sla).toEqual(opened.sla.terms);

    t.clock.set('2026-03-02T11:00:00Z'); // 12:00 in Paris: 2 h of business time used
    expect((await get(opened.id)).sla.firstResponse).toMatchObject({
      state: 'running',
      usedMs: 2 * H,
      remainingMs: 6 * H,
    });

    // R10: an information request is a first response; R11: it starts a wait, which pauses the resolution clock
    await post(opened.id, 'info-requests', tok.agent, { items: ['logs'], message: 'Please send the SAML trace.' });
    t.clock.set('2026-03-02T16:00:00Z'); // 17:00 in Paris
    expect((await get(opened.id)).sla).toMatchObject({
      firstResponse: { state: 'met', usedMs: 2 * H, stoppedAt: '2026-03-02T11:00:00.000Z' },
      resolution: { state: 'paused', usedMs: 2 * H, remainingMs: 14 * H },
      waitingOnCustomer: { count: 1, since: '2026-03-02T11:00:00.000Z', businessMs: 4 * H, elapsedMs: 5 * H },
    });

    t.clock.set('2026-03-03T08:00:00Z'); // Tuesday 09:00 in Paris: the customer answers
    await post(opened.id, 'info', tok.admin, { message: 'Trace attached.' });
    const resumed = (await get(opened.id)).sla;
    expect(resumed.resolution).toMatchObject({ state: 'running', usedMs: 2 * H, dueAt: '2026-03-04T15:00:00.000Z' });
    expect(resumed.waitingOnCustomer).toEqual({ count: 1, businessMs: 5 * H, elapsedMs: 21 * H });

    // R15: a reopen starts new clocks; cycle 1 keeps its figures
    await post(opened.id, 'resolution', tok.agent, { outcome: 'solved', summary: 'Fixed.' });
    const cycle1 = (await get(opened.id)).sla.cycles[0];
    t.clock.set('2026-03-04T09:00:00Z');
    await post(opened.id, 'reopen', tok.admin, { reason: 'It fails again.' });
    t.clock.set('2026-03-04T12:00:00Z');
    const reopened = (await get(opened.id)).sla;
    expect(reopened.cycles[0]).toEqual(cycle1);
    expect(reopened).toMatchObject({
      cycle: 2,
      firstResponse: { state: 'running', usedMs: 2.5 * H, dueAt: '2026-03-05T09:00:00.000Z' },
    });
  });

  it('R10: the scheduler records the breach at the due time; with AUTO_ESCALATE_ON_BREACH a P1 goes to the supervisors', async () => {
    t.clock.set('2026-03-09T09:00:00Z'); // Monday 10:00 in Paris
    const { id } = await open(tok.admin); // P1
    const scheduler = t.app.get(TimerScheduler);
    await scheduler.tick();
    t.clock.set('2026-03-10T09:00:00.001Z');
    await scheduler.tick();
    const view = await get(id);
    expect(view.sla.firstResponse).toMatchObject({
      state: 'breached',
      breachRecorded: true,
      dueAt: '2026-03-10T09:00:00.000Z',
    });
    expect(view.escalations).toEqual([
      {
        target: 'supervisor',
        reason: 'The first-response target of P1 was missed (due 2026-03-10T09:00:00.000Z); escalated automatically.',
        at: '2026-03-10T09:00:00.001Z',
        byId: 'system:sla-timer',
      },
    ]);
    const history = await http().get(`/v1/cases/${id}/events`).set(as(tok.auditor)).expect(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['Opened', 'Routed', 'SlaBreached', 'Escalated']);
    expect(history.body.events[2]).toMatchObject({
      data: {
        clock: 'first-response',
        cycle: 1,
        priority: 'P1',
        dueAt: '2026-03-10T09:00:00.000Z',
        calendarId: 'europe-paris',
      },
      metadata: { actor: { id: 'system:sla-timer', role: 'system' }, tenant: 'acme.example' },
    });
  });

  it("R10: a tenant the policy places in a region gets that region's calendar (globex.example → amer → New York)", async () => {
    t.clock.set('2026-03-16T14:00:00Z'); // Monday 10:00 in New York (EDT from 8 March)
    const opened = await open(tok.otherOrgAdmin);
    expect(opened.sla.terms).toMatchObject({
      calendarId: 'america-new-york',
      region: 'amer',
      firstResponseDueAt: '2026-03-17T14:00:00.000Z',
    });
  });
});
