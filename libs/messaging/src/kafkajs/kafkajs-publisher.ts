import { CompressionTypes, Partitioners, type Kafka, type Producer, type RetryOptions } from 'kafkajs';
import type { MessagePublisher, TopicMessages, TopicSpec } from '../message-publisher.port';
import { kafkaTimings } from './kafkajs-client';
import { toPublishFailed } from './kafkajs-errors';

export interface KafkajsPublisherOptions {
  /** kafkajs' retries inside one send; default: {@link kafkaTimings} */
  readonly retry?: RetryOptions;
  /** wait this long for the new topics' leaders (ms); default 30 s */
  readonly createTopicsTimeoutMs?: number;
}

/**
 * {@link MessagePublisher} over a kafkajs producer:
 * - idempotent (`idempotent: true`): the broker drops the duplicates of a batch kafkajs
 *   retried itself, which requires acks from all in-sync replicas (`acks: -1`);
 * - one request in flight, so a retried batch cannot overtake the next one (order per key);
 * - no compression (lz4 and zstd need extra packages; gzip costs more CPU than it saves here);
 * - no automatic topic creation: a missing topic is an error, not a topic with the broker's
 *   default partition count.
 */
export class KafkajsPublisher implements MessagePublisher {
  private connecting?: Promise<Producer>;
  private readonly retry: RetryOptions;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkajsPublisherOptions = {},
  ) {
    this.retry = options.retry ?? kafkaTimings().retry;
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    const admin = this.kafka.admin({ retry: this.retry });
    try {
      await admin.connect();
      await admin.createTopics({
        waitForLeaders: true,
        timeout: this.options.createTopicsTimeoutMs ?? 30_000,
        topics: topics.map(({ topic, partitions, replicationFactor, config }) => ({
          topic,
          numPartitions: partitions,
          replicationFactor: replicationFactor ?? -1, // -1: the broker's default.replication.factor
          configEntries: Object.entries(config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    } catch (error) {
      throw toPublishFailed(error, `creating topics ${topics.map((t) => t.topic).join(', ')}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async publish(batches: readonly TopicMessages[]): Promise<void> {
    const topicMessages = batches
      .filter((batch) => batch.messages.length > 0)
      .map(({ topic, messages }) => ({
        topic,
        messages: messages.map(({ key, value, headers }) => ({ key, value, headers: headers && { ...headers } })),
      }));
    if (topicMessages.length === 0) return;
    try {
      const producer = await this.producer();
      await producer.sendBatch({ topicMessages, acks: -1, compression: CompressionTypes.None });
    } catch (error) {
      const count = topicMessages.reduce((n, t) => n + t.messages.length, 0);
      throw toPublishFailed(error, `sending ${count} messages`);
    }
  }

  async reset(): Promise<void> {
    const connecting = this.connecting;
    this.connecting = undefined;
    const producer = await connecting?.catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }

  disconnect(): Promise<void> {
    return this.reset();
  }

  private producer(): Promise<Producer> {
    if (!this.connecting) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: this.retry,
      });
      const connecting = producer.connect().then(() => producer);
      // a failed connect is forgotten, so the next call tries again
      connecting.catch(() => {
        if (this.connecting === connecting) this.connecting = undefined;
      });
      this.connecting = connecting;
    }
    return this.connecting;
  }
}
