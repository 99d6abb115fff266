import { Metrics } from './metrics';

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
    expect(sample(text, 'http_request_duration_seconds_count', { service: 'api', method: 'POST', route: '/v1/cases', status: '201' })).toBe('1');
    expect(sample(text, 'case_commands_total', { service: 'api', command: 'OpenCase', result: 'accepted' })).toBe('1');
    expect(sample(text, 'projection_lag_events', { service: 'api', projection: 'case-summaries' })).toBe('3');
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });

  it('keeps apps apart: two registries in one process', async () => {
    const a = new Metrics({ service: 'a', defaultMetrics: false });
    const b = new Metrics({ service: 'b', defaultMetrics: false });
    a.commands.inc({ command: 'OpenCase', result: 'accepted' });
    expect(await b.render()).not.toContain('OpenCase');
  });
});
