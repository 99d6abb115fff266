import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import { loadAppConfig, type AppConfig } from '@app/config';
import { ManualClock } from '@app/clock';
import { createLogger, Metrics } from '@app/observability';
import { WorkerMetricsServer } from '../src/metrics/worker-metrics.server';
import { WorkerModule } from '../src/worker.module';

export interface WorkerTestApp {
  readonly app: TestingModule;
  readonly config: AppConfig;
  readonly clock: ManualClock;
  readonly metrics: Metrics;
  /** `http://127.0.0.1:<port>` of its GET /metrics */
  readonly url: string;
  /** GET /metrics as text */
  scrape(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The worker as `npm run worker` builds it (WorkerModule), with a manual clock and its
 * /metrics on a free port of 127.0.0.1. Embedded PGlite in a fresh DATA_DIR unless `env`
 * names DATABASE_URL; each test app has a metrics registry of its own.
 */
export const startWorkerTestApp = async (env: Record<string, string> = {}): Promise<WorkerTestApp> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'worker-test-'));
  const config = loadAppConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', AUTH_SECRET: 'w'.repeat(40), ...env });
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const metrics = new Metrics({ service: 'worker' });
  const app = await Test.createTestingModule({
    imports: [
      WorkerModule.forRoot({
        config,
        logger: createLogger({ level: 'silent', service: 'worker-test' }),
        clock,
        metrics,
        worker: { metrics: { host: '127.0.0.1', port: 0 } },
      }),
    ],
  }).compile();
  app.enableShutdownHooks();
  await app.init();
  const url = app.get(WorkerMetricsServer).url;
  return {
    app,
    config,
    clock,
    metrics,
    url,
    scrape: async () => {
      const res = await fetch(`${url}/metrics`);
      if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
      return res.text();
    },
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
