/**
 * Round trip through the real broker from infra/kafka (KAFKA_BROKERS, e.g. 127.0.0.1:9092):
 * an idempotent producer (acks = all) writes to a fresh topic, a fresh consumer group reads
 * the messages back, and keys, values, headers and per-key order must survive.
 *
 * Every run gets its own topic and group id, so reruns against a long-lived broker
 * (start.sh --reuse) never see each other's messages or committed offsets.
 */
import { randomUUID } from 'node:crypto';
import { Admin, Consumer, IHeaders, Kafka, logCreator, logLevel, Partitioners, Producer } from 'kafkajs';
import { describeWithService } from '@app/testing';

/** What the consumer saw, with headers decoded to strings. */
interface Received {
  partition: number;
  offset: string;
  key: string;
  value: unknown;
  headers: Record<string, string>;
}

const decodeHeaders = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));

/**
 * Waits for a condition with a deadline instead of sleeping: `done` resolves at the first
 * `onChange()` after which `ready()` holds, and rejects at the deadline (saying what was
 * seen) or at `fail(error)`.
 */
const untilCondition = (ready: () => boolean, describe: () => string, timeoutMs: number) => {
  let check: () => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${describe()}`)), timeoutMs);
    timer.unref(); // never keeps jest alive if the test failed before awaiting `done`
    check = () => {
      if (!ready()) return;
      clearTimeout(timer);
      resolve();
    };
    fail = (error) => {
      clearTimeout(timer);
      reject(error);
    };
  });
  done.catch(() => undefined); // a failure before anyone awaits `done` is not an unhandled rejection
  return { done, onChange: () => check(), fail: (error: Error) => fail(error) };
};

/**
 * kafkajs logs errors it then retries by itself (a fresh broker answers the first
 * FindCoordinator with COORDINATOR_NOT_AVAILABLE while it creates __consumer_offsets), so
 * its log is kept in memory instead of printed, and quoted only when the test fails.
 */
const kafkaLog: string[] = [];
const memoryLogCreator: logCreator =
  () =>
  ({ namespace, label, log }) => {
    const { message, error } = log as { message?: string; error?: string };
    kafkaLog.push(`${label} [${namespace}] ${message ?? ''}${error ? `: ${error}` : ''}`);
  };
const withKafkaLog = (error: unknown): Error =>
  new Error(
    `${error instanceof Error ? error.message : String(error)}\nkafkajs log (last 10):\n${kafkaLog.slice(-10).join('\n')}`,
  );

describeWithService('KAFKA_BROKERS', 'Kafka', 'Kafka round trip (kafkajs)', (brokers) => {
  const runId = randomUUID();
  const topic = `test.roundtrip-events.v1.${runId}`;
  const groupId = `test.roundtrip.${runId}`;

  // Short timeouts and retries: against a local broker anything slower is a failure, and a
  // failing run should say so in seconds, not after kafkajs' default back-off (up to ~30 s).
  const kafka = new Kafka({
    clientId: 'kafka-roundtrip-int-spec',
    brokers: brokers.split(',').map((broker) => broker.trim()),
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 5 },
    logLevel: logLevel.WARN,
    logCreator: memoryLogCreator,
  });

  let admin: Admin | undefined;
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect().catch((error: unknown) => {
      throw new Error(`no Kafka broker answers at ${brokers} (start one with infra/kafka/start.sh): ${String(error)}`);
    });
    // Three partitions so that "same key, same partition, in order" is actually tested.
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    expect(created).toBe(true);
  });

  afterAll(async () => {
    // Disconnect everything even if one step fails; the topic and group are removed so a
    // reused broker does not collect them, but a failure to remove is not a test failure.
    await consumer?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    if (admin) {
      await admin.deleteTopics({ topics: [topic], timeout: 5_000 }).catch(() => undefined);
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    }
  });

  it('delivers keys, values and headers from an idempotent producer to a consumer group, in order per key', async () => {
    const keys = ['case-a', 'case-b', 'case-c'];
    const sent = Array.from({ length: 12 }, (_, i) => {
      const key = keys[i % keys.length];
      return {
        key,
        value: { seq: i, caseId: key, note: `message ${i} for ${key}` },
        headers: { 'event-id': randomUUID(), 'event-type': 'RoundTripTested', 'schema-version': '1' },
      };
    });

    // Idempotent: the broker assigns a producer id and drops duplicates of a retried batch.
    // kafkajs requires acks = -1 (all) with it, and one request in flight keeps batches in order.
    producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 5 },
    });
    await producer.connect();
    const metadata = await producer.send({
      topic,
      acks: -1,
      messages: sent.map((m) => ({ key: m.key, value: JSON.stringify(m.value), headers: m.headers })),
    });
    expect(metadata.every((record) => record.errorCode === 0)).toBe(true);

    const received: Received[] = [];
    const allReceived = untilCondition(
      () => received.length >= sent.length,
      () => `received ${received.length} of ${sent.length} messages`,
      20_000,
    );

    consumer = kafka.consumer({
      groupId,
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 100,
      retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 5 },
    });
    // A consumer that crashed for good stops fetching: fail at once with its error rather
    // than at the deadline (kafkajs restarts it by itself after a retriable crash).
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) allReceived.fail(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        received.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          value: JSON.parse(message.value?.toString() ?? 'null'),
          headers: decodeHeaders(message.headers),
        });
        allReceived.onChange();
      },
    });

    await allReceived.done.catch((error: unknown) => {
      throw withKafkaLog(error);
    });

    expect(received).toHaveLength(sent.length);
    // Every message arrived once, with its key, value and headers intact.
    const bySeq = new Map(received.map((r) => [(r.value as { seq: number }).seq, r]));
    for (const [seq, message] of sent.entries()) {
      const got = bySeq.get(seq);
      expect(got).toBeDefined();
      expect(got?.key).toBe(message.key);
      expect(got?.value).toEqual(message.value);
      expect(got?.headers).toEqual(message.headers);
    }
    // The key decides the partition, and within a key the order is the order sent.
    for (const key of keys) {
      const forKey = received.filter((r) => r.key === key);
      expect(new Set(forKey.map((r) => r.partition)).size).toBe(1);
      expect(forKey.map((r) => (r.value as { seq: number }).seq)).toEqual(
        sent.flatMap((m, seq) => (m.key === key ? [seq] : [])),
      );
    }
  });
});
