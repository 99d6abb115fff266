/**
 * The publishing side of the message broker, as the relay needs it. kafkajs stays behind
 * this port (`kafkajs/kafkajs-publisher.ts`), so another client (for example Confluent's
 * KafkaJS-compatible one) replaces it in one place.
 */
export interface OutgoingMessage {
  /** decides the partition: one key's messages stay in order */
  readonly key: string;
  readonly value: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface TopicMessages {
  readonly topic: string;
  readonly messages: readonly OutgoingMessage[];
}

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  /** undefined: the broker's `default.replication.factor` */
  readonly replicationFactor?: number;
  /** topic configs, e.g. `{ 'cleanup.policy': 'compact' }` */
  readonly config?: Readonly<Record<string, string>>;
}

export interface MessagePublisher {
  /**
   * Creates the topics that do not exist yet (existing ones are left as they are).
   * @throws {@link PublishFailed} when the broker cannot be reached or refuses
   */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;

  /**
   * Sends the messages and resolves once the broker acknowledged every one of them, from
   * all in-sync replicas. Connects first if needed. Within a key, messages are written in
   * the order given.
   * @throws {@link PublishFailed} when it could not; some messages may have been written
   *   anyway (the caller sends them again: delivery is at-least-once)
   */
  publish(batches: readonly TopicMessages[]): Promise<void>;

  /** Drops the connection (and producer identity) so that the next call starts afresh. */
  reset(): Promise<void>;

  disconnect(): Promise<void>;
}
