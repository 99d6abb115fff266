import type { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { ConsumedMessage, ConsumeOptions, MessageConsumer } from '../message-consumer.port';
import { isFastByDefault, kafkaTimings } from './kafkajs-client';

export interface KafkajsConsumerOptions {
  readonly groupId: string;
  /** short session, heartbeat and fetch waits (tests); default: on under NODE_ENV=test */
  readonly fast?: boolean;
  /** the consumer stopped for good (kafkajs gave up restarting it) */
  readonly onCrash?: (error: Error) => void;
}

const decodeHeaders = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers ?? {}).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, Array.isArray(value) ? value.map(String).join(',') : String(value)]],
    ),
  );

const toConsumed = (topic: string, partition: number, m: KafkaMessage): ConsumedMessage => ({
  topic,
  partition,
  offset: m.offset,
  key: m.key?.toString('utf8') ?? null,
  value: m.value?.toString('utf8') ?? null,
  headers: decodeHeaders(m.headers),
});

/**
 * {@link MessageConsumer} over a kafkajs consumer group. Offsets: the application's own
 * (`startOffset`) decide where an assigned partition starts: on every assignment
 * (GROUP_JOIN, emitted synchronously before the first fetch of the new generation) the
 * consumer seeks there. The broker's committed offsets only follow behind, for lag tools.
 */
export class KafkajsConsumer implements MessageConsumer {
  private consumer?: Consumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkajsConsumerOptions,
  ) {}

  async run({ topic, startOffset, eachBatch }: ConsumeOptions): Promise<void> {
    if (this.consumer) throw new Error('KafkajsConsumer.run: already running');
    const fast = this.options.fast ?? isFastByDefault();
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      retry: kafkaTimings(fast).retry,
      ...(fast
        ? { sessionTimeout: 10_000, rebalanceTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100 }
        : {}),
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const partition of payload.memberAssignment[topic] ?? []) {
        // '0' for "from the beginning": if retention removed it, kafkajs falls back to the
        // earliest offset (fromBeginning below)
        consumer.seek({ topic, partition, offset: startOffset(partition) ?? '0' });
      }
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.options.onCrash?.(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch, isRunning, isStale }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        await eachBatch({
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages.map((m) => toConsumed(batch.topic, batch.partition, m)),
        });
      },
    });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }
}
