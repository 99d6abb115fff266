import { ConfigurationError, loadAppConfig } from '@app/config';
import { DEFAULT_WORKER_METRICS_PORT, loadWorkerConfig } from './worker.config';

describe('worker configuration', () => {
  const app = loadAppConfig({ HOST: '0.0.0.0' });

  it('serves /metrics on HOST and port 9464 by default', () => {
    expect(loadWorkerConfig(app, {})).toEqual({ metrics: { host: '0.0.0.0', port: DEFAULT_WORKER_METRICS_PORT } });
    expect(DEFAULT_WORKER_METRICS_PORT).toBe(9464);
  });

  it('takes WORKER_METRICS_PORT; blank counts as unset; 0 asks for any free port', () => {
    expect(loadWorkerConfig(app, { WORKER_METRICS_PORT: '9100' }).metrics.port).toBe(9100);
    expect(loadWorkerConfig(app, { WORKER_METRICS_PORT: ' ' }).metrics.port).toBe(DEFAULT_WORKER_METRICS_PORT);
    expect(loadWorkerConfig(app, { WORKER_METRICS_PORT: '0' }).metrics.port).toBe(0);
  });

  it.each(['70000', '-1', 'metrics', '9.5'])('refuses WORKER_METRICS_PORT=%s with one line naming it', (value) => {
    const load = () => loadWorkerConfig(app, { WORKER_METRICS_PORT: value });
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(
      `Invalid configuration: WORKER_METRICS_PORT="${value}" is not accepted; WORKER_METRICS_PORT accepts an integer from 1 to 65535, or 0 for any free port (logged at start)`,
    );
  });
});
