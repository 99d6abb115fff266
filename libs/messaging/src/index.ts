/**
 * @app/messaging: Kafka behind ports (publisher, consumer) with a kafkajs adapter, the
 * relay from the event store to Kafka, and what it publishes: the case-event envelope
 * (allow-listed, pseudonymised data), the case-state summary, topic names. See README.md.
 */
export * from './message-publisher.port';
export * from './message-consumer.port';
export * from './messaging.errors';
export * from './messaging.tokens';
export * from './topics';
export * from './pseudonymiser';
export * from './case-events/publication-policy';
export * from './case-events/case-event-envelope';
export * from './case-events/case-state';
export { createKafkaClient, kafkaTimings, type KafkaClientOptions } from './kafkajs/kafkajs-client';
export { KafkajsPublisher, type KafkajsPublisherOptions } from './kafkajs/kafkajs-publisher';
export { KafkajsConsumer, type KafkajsConsumerOptions } from './kafkajs/kafkajs-consumer';
export { MESSAGING_COMPONENT, MESSAGING_MIGRATIONS } from './relay/relay.migrations';
export {
  EventRelay,
  KAFKA_RELAY_NAME,
  defaultRelayBackoff,
  type EventRelayOptions,
  type RelayBackoff,
  type RelayStatus,
} from './relay/event-relay';
export { KafkaRelayModule } from './relay/kafka-relay.module';
export {
  LeadershipLost,
  defaultRelayLease,
  relayLeaseHolder,
  relayOwner,
  type RelayLeaseHolder,
  type RelayLeaseOptions,
} from './relay/relay-leadership';
