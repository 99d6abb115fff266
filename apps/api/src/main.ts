// first: tracing must start before http, Fastify and pg are loaded (tracing.ts)
import { flushTracesOnShutdown } from './tracing';
import 'reflect-metadata';
import { ConfigurationError, loadAppConfig } from '@app/config';
import { DataDirInUse } from '@app/event-store';
import { bufferedStdout, createLogger } from '@app/observability';
import { createApiApp } from './bootstrap';

const main = async () => {
  let config;
  try {
    config = loadAppConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigurationError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger({ level: config.logLevel, service: 'api', destination: bufferedStdout() });
  try {
    const app = await createApiApp({ config, logger });
    flushTracesOnShutdown();
    await app.listen({ port: config.port, host: config.host });
    logger.info({ port: config.port, host: config.host, mode: config.mode, dataDir: config.dataDir }, 'api listening');
  } catch (e) {
    if (e instanceof DataDirInUse) {
      // another process has this DATA_DIR (PGlite has one process per directory): one line saying which
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    logger.fatal({ err: e }, `api failed to start: ${(e as Error).message}`);
    process.exit(1);
  }
};

void main();
