import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadAppConfig, type AppConfig } from '@app/config';
import { ManualClock } from '@app/clock';
import { createLogger } from '@app/observability';
import { createApiApp } from '../src/bootstrap';

export interface ApiTestApp {
  readonly app: NestFastifyApplication;
  readonly config: AppConfig;
  readonly clock: ManualClock;
  readonly dataDir: string;
  close(): Promise<void>;
}

/**
 * The API on embedded PGlite in a fresh temporary DATA_DIR, with a manual clock. The survey
 * goes out at once (SURVEY_DELAY=0) unless `env` says otherwise; the timers run in-process.
 * No help-centre article is created at start (HELP_ARTICLES_FILE empty: 60 streams and their
 * search documents would slow every app start); a suite that needs them sets
 * `HELP_ARTICLES_FILE: 'config/help-articles.json'` or creates its own through the API.
 */
export const startApiTestApp = async (env: Record<string, string> = {}): Promise<ApiTestApp> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'api-e2e-'));
  // TEST_LOG_LEVEL=debug shows a test app's own log (what a 500 was, say); silent by default
  const level = process.env.TEST_LOG_LEVEL ?? 'silent';
  const config = loadAppConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: level,
    SURVEY_DELAY: '0',
    HELP_ARTICLES_FILE: '',
    ...env,
  });
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const app = await createApiApp({ config, logger: createLogger({ level, service: 'api-test' }), clock });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    config,
    clock,
    dataDir,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
