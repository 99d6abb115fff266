// first: tracing must start before http, Fastify and pg are loaded (tracing.ts)
import { flushTracesOnShutdown } from './tracing';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigurationError, loadAppConfig } from '@app/config';
import { DataDirInUse } from '@app/event-store';
import { bufferedStdout, createLogger, PinoNestLogger } from '@app/observability';
import { loadWorkerConfig } from './worker.config';
import { WorkerModule } from './worker.module';

/**
 * `npm run worker`: projections, timers and the Kafka relay without the HTTP API (server
 * mode), and GET /metrics on HOST:WORKER_METRICS_PORT. Run as many as you like: the timers
 * share their work, each projection and the relay have one active instance at a time.
 */
const main = async () => {
  let config;
  let worker;
  try {
    config = loadAppConfig(process.env);
    worker = loadWorkerConfig(config, process.env);
  } catch (e) {
    if (e instanceof ConfigurationError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger({ level: config.logLevel, service: 'worker', destination: bufferedStdout() });
  try {
    const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config, logger, worker }), {
      logger: new PinoNestLogger(logger),
      // a failed start comes here (not Nest's own exit), to be reported as below
      abortOnError: false,
    });
    app.enableShutdownHooks();
    flushTracesOnShutdown();
    logger.info({ mode: config.mode }, 'worker started');
  } catch (e) {
    if (e instanceof DataDirInUse) {
      // in embedded mode the API runs the workers itself (WORKERS_IN_PROCESS) and holds DATA_DIR
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    logger.fatal({ err: e }, `worker failed to start: ${(e as Error).message}`);
    process.exit(1);
  }
};

void main();
