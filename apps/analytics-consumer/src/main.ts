// first: tracing must start before pg is loaded (tracing.ts)
import { tracing } from './tracing';
import 'reflect-metadata';
import { ConfigurationError, loadAppConfig } from '@app/config';
import { openDatabase } from '@app/event-store';
import { caseTopics, createKafkaClient, KafkajsConsumer } from '@app/messaging';
import { createLogger } from '@app/observability';
import { AnalyticsConsumer } from './analytics-consumer';

const USAGE = `npm run analytics-consumer -- [--rebuild] [--group <id>]

Reads <KAFKA_TOPIC_PREFIX>.case-events.v1 as a consumer group and keeps daily metrics in
the PostgreSQL database at DATABASE_URL (tables analytics_*; view analytics_daily_report).
  --rebuild      empty the analytics tables first, then read the topic again from offset 0
  --group <id>   consumer group id (default <prefix>.analytics-consumer.v1)
Needs KAFKA_BROKERS and DATABASE_URL.`;

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

/** `npm run analytics-consumer`: wiring only; the consumer and its metrics are in this folder. */
const main = async () => {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) return void process.stdout.write(`${USAGE}\n`);
  const unknown = args.filter((a, i) => !['--rebuild', '--group'].includes(a) && args[i - 1] !== '--group');
  if (unknown.length > 0) fail(`analytics-consumer: unknown argument ${unknown[0]}\n\n${USAGE}`);
  let config;
  try {
    config = loadAppConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigurationError) fail(e.message);
    throw e;
  }
  if (!config.kafkaBrokers)
    return fail('analytics-consumer: KAFKA_BROKERS is not set (host:port of the Kafka brokers)');
  if (!config.databaseUrl)
    return fail('analytics-consumer: DATABASE_URL is not set (the PostgreSQL database for its tables)');
  const groupIndex = args.indexOf('--group');
  const groupId =
    groupIndex >= 0
      ? (args[groupIndex + 1] ?? fail('--group needs an id'))
      : `${config.kafka.topicPrefix}.analytics-consumer.v1`;

  const logger = createLogger({ level: config.logLevel, service: 'analytics-consumer' });
  const db = await openDatabase({ databaseUrl: config.databaseUrl });
  const kafka = createKafkaClient({ brokers: config.kafkaBrokers, clientId: 'analytics-consumer', logger });
  let stopping = false;
  const consumer = new AnalyticsConsumer(
    db,
    new KafkajsConsumer(kafka, {
      groupId,
      onCrash: (error) => {
        logger.fatal({ err: error }, 'the Kafka consumer stopped for good');
        void shutdown(1);
      },
    }),
    { topic: caseTopics(config.kafka.topicPrefix).caseEvents, logger },
  );
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await consumer.stop().catch((err: unknown) => logger.error({ err }, 'stopping the consumer failed'));
    await db.close().catch(() => undefined);
    await tracing?.shutdown(); // the spans still buffered
    logger.info('analytics consumer stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  try {
    if (args.includes('--rebuild')) await consumer.rebuild();
    await consumer.start();
    logger.info({ groupId }, 'analytics consumer running');
  } catch (e) {
    logger.fatal({ err: e }, `analytics consumer failed to start: ${(e as Error).message}`);
    await db.close().catch(() => undefined);
    process.exit(1);
  }
};

void main();
