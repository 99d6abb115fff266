import { Metrics, SCRAPE_REFRESH_TIMEOUT_MS } from './metrics';
import { sampleValue } from './prometheus-text';

/** The value of the sample `name{labels}` in a Prometheus text page, whatever the label order. */
const sample = (text: string, name: string, labels: Record<string, string>) =>
  text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .find((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
    ?.split(' ')
    .at(-1);

describe('Metrics', () => {
  it('renders HTTP, command and projection metrics in the Prometheus text format', async () => {
    const metrics = new Metrics({ service: 'api', defaultMetrics: false });
    metrics.httpRequests.observe({ method: 'POST', route: '/v1/cases', status: '201' }, 0.012);
    metrics.commands.inc({ command: 'OpenCase', result: 'accepted' });
    metrics.projectionLagEvents.set({ projection: 'case-summaries' }, 3);
    const text = await metrics.render();
    expect(
      sample(text, 'http_request_duration_seconds_count', {
        service: 'api',
        method: 'POST',
        route: '/v1/cases',
        status: '201',
      }),
    ).toBe('1');
    expect(sample(text, 'case_commands_total', { service: 'api', command: 'OpenCase', result: 'accepted' })).toBe('1');
    expect(sample(text, 'projection_lag_events', { service: 'api', projection: 'case-summaries' })).toBe('3');
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });

  it('renders the relay and timer metrics with bounded labels', async () => {
    const metrics = new Metrics({ service: 'worker', defaultMetrics: false });
    metrics.relayLeader.set({ relay: 'relay:kafka:v1' }, 1);
    metrics.relayPublishedEvents.inc({ relay: 'relay:kafka:v1' }, 12);
    metrics.timersPending.set({ kind: 'sla-breach' }, 4);
    metrics.timersFired.inc({ kind: 'auto-close', outcome: 'recorded' });
    const text = await metrics.render();
    expect(sampleValue(text, 'kafka_relay_leader', { service: 'worker', relay: 'relay:kafka:v1' })).toBe(1);
    expect(sampleValue(text, 'kafka_relay_published_events_total', { relay: 'relay:kafka:v1' })).toBe(12);
    expect(sampleValue(text, 'timers_pending', { kind: 'sla-breach' })).toBe(4);
    expect(sampleValue(text, 'timers_fired_total', { kind: 'auto-close', outcome: 'recorded' })).toBe(1);
    expect(text).toContain('# TYPE kafka_relay_errors_total counter');
    expect(text).toContain('# TYPE timers_due gauge');
  });

  it('runs the scrape refreshes before rendering; a failing or slow one does not stop the scrape', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const metrics = new Metrics({ service: 'worker', defaultMetrics: false });
      let lag = 0;
      const remove = metrics.onScrape(async () => metrics.relayLagEvents.set({ relay: 'r' }, ++lag));
      metrics.onScrape(async () => {
        throw new Error('database down');
      });
      metrics.onScrape(() => new Promise(() => undefined)); // never answers
      const rendering = metrics.render();
      await jest.advanceTimersByTimeAsync(SCRAPE_REFRESH_TIMEOUT_MS);
      expect(sampleValue(await rendering, 'kafka_relay_lag_events', { relay: 'r' })).toBe(1);
      remove();
      const again = metrics.render();
      await jest.advanceTimersByTimeAsync(SCRAPE_REFRESH_TIMEOUT_MS);
      expect(sampleValue(await again, 'kafka_relay_lag_events', { relay: 'r' })).toBe(1); // removed: not run again
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps apps apart: two registries in one process', async () => {
    const a = new Metrics({ service: 'a', defaultMetrics: false });
    const b = new Metrics({ service: 'b', defaultMetrics: false });
    a.commands.inc({ command: 'OpenCase', result: 'accepted' });
    expect(await b.render()).not.toContain('OpenCase');
  });
});
