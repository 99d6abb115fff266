import { SpanKind } from '@opentelemetry/api';
import { migrate, type SqlDatabase, type SqlTransaction } from '@app/event-store';
import type { CaseEventEnvelope, ConsumedBatch, ConsumedMessage, MessageConsumer } from '@app/messaging';
import { createLogger, inSpan, linksToTraceparents, type Logger } from '@app/observability';
import { ANALYTICS_COMPONENT, ANALYTICS_MIGRATIONS, ANALYTICS_TABLES } from './analytics.migrations';
import { applyToMetrics } from './daily-metrics';

export interface AnalyticsConsumerOptions {
  /** the case-events topic */
  readonly topic: string;
  readonly logger?: Logger;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The envelope in a message, or why it is not one this consumer can use. */
const parse = (message: ConsumedMessage): CaseEventEnvelope | string => {
  let value: unknown;
  try {
    value = JSON.parse(message.value ?? '');
  } catch {
    return 'not JSON';
  }
  const e = value as Partial<CaseEventEnvelope> | null;
  if (typeof e?.eventId !== 'string' || e.eventId === '') return 'no eventId';
  if (typeof e.type !== 'string') return 'no type';
  if (typeof e.occurredAt !== 'string' || !INSTANT.test(e.occurredAt)) return 'no occurredAt instant';
  if (typeof e.data !== 'object' || e.data === null) return 'no data';
  return e as CaseEventEnvelope;
};

/**
 * A real consumer group over the case-events topic that keeps daily metrics in its own
 * PostgreSQL tables. Each batch (one partition) is one transaction that writes the
 * dedupe rows (`analytics_processed_events`, by eventId), the metric updates and the
 * partition's next offset (`analytics_offsets`): a crash anywhere leaves either all of it
 * or none, and the batch comes again. The group starts each assigned partition at the
 * offset in that table (or the beginning), so emptying the tables ({@link rebuild}) and
 * starting again replays the topic from offset 0 into the same tables.
 */
export class AnalyticsConsumer {
  private readonly logger: Logger;
  private offsets = new Map<number, string>();

  constructor(
    private readonly db: SqlDatabase,
    private readonly consumer: MessageConsumer,
    private readonly options: AnalyticsConsumerOptions,
  ) {
    this.logger = options.logger ?? createLogger({ level: 'silent', service: 'analytics-consumer' });
  }

  /** Applies the migrations; idempotent. */
  migrate(): Promise<number[]> {
    return migrate(this.db, { component: ANALYTICS_COMPONENT, migrations: ANALYTICS_MIGRATIONS });
  }

  /** Empties every analytics table (offsets included), in one transaction: the next start reads from offset 0. */
  async rebuild(): Promise<void> {
    await this.migrate();
    await this.db.exec(`TRUNCATE ${ANALYTICS_TABLES.join(', ')}`);
    this.logger.info({ tables: ANALYTICS_TABLES }, 'analytics tables emptied; consuming from the beginning');
  }

  /** Joins the group and consumes in the background until {@link stop}. */
  async start(): Promise<void> {
    await this.migrate();
    const { rows } = await this.db.query<{ partition: number; next_offset: string }>(
      'SELECT partition, next_offset::text AS next_offset FROM analytics_offsets WHERE topic = $1',
      [this.options.topic],
    );
    this.offsets = new Map(rows.map((r) => [Number(r.partition), r.next_offset]));
    await this.consumer.run({
      topic: this.options.topic,
      // a stale value (another member moved the partition on) only makes messages come
      // again; apply() skips what the table says is done
      startOffset: (partition) => this.offsets.get(partition),
      eachBatch: (batch) => this.apply(batch),
    });
    this.logger.info({ topic: this.options.topic }, 'analytics consumer started');
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  /**
   * One batch, one transaction: dedupe, metrics, offset. In a span `analytics batch` linked to
   * the commands whose events it applies (their `traceparent` headers, docs/tracing.md).
   */
  apply(batch: ConsumedBatch): Promise<void> {
    if (batch.messages.length === 0) return Promise.resolve();
    return inSpan(
      'analytics batch',
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': batch.topic,
          'messaging.destination.partition.id': String(batch.partition),
          'messaging.batch.message_count': batch.messages.length,
        },
      },
      async (span) => {
        if (span.isRecording()) span.addLinks(linksToTraceparents(batch.messages.map((m) => m.headers.traceparent)));
        await this.applyBatch(batch);
      },
    );
  }

  private async applyBatch({ topic, partition, messages }: ConsumedBatch): Promise<void> {
    const last = messages[messages.length - 1].offset;
    let applied = 0;
    await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ next_offset: string }>(
        'SELECT next_offset::text AS next_offset FROM analytics_offsets WHERE topic = $1 AND partition = $2 FOR UPDATE',
        [topic, partition],
      );
      const next = BigInt(rows[0]?.next_offset ?? '0');
      for (const message of messages) {
        if (BigInt(message.offset) < next) continue; // applied before (delivered again after a restart)
        if (await this.applyMessage(tx, message)) applied += 1;
      }
      await tx.query(
        `INSERT INTO analytics_offsets (topic, partition, next_offset) VALUES ($1, $2, $3)
         ON CONFLICT (topic, partition) DO UPDATE SET next_offset = GREATEST(analytics_offsets.next_offset, EXCLUDED.next_offset)`,
        [topic, partition, (BigInt(last) + 1n).toString()],
      );
    });
    this.offsets.set(partition, (BigInt(last) + 1n).toString());
    this.logger.debug({ topic, partition, last, applied }, 'batch applied');
  }

  /** false when the message was a duplicate or unreadable */
  private async applyMessage(tx: SqlTransaction, message: ConsumedMessage): Promise<boolean> {
    const envelope = parse(message);
    if (typeof envelope === 'string') {
      this.logger.warn({ partition: message.partition, offset: message.offset, reason: envelope }, 'message rejected');
      await tx.query(
        `INSERT INTO analytics_rejected_messages (topic, partition, "offset", reason) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [message.topic, message.partition, message.offset, envelope],
      );
      return false;
    }
    const { rows } = await tx.query(
      `INSERT INTO analytics_processed_events (event_id, topic, partition, "offset") VALUES ($1, $2, $3, $4)
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [envelope.eventId, message.topic, message.partition, message.offset],
    );
    if (rows.length === 0) return false; // the relay published it again: at-least-once, deduped here
    await applyToMetrics(tx, envelope);
    return true;
  }
}
