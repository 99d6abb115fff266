/**
 * Relay benchmark: event store (PostgreSQL) → relay → Kafka (the broker of infra/kafka).
 *
 *  1. throughput: BENCH_EVENTS (default 100,000) case events are appended (10,000 cases of
 *     ten events each: Opened, then replies and responses with message text that the
 *     relay drops), then the relay starts from the beginning of the log; measured from
 *     its start to the broker's acknowledgement of the last event (both topics, idempotent
 *     producer, acks from all in-sync replicas, no compression). Target ≥ 20,000 events/s.
 *  2. latency: a steady BENCH_RATE (default 500) events/s for BENCH_SECONDS (default 20),
 *     one event per append, from another connection pool than the relay's (as the API
 *     and the worker are two processes: the relay wakes on NOTIFY); per event, the time
 *     from the start of its append to the broker's acknowledgement. Target p99 ≤ 250 ms.
 *
 * The last line is one JSON object for CI: {"bench":"relay","eventsPerSec":…,"p99Ms":…}.
 *
 *   npm run bench:relay      (DATABASE_URL; KAFKA_BROKERS, default infra/kafka/run/brokers)
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createEventStore, type EventStoreHandle, type NewEvent } from '../../libs/event-store/src';
import {
  caseTopics,
  createKafkaClient,
  EventRelay,
  hmacPseudonymiser,
  KafkajsPublisher,
  relayTopicNames,
} from '../../libs/messaging/src';
import { createLogger } from '../../libs/observability/src';
import { createTestDatabase } from '../../libs/testing/src/postgres';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
/** events the relay reads per batch (its default: 1000) */
const BATCH = process.env.BENCH_BATCH ? Number(process.env.BENCH_BATCH) : undefined;
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const brokersFile = join(__dirname, '../../../infra/kafka/run/brokers');
const BROKERS = (
  process.env.KAFKA_BROKERS ?? (existsSync(brokersFile) ? readFileSync(brokersFile, 'utf8').trim() : '127.0.0.1:9092')
).split(',');

const tenant = 'acme.example';
const opened = (caseId: string): NewEvent => ({
  type: 'Opened',
  data: {
    caseId,
    at: new Date().toISOString(),
    byId: 'admin-0042',
    tenant,
    requester: { id: 'admin-0042', email: 'ada.lovelace@acme.example' },
    subject: 'Nobody in the sales team can sign in',
    description: 'Since 9:00 every login fails with error 500 after the SAML redirect. We tried two browsers.',
    product: 'cloud-identity-premium',
    language: 'fr',
    channel: 'email',
    impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: true },
    workaround: 'none',
    priority: 'P1',
  },
  metadata: { tenant, actor: { id: 'admin-0042', role: 'support-admin', org: tenant }, correlationId: randomUUID() },
});
const responded = (caseId: string, firstResponse: boolean, eventId?: string): NewEvent => ({
  eventId,
  type: 'AgentResponded',
  data: {
    caseId,
    at: new Date().toISOString(),
    byId: 'agent-0007',
    agentId: 'agent-0007',
    message: 'Thanks for the logs. The certificate expired at 08:59; we are renewing it now and will confirm.',
    firstResponse,
  },
  metadata: { tenant, actor: { id: 'agent-0007', role: 'agent', vendor: 'north-desk' }, correlationId: randomUUID() },
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Appends EVENTS events: cases of ten events (one append each), 8 writers. */
const fill = async (writer: EventStoreHandle) => {
  const cases = Math.ceil(EVENTS / 10);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < cases) {
        const caseId = randomUUID();
        const count = Math.min(10, EVENTS - next * 10);
        next += 1;
        const events = [opened(caseId), ...Array.from({ length: count - 1 }, (_, i) => responded(caseId, i === 0))];
        await writer.store.appendToStream(`case-${caseId}`, events, 'no-stream');
      }
    }),
  );
};

const main = async () => {
  const database = await createTestDatabase(DATABASE_URL);
  const prefix = `bench.relay-${randomUUID()}`;
  const topics = caseTopics(prefix);
  const kafka = createKafkaClient({ brokers: BROKERS, clientId: 'relay-bench', fast: false });
  let relay: EventRelay | undefined;
  const handles: EventStoreHandle[] = [];
  try {
    const writer = await createEventStore({ databaseUrl: database.url, poolSize: 8 });
    const reader = await createEventStore({ databaseUrl: database.url, poolSize: 4 });
    handles.push(writer, reader);

    const fillStart = performance.now();
    await fill(writer);
    const fillMs = performance.now() - fillStart;

    // ── 1. throughput ──────────────────────────────────────────────────────────
    const appendedAt = new Map<string, number>();
    const latencies: number[] = [];
    relay = new EventRelay(
      reader.store,
      reader.db,
      new KafkajsPublisher(kafka),
      hmacPseudonymiser('bench-secret-'.repeat(3)),
      {
        topics,
        partitions: 6,
        batchSize: BATCH,
        logger: createLogger({ level: 'warn', service: 'relay-bench' }),
        onAcknowledged: (events) => {
          const now = performance.now();
          for (const e of events) {
            const start = appendedAt.get(e.eventId);
            if (start !== undefined) latencies.push(now - start);
          }
        },
      },
    );
    const relayStart = performance.now();
    const cpuStart = process.cpuUsage();
    await relay.start();
    while (relay.status().publishedEvents < EVENTS) {
      if (performance.now() - relayStart > 300_000) throw new Error(`relay stuck: ${JSON.stringify(relay.status())}`);
      await sleep(5);
    }
    const relayMs = performance.now() - relayStart;
    const cpu = process.cpuUsage(cpuStart);
    const cpuMsPer1000 = round((cpu.user + cpu.system) / 1000 / (EVENTS / 1000));
    const eventsPerSec = Math.round((EVENTS / relayMs) * 1000);

    // ── 2. latency at a steady rate ──────────────────────────────────────────────
    const total = RATE * SECONDS;
    const steadyStart = performance.now();
    const appends: Promise<unknown>[] = [];
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - steadyStart) / 1000) * RATE));
      for (; sent < due; sent += 1) {
        const caseId = randomUUID();
        const eventId = randomUUID();
        appendedAt.set(eventId, performance.now());
        appends.push(writer.store.appendToStream(`case-${caseId}`, [responded(caseId, true, eventId)], 'any'));
      }
      await sleep(2);
    }
    await Promise.all(appends);
    const steadyMs = performance.now() - steadyStart;
    while (latencies.length < total) {
      if (performance.now() - steadyStart > (SECONDS + 60) * 1000)
        throw new Error(`acknowledged ${latencies.length} of ${total}`);
      await sleep(5);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const p99Ms = round(percentile(sorted, 99));

    console.log(
      `relay bench: PostgreSQL ${new URL(DATABASE_URL).host}, Kafka ${BROKERS.join(',')}, topics ${topics.caseEvents} + case-state, 6 partitions`,
    );
    console.log(`  appended ${EVENTS} events in ${Math.round(fillMs)} ms (not measured)`);
    console.log(
      `  (1) relay: ${EVENTS} events acknowledged in ${Math.round(relayMs)} ms: ${eventsPerSec} events/s (target >= 20000); the relay's process used ${cpuMsPer1000} ms of CPU per 1000 events`,
    );
    console.log(
      `  (2) ${total} events at ${RATE}/s (achieved ${Math.round((total / steadyMs) * 1000)}/s): append -> ack p50 ${round(percentile(sorted, 50))} ms, p90 ${round(percentile(sorted, 90))} ms, p99 ${p99Ms} ms, max ${round(sorted[sorted.length - 1])} ms (target p99 <= 250)`,
    );
    console.log(JSON.stringify({ bench: 'relay', eventsPerSec, p99Ms }));
  } finally {
    await relay?.stop();
    await Promise.all(handles.map((h) => h.store.close()));
    const admin = kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteTopics({ topics: relayTopicNames(topics), timeout: 10_000 }))
      .catch(() => undefined)
      .finally(() => admin.disconnect());
    await database.drop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
