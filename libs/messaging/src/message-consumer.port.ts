/**
 * The consuming side: a consumer group over one topic that hands over batches per
 * partition, and lets the application keep its own offsets (in its own database, in the
 * transaction that applies the messages). kafkajs stays behind it (`kafkajs/kafkajs-consumer.ts`).
 */
export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  /** the message's offset, a decimal string (Kafka offsets are 64-bit) */
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  /** in offset order */
  readonly messages: readonly ConsumedMessage[];
}

export interface ConsumeOptions {
  readonly topic: string;
  /**
   * Where a newly assigned partition starts: the offset of the next message the
   * application has not applied yet, or undefined for the partition's beginning. Called
   * each time the group assigns partitions to this member, so the application's own
   * bookkeeping, not the broker's committed offsets, decides (a rebuild that emptied the
   * tables starts again from the beginning).
   */
  readonly startOffset: (partition: number) => string | undefined;
  /**
   * Applies a batch. When it resolves, the batch counts as done (the broker's committed
   * offset follows, for lag monitoring); when it throws, the consumer restarts and the
   * batch comes again, so it must be idempotent.
   */
  readonly eachBatch: (batch: ConsumedBatch) => Promise<void>;
}

export interface MessageConsumer {
  /** Joins the group and consumes in the background until {@link stop}; resolves once running. */
  run(options: ConsumeOptions): Promise<void>;
  /** Leaves the group: waits for the batch in hand, then disconnects. */
  stop(): Promise<void>;
}
