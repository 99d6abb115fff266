import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigurationError, loadAppConfig } from '@app/config';
import { createLogger, PinoNestLogger } from '@app/observability';
import { WorkerModule } from './worker.module';

/** `npm run worker`: projections, timers and the Kafka relay without the HTTP API (server mode). */
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
  const logger = createLogger({ level: config.logLevel, service: 'worker' });
  try {
    const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config, logger }), {
      logger: new PinoNestLogger(logger),
    });
    app.enableShutdownHooks();
    logger.info({ mode: config.mode }, 'worker started');
  } catch (e) {
    logger.fatal({ err: e }, `worker failed to start: ${(e as Error).message}`);
    process.exit(1);
  }
};

void main();
