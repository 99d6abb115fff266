import { Metrics, sampleValue } from '@app/observability';
import type { EventStoreHandle } from '@app/event-store';
import { pgliteBackend, timersHarness, type TimersHarness } from '../testing/timers-harness';
import type { TimerScheduler } from './timer-scheduler';

/** one business day after Monday 10:00 Paris: Tuesday 10:00 Paris */
const FIRST_RESPONSE_DUE = '2026-03-03T09:00:00.000Z';

describe('timers_* metrics (PGlite)', () => {
  const backend = pgliteBackend();
  let handle: EventStoreHandle;
  let t: TimersHarness;
  let metrics: Metrics;
  const schedulers: TimerScheduler[] = [];
  const scrape = async (name: string, labels: Record<string, string>) =>
    sampleValue(await metrics.render(), name, labels);

  beforeEach(async () => {
    handle = await backend.connect();
    t = await timersHarness(handle);
    metrics = new Metrics({ service: 'worker', defaultMetrics: false });
  });
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
    await handle.store.close();
    await backend.dispose();
  });

  /** started with a poll of an hour: it ticks once at start, then the test ticks it */
  const started = (scheduler: TimerScheduler) => {
    schedulers.push(scheduler);
    scheduler.start(3_600_000);
    return scheduler;
  };

  it('counts pending and due timers per kind by the clock, and firings by outcome', async () => {
    const scheduler = started(t.scheduler({ metrics }));
    await t.open(); // P2: a first-response breach timer
    await t.open();
    await scheduler.tick();
    expect(await scrape('timers_pending', { kind: 'sla-breach' })).toBe(2);
    expect(await scrape('timers_due', { kind: 'sla-breach' })).toBe(0);
    expect(await scrape('timers_overdue_seconds', { kind: 'sla-breach' })).toBe(0);
    expect(await scrape('timers_pending', { kind: 'auto-close' })).toBe(0);
    expect(await scrape('timers_fired_total', { kind: 'sla-breach', outcome: 'recorded' })).toBe(0);

    t.clock.set(FIRST_RESPONSE_DUE);
    t.clock.advance(60_001); // a minute past the due time (due 1 ms after the target)
    expect(await scrape('timers_due', { kind: 'sla-breach' })).toBe(2);
    expect(await scrape('timers_overdue_seconds', { kind: 'sla-breach' })).toBe(60);

    await scheduler.tick();
    expect(await scrape('timers_fired_total', { kind: 'sla-breach', outcome: 'recorded' })).toBe(2);
    expect(await scrape('timers_pending', { kind: 'sla-breach' })).toBe(0);
    expect(await scrape('timers_due', { kind: 'sla-breach' })).toBe(0);
    expect(await scrape('timers_failures_total', { kind: 'sla-breach', final: 'false' })).toBe(0);
  });

  it('R11: the waiting timers have their own series: pending while a case awaits the customer, fired by kind', async () => {
    const scheduler = started(t.scheduler({ metrics }));
    // every kind's series exists from the start, at 0
    expect(await scrape('timers_fired_total', { kind: 'waiting-auto-close', outcome: 'recorded' })).toBe(0);
    const caseId = await t.open();
    await t.requestInfo(caseId); // Monday 10:00 in Paris: reminded 3 business days later
    await scheduler.tick();
    expect(await scrape('timers_pending', { kind: 'waiting-reminder' })).toBe(1);
    expect(await scrape('timers_pending', { kind: 'waiting-auto-close' })).toBe(1);
    t.clock.set('2026-03-05T09:00:00.000Z');
    expect(await scrape('timers_due', { kind: 'waiting-reminder' })).toBe(1);
    await scheduler.tick();
    expect(await scrape('timers_fired_total', { kind: 'waiting-reminder', outcome: 'recorded' })).toBe(1);
    expect(await scrape('timers_pending', { kind: 'waiting-reminder' })).toBe(0);
    expect(await scrape('timers_pending', { kind: 'waiting-auto-close' })).toBe(1);
  });

  it('counts failed firings, and marks the one given up as final', async () => {
    const caseId = await t.open();
    await t.scheduler().tick(); // indexed
    // the store fails every read, as when the database is unreachable
    const failing = new Proxy(handle.store, {
      get: (target, key, receiver) =>
        key === 'readStream'
          ? async () => {
              throw new Error('connection refused');
            }
          : Reflect.get(target, key, receiver),
    });
    const errors: string[] = [];
    const scheduler = started(
      t.scheduler({
        handle: { db: handle.db, store: failing },
        metrics,
        maxAttempts: 2,
        onError: (e, context) => errors.push(`${context}: ${(e as Error).message}`),
      }),
    );
    t.clock.set('2026-03-04T09:00:00.000Z');
    await scheduler.tick(); // attempt 1: retried later
    expect(await scrape('timers_failures_total', { kind: 'sla-breach', final: 'false' })).toBe(1);
    t.clock.advance(60_000);
    await scheduler.tick(); // attempt 2: given up
    expect(await scrape('timers_failures_total', { kind: 'sla-breach', final: 'true' })).toBe(1);
    expect(await scrape('timers_pending', { kind: 'sla-breach' })).toBe(0);
    expect(errors.some((e) => e.includes(caseId))).toBe(true);
  });
});
