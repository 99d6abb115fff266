import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { EVENT_STORE, SQL_DATABASE, type EventStore, type SqlDatabase } from '@app/event-store';
import { createLogger, METRICS, type Logger, type Metrics } from '@app/observability';
import { createKafkaClient } from '../kafkajs/kafkajs-client';
import { KafkajsPublisher } from '../kafkajs/kafkajs-publisher';
import type { MessagePublisher } from '../message-publisher.port';
import { RelayMisconfigured } from '../messaging.errors';
import { KAFKA_RELAY, MESSAGE_PUBLISHER } from '../messaging.tokens';
import { hmacPseudonymiser, PSEUDONYM_SECRET_MIN_LENGTH } from '../pseudonymiser';
import { caseTopics } from '../topics';
import { EventRelay } from './event-relay';

const RELAY_LOGGER = Symbol('RELAY_LOGGER');

/** Starts the relay once the application is up and stops it before the store closes. */
@Injectable()
class KafkaRelayLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(KAFKA_RELAY) private readonly relay: EventRelay) {}

  onApplicationBootstrap(): Promise<void> {
    return this.relay.start();
  }

  // onModuleDestroy runs before every onApplicationShutdown, where the store closes
  onModuleDestroy(): Promise<void> {
    return this.relay.stop();
  }
}

/**
 * The Kafka relay as a worker feature (`WorkerFeaturesModule`): on when `KAFKA_BROKERS` is
 * set, an empty module otherwise. Needs `EVENT_STORE` and `SQL_DATABASE` (global, from
 * `EventStoreModule`); binds {@link KAFKA_RELAY} and {@link MESSAGE_PUBLISHER}. Keeps the
 * `kafka_relay_*` metrics when the app provides `METRICS` (the worker's and the API's
 * `/metrics`). Every worker process may import it: on PostgreSQL one relay leads (holds the
 * lease) and the others stand by.
 */
@Module({})
export class KafkaRelayModule {
  static forRoot(config: AppConfig): DynamicModule {
    const brokers = config.kafkaBrokers ?? [];
    if (brokers.length === 0) return { module: KafkaRelayModule };
    const secret = config.kafka.pseudonymSecret;
    if (!secret || secret.length < PSEUDONYM_SECRET_MIN_LENGTH)
      throw new RelayMisconfigured(
        `PSEUDONYM_SECRET is not set: the Kafka relay (on because KAFKA_BROKERS is set) pseudonymises person ids with it; set it to a secret of at least ${PSEUDONYM_SECRET_MIN_LENGTH} characters`,
      );
    return {
      module: KafkaRelayModule,
      providers: [
        { provide: RELAY_LOGGER, useFactory: () => createLogger({ level: config.logLevel, service: 'kafka-relay' }) },
        {
          provide: MESSAGE_PUBLISHER,
          inject: [RELAY_LOGGER],
          useFactory: (logger: Logger) =>
            new KafkajsPublisher(createKafkaClient({ brokers, clientId: 'support-case-relay', logger })),
        },
        {
          provide: KAFKA_RELAY,
          inject: [EVENT_STORE, SQL_DATABASE, MESSAGE_PUBLISHER, RELAY_LOGGER, { token: METRICS, optional: true }],
          useFactory: (
            store: EventStore,
            db: SqlDatabase,
            publisher: MessagePublisher,
            logger: Logger,
            metrics: Metrics | undefined,
          ) =>
            new EventRelay(store, db, publisher, hmacPseudonymiser(secret), {
              topics: caseTopics(config.kafka.topicPrefix),
              partitions: config.kafka.partitions,
              replicationFactor: config.kafka.replicationFactor,
              logger,
              metrics,
            }),
        },
        KafkaRelayLifecycle,
      ],
      exports: [KAFKA_RELAY, MESSAGE_PUBLISHER],
    };
  }
}
