import { randomUUID } from 'node:crypto';
import { priorityFor, type OpenCase } from '@app/case-domain';
import { CommandBus } from '@nestjs/cqrs';
import { ChangeCase } from '@app/commands';
import { sampleValue } from '@app/observability';
import { PROJECTIONS, type ProjectionRegistry } from '@app/projections';
import { waitFor } from '@app/testing';
import { SlaService } from '@app/sla';
import { startWorkerTestApp, type WorkerTestApp } from './worker-test-app';

describe('worker GET /metrics (embedded store, timers running)', () => {
  let t: WorkerTestApp;

  beforeAll(async () => {
    t = await startWorkerTestApp({ SCHEDULER_POLL: '10ms' });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** opens a P2 case as the API's write shell does: with the SLA terms of its tenant */
  const open = async () => {
    const caseId = randomUUID();
    const actor = { id: 'ana', role: 'support-admin' } as const;
    const command: OpenCase = {
      type: 'OpenCase',
      caseId,
      actor,
      tenant: 'acme.example',
      requester: { id: actor.id, email: 'ana@acme.example' },
      subject: 'SSO fails',
      description: 'Nobody can sign in.',
      product: 'cloud-identity',
      language: 'fr',
      channel: 'email',
      impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
      workaround: 'none',
    };
    const sla = t.app.get(SlaService).termsFor({
      tenant: command.tenant,
      priority: priorityFor(command),
      openedAt: t.clock.now(),
    });
    await t.app.get(CommandBus).execute(new ChangeCase({ caseId, command: { ...command, sla } }));
    return { caseId, dueAt: sla!.firstResponseDueAt };
  };
  const value = (text: string, name: string, labels: Record<string, string>) =>
    sampleValue(text, name, { service: 'worker', ...labels });

  it('serves the Prometheus text format on /metrics, and nothing else', async () => {
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(text).toContain('# TYPE timers_pending gauge');
    expect(text).toContain('# TYPE process_cpu_seconds_total counter'); // the process's own
    expect((await fetch(`${t.url}/`)).status).toBe(404);
    expect((await fetch(`${t.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('shows pending timers by kind and counts firings as they happen', async () => {
    const before = await t.scrape();
    const pendingBefore = value(before, 'timers_pending', { kind: 'sla-breach' }) ?? 0;
    expect(value(before, 'timers_fired_total', { kind: 'sla-breach', outcome: 'recorded' })).toBe(0);
    expect(value(before, 'timers_due', { kind: 'sla-breach' })).toBe(0);

    const { dueAt } = await open();
    await waitFor(
      async () => value(await t.scrape(), 'timers_pending', { kind: 'sla-breach' }) === pendingBefore + 1,
      () => 'the breach timer never showed as pending',
    );

    t.clock.set(new Date(Date.parse(dueAt!) + 60_000).toISOString()); // the breach is due: the scheduler fires it
    const fired = await waitFor(
      async () => {
        const text = await t.scrape();
        return value(text, 'timers_fired_total', { kind: 'sla-breach', outcome: 'recorded' }) === 1 ? text : undefined;
      },
      () => 'the breach timer never fired',
    );
    expect(value(fired, 'timers_pending', { kind: 'sla-breach' })).toBe(pendingBefore);
    expect(value(fired, 'timers_due', { kind: 'sla-breach' })).toBe(0);
    expect(value(fired, 'timers_failures_total', { kind: 'sla-breach', final: 'false' })).toBe(0);
  });

  it("shows each projection's lag and parked events, as of the scrape", async () => {
    const projections = t.app.get<ProjectionRegistry>(PROJECTIONS);
    const names = projections.all().map((runner) => runner.name);
    expect(names).toContain('case-summaries');
    await Promise.all(projections.all().map((runner) => runner.catchUp()));
    const caughtUp = await t.scrape();
    expect(caughtUp).toContain('# TYPE projection_lag_seconds gauge');
    for (const projection of names) {
      expect(value(caughtUp, 'projection_lag_events', { projection })).toBe(0);
      expect(value(caughtUp, 'projection_lag_seconds', { projection })).toBe(0);
      expect(value(caughtUp, 'projection_parked_events', { projection })).toBe(0);
    }

    // the worker's case-summaries runner stands still: the event it has not applied shows as lag
    const summaries = projections.get('case-summaries');
    await summaries.stop();
    try {
      await open();
      const behind = await t.scrape();
      // the case's opening, and whatever the worker's timers appended meanwhile
      expect(value(behind, 'projection_lag_events', { projection: 'case-summaries' })).toBeGreaterThanOrEqual(1);
      expect(value(behind, 'projection_lag_seconds', { projection: 'case-summaries' })).toBeGreaterThanOrEqual(0);
      expect(value(behind, 'projection_lag_events', { projection: 'case-queue' })).toBeDefined();
    } finally {
      await summaries.start();
    }
    await waitFor(
      async () => value(await t.scrape(), 'projection_lag_events', { projection: 'case-summaries' }) === 0,
      () => 'the case-summaries lag never went back to 0',
    );
  });

  it('has no relay metrics without KAFKA_BROKERS (the relay is off)', async () => {
    expect(value(await t.scrape(), 'kafka_relay_leader', {})).toBeUndefined();
  });
});
