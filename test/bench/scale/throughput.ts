/**
 * The throughput part of `npm run bench:scale` (issue 16), against the PostgreSQL store of a
 * given database URL (seeded by `npm run seed:large`). Each measurement runs the library's
 * own code path, as the worker runs it:
 *
 *  - {@link measureRebuild}: a full rebuild of every projection of the app (`allProjections`
 *    of @app/workers) from event 1, all together with `ProjectionRunner.rebuildAll` (fresh
 *    tables, one shared pass stream by stream, then each one's swap), as `casectl projections
 *    rebuild all`; peak RSS sampled every 50 ms;
 *  - {@link measureRelay}: the Kafka relay (`EventRelay`, `KafkajsPublisher`) from position 0,
 *    against a raw kafkajs producer sending the same messages with the same settings in the
 *    same run; fresh topics per run (unique prefix), deleted afterwards;
 *  - {@link measureVerify}: `verifyHashChains` over the whole log (keyset batches, streaming).
 *
 * The store's events are only read: the rebuild writes its read-model tables, the relay its
 * own checkpoint and summaries under a relay name of its own (deleted afterwards).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CompressionTypes, Partitioners, type Producer } from 'kafkajs';
import {
  compareCheckpoints,
  createEventStore,
  LOG_START,
  type EventStoreHandle,
  type LogCheckpoint,
  type ReadAllResult,
} from '../../../libs/event-store/src';
import { ProjectionRunner, type RebuildProgress } from '../../../libs/projections/src';
import {
  caseTopics,
  createKafkaClient,
  envelopeHeaders,
  evolveCaseState,
  EventRelay,
  hmacPseudonymiser,
  KafkajsPublisher,
  relayTopicNames,
  toPublishableEvent,
  type CaseStateSummary,
  type CaseTopics,
  type OutgoingMessage,
} from '../../../libs/messaging/src';
import { createLogger } from '../../../libs/observability/src';
import { verifyHashChains } from '../../../libs/audit/src';
import { SlaService } from '../../../libs/sla/src';
import { allProjections } from '../../../libs/workers/src/projections';

const ROOT = join(__dirname, '..', '..', '..', '..');

export type Log = (line: string) => void;

/** Peak RSS of this process, sampled every 50 ms until `stop()`. */
export const sampleRss = (): { stop: () => { startMb: number; peakMb: number } } => {
  const startMb = process.memoryUsage().rss / 1048576;
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return { startMb: Math.round(startMb), peakMb: Math.round(peak / 1048576) };
    },
  };
};

/** Events in the log (committed and visible), and the log's head. */
export const countEvents = async (databaseUrl: string): Promise<{ events: number; head: LogCheckpoint | null }> => {
  const handle = await createEventStore({ databaseUrl, poolSize: 1 });
  try {
    const { rows } = await handle.db.query<{ n: string }>('SELECT count(*)::bigint AS n FROM events');
    return { events: Number(rows[0].n), head: (await handle.store.head()) ?? null };
  } finally {
    await handle.store.close();
  }
};

export interface RebuildOptions {
  /** events per batch (transaction); default: the runner's default as the worker runs it */
  readonly batchSize?: number;
  /** rebuild only these projections (names); default: every one of `allProjections` */
  readonly only?: readonly string[];
  /**
   * stop each projection's rebuild after this many seconds (between batches) and count the
   * events it got through: a partial rebuild, said so in the result (`partial`); default none
   */
  readonly maxSecondsPerProjection?: number;
  /** one projection after the other (`ProjectionRunner.rebuild`), not all together (`rebuildAll`) */
  readonly separately?: boolean;
  readonly log?: Log;
}

export interface RebuildThroughput {
  /** events in the log that each (whole) rebuild read; 0 when all were partial */
  readonly events: number;
  readonly projections: number;
  readonly seconds: number;
  /** events × projections / seconds (as bench:projections counts): target ≥ 100,000 */
  /** true when a rebuild was stopped by `maxSecondsPerProjection`: the rates are those of its first part */
  readonly partial: boolean;
  /** events read into the new tables, all projections together */
  readonly eventsRebuilt: number;
  readonly rebuildEventsPerSec: number;
  /** events / seconds: the log's events per second of rebuilding all projections */
  readonly logEventsPerSec: number;
  /** each projection's own rate, events/s */
  readonly perProjection: Readonly<Record<string, number>>;
  /** peak RSS of the process during the rebuilds (MB), and at their start */
  readonly rssMb: number;
  readonly rssStartMb: number;
}

/**
 * A full rebuild of every projection from event 1 (`ProjectionRunner.rebuildAll`: new
 * generations, one pass stream by stream for those that have one, then the rest of the log,
 * swap, old tables dropped), as `casectl projections rebuild all` does; or one projection
 * after the other (`separately`), as the worker's rebuild after a version change does.
 */
export const measureRebuild = async (databaseUrl: string, options: RebuildOptions = {}): Promise<RebuildThroughput> => {
  const log = options.log ?? (() => undefined);
  const sla = SlaService.load({
    calendarsDir: join(ROOT, 'config', 'calendars'),
    policyFile: join(ROOT, 'config', 'sla-policy.json'),
  });
  const handle = await createEventStore({ databaseUrl, poolSize: 6 });
  try {
    const projections = allProjections(sla).filter((p) => !options.only || options.only.includes(p.name));
    const runners = projections.map(
      (projection) =>
        new ProjectionRunner(projection, {
          store: handle.store,
          db: handle.db,
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        }),
    );
    for (const runner of runners) await runner.prepare();
    // a rebuild reads only the events of the types its projection handles, so the events of
    // the log it went through are counted here: all of them for a whole rebuild, those up to
    // where a partial one stopped otherwise
    const logEvents = Number(
      (await handle.db.query<{ n: string }>('SELECT count(*)::bigint AS n FROM events')).rows[0].n,
    );
    const goneThrough = async (progress: RebuildProgress | undefined): Promise<number> => {
      if (!progress) return 0;
      const { rows } = await handle.db.query<{ n: string }>(
        progress.afterStream !== undefined
          ? 'SELECT count(*)::bigint AS n FROM events WHERE stream_id <= $1'
          : 'SELECT count(*)::bigint AS n FROM events WHERE (transaction_id, global_position) <= ($1::xid8, $2::bigint)',
        progress.afterStream !== undefined
          ? [progress.afterStream]
          : [progress.checkpoint.transactionId, progress.checkpoint.globalPosition],
      );
      return Number(rows[0].n);
    };
    const rss = sampleRss();
    const perProjection: Record<string, number> = {};
    let events = 0;
    let eventsRebuilt = 0;
    let total = 0;
    let partial = false;
    // together: one read of the log for the passes stream by stream (casectl projections rebuild all)
    const groups = options.separately ? runners.map((runner) => [runner]) : [runners];
    for (const group of groups) {
      const started = performance.now();
      const stop = new AbortController();
      const timer = options.maxSecondsPerProjection
        ? setTimeout(() => stop.abort(), options.maxSecondsPerProjection * group.length * 1000)
        : undefined;
      const last = new Map<string, { progress: RebuildProgress; seconds: number }>();
      try {
        await ProjectionRunner.rebuildAll(group, {
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
          signal: stop.signal,
          onProgress: (progress) =>
            void last.set(progress.projection, { progress, seconds: (performance.now() - started) / 1000 }),
        });
        events = logEvents;
      } catch (error) {
        if (!stop.signal.aborted) throw error;
        partial = true;
      } finally {
        clearTimeout(timer);
      }
      const seconds = (performance.now() - started) / 1000;
      total += seconds;
      for (const runner of group) {
        const done = stop.signal.aborted ? await goneThrough(last.get(runner.name)?.progress) : logEvents;
        // a projection's own time: until its last batch (the others' tails and swaps go on after it)
        const own = Math.min(seconds, last.get(runner.name)?.seconds ?? seconds);
        eventsRebuilt += done;
        perProjection[runner.name] = Math.round(done / own);
        log(
          `  rebuild ${runner.name.padEnd(15)} ${done} events, its last batch at ${own.toFixed(1)} s: ${perProjection[runner.name]} events/s${stop.signal.aborted ? ' (stopped there: a partial rebuild)' : ''}`,
        );
      }
      log(
        `  rebuild of ${group.map((r) => r.name).join(', ')}: ${seconds.toFixed(1)} s (RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB)`,
      );
    }
    const { startMb, peakMb } = rss.stop();
    return {
      events,
      projections: runners.length,
      seconds: Math.round(total * 10) / 10,
      partial,
      eventsRebuilt,
      rebuildEventsPerSec: Math.round(eventsRebuilt / total),
      logEventsPerSec: Math.round(eventsRebuilt / runners.length / total),
      perProjection,
      rssMb: peakMb,
      rssStartMb: startMb,
    };
  } finally {
    await handle.store.close();
  }
};

export interface RelayOptions {
  /** the broker list; default KAFKA_BROKERS or 127.0.0.1:9092 */
  readonly brokers?: readonly string[];
  /** partitions per topic; default 6 (as bench:relay and the worker's default) */
  readonly partitions?: number;
  /** events per relay batch; default the relay's own */
  readonly batchSize?: number;
  /**
   * relay only the first this many events of the log (both sides), when the whole log does
   * not fit the time or the broker's disk; said so in the result (`limited`); default all
   */
  readonly maxEvents?: number;
  readonly log?: Log;
}

export interface RelayThroughput {
  /** events of the log relayed (from position 0 to the head at the start, or to `maxEvents`) */
  readonly events: number;
  /** the run was limited to the log's first `maxEvents` events */
  readonly limited: boolean;
  /** messages each side sent (events published + case summaries) */
  readonly messages: number;
  readonly relaySeconds: number;
  readonly relayEventsPerSec: number;
  readonly rawSeconds: number;
  readonly rawEventsPerSec: number;
  /** relay / raw producer, the same run: target ≥ 0.8 */
  readonly relayRatio: number;
}

/** the relay's default batch (EventRelay), used for the raw producer's pages too */
const BATCH_DEFAULT = 5000;
const MAX_REQUEST_BYTES = 900_000;

/**
 * The relay from position 0 to the head, then a raw kafkajs producer (idempotent, one
 * request in flight, acks from all, no compression: the publisher's settings) sending the
 * same messages, each to topics of its own (fresh prefix, deleted afterwards). The raw
 * producer's messages are made from the same log pages by the same envelope and summary
 * code, the next page read and made while the current one is in flight: what it measures
 * is the broker's own pace, which the relay's bookkeeping (checkpoint and summaries in
 * PostgreSQL, lease) should not fall far behind.
 */
export const measureRelay = async (databaseUrl: string, options: RelayOptions = {}): Promise<RelayThroughput> => {
  const log = options.log ?? (() => undefined);
  const brokers = [...(options.brokers ?? (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','))];
  const partitions = options.partitions ?? 6;
  const batchSize = options.batchSize ?? BATCH_DEFAULT;
  const runId = randomUUID().slice(0, 8);
  const relayTopics = caseTopics(`bench.scale-relay-${runId}`);
  const rawTopics = caseTopics(`bench.scale-raw-${runId}`);
  const relayName = `relay:bench-scale-${runId}:v1`;
  const kafka = createKafkaClient({ brokers, clientId: 'scale-bench', fast: false });
  const pseudonymise = hmacPseudonymiser('bench-secret-'.repeat(3));
  const handle = await createEventStore({ databaseUrl, poolSize: 4 });
  let relay: EventRelay | undefined;
  try {
    const logHead = await handle.store.head();
    if (!logHead) throw new Error('the store is empty');
    let head: LogCheckpoint = logHead;
    let limited = false;
    if (options.maxEvents) {
      // the place of the log's maxEvents-th event, in commit order (the followers' order)
      const { rows: nth } = await handle.db.query<{ transaction_id: string; global_position: string }>(
        `SELECT e.transaction_id::text AS transaction_id, e.global_position FROM events e
         ORDER BY e.transaction_id, e.global_position OFFSET $1 LIMIT 1`,
        [options.maxEvents - 1],
      );
      if (nth[0]) {
        const at = { transactionId: nth[0].transaction_id, globalPosition: Number(nth[0].global_position) };
        if (compareCheckpoints(at, logHead) < 0) {
          head = at;
          limited = true;
        }
      }
    }
    const eventsThrough = async (through: LogCheckpoint) =>
      Number(
        (
          await handle.db.query<{ n: string }>(
            'SELECT count(*)::bigint AS n FROM events WHERE (transaction_id, global_position) <= ($1::xid8, $2::bigint)',
            [through.transactionId, through.globalPosition],
          )
        ).rows[0].n,
      );

    // ── the relay ────────────────────────────────────────────────────────────────
    relay = new EventRelay(handle.store, handle.db, new KafkajsPublisher(kafka), pseudonymise, {
      topics: relayTopics,
      partitions,
      batchSize,
      name: relayName,
      leadership: 'single',
      logger: createLogger({ level: 'warn', service: 'scale-bench' }),
    });
    let relayStart = performance.now();
    await relay.start();
    // the topics' creation is not relay throughput: the clock starts at the relay's first batch
    let started = false;
    for (;;) {
      const checkpoint = relay.status().checkpoint;
      if (!started && checkpoint) {
        started = true;
        relayStart = performance.now();
      }
      if (checkpoint && compareCheckpoints(checkpoint, head) >= 0) break;
      if (relay.status().consecutiveFailures > 5) throw new Error(`relay failing: ${relay.status().lastError}`);
      await sleep(20);
    }
    const relaySeconds = (performance.now() - relayStart) / 1000;
    const relayed = relay.status().checkpoint ?? head;
    await relay.stop();
    relay = undefined;
    // (its last batch may reach past a limit: counted as relayed)
    const events = await eventsThrough(relayed);
    const relayEventsPerSec = Math.round(events / relaySeconds);
    log(`  relay: ${events} events in ${relaySeconds.toFixed(1)} s: ${relayEventsPerSec} events/s`);
    await deleteTopics(kafka, relayTopics);

    // ── the raw producer ─────────────────────────────────────────────────────────
    const raw = await rawProduce(handle, kafka, rawTopics, { head, batchSize, partitions, pseudonymise });
    const rawEventsPerSec = Math.round(raw.events / raw.seconds);
    log(
      `  raw kafkajs producer: ${raw.events} events (${raw.messages} messages) in ${raw.seconds.toFixed(1)} s: ${rawEventsPerSec} events/s${limited ? ` (the log's first ${options.maxEvents} events, a limited run)` : ''}`,
    );
    return {
      events,
      limited,
      messages: raw.messages,
      relaySeconds: Math.round(relaySeconds * 10) / 10,
      relayEventsPerSec,
      rawSeconds: Math.round(raw.seconds * 10) / 10,
      rawEventsPerSec,
      relayRatio: Math.round((relayEventsPerSec / rawEventsPerSec) * 100) / 100,
    };
  } finally {
    await relay?.stop().catch(() => undefined);
    await deleteTopics(kafka, relayTopics);
    await deleteTopics(kafka, rawTopics);
    await handle.db.query('DELETE FROM relay_case_states WHERE relay = $1', [relayName]).catch(() => undefined);
    await handle.db
      .query("DELETE FROM checkpoints WHERE component = 'messaging' AND name = $1", [relayName])
      .catch(() => undefined);
    await handle.store.close();
  }
};

const deleteTopics = async (kafka: ReturnType<typeof createKafkaClient>, topics: CaseTopics): Promise<void> => {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const names = relayTopicNames(topics).filter((t) => existing.has(t));
    if (names.length > 0) await admin.deleteTopics({ topics: names, timeout: 30_000 });
  } catch {
    // best effort: the bench's figures stand without it
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
};

/** The relay's messages of one log page (the same envelope and summary code), split as the relay splits them. */
const messagesOf = (
  page: ReadAllResult,
  topics: CaseTopics,
  states: Map<string, CaseStateSummary>,
  pseudonymise: ReturnType<typeof hmacPseudonymiser>,
): { topic: string; messages: OutgoingMessage[] }[][] => {
  const eventMessages: OutgoingMessage[] = [];
  const intakeMessages: OutgoingMessage[] = [];
  const touched = new Map<string, CaseStateSummary>();
  for (const event of page.events) {
    const p = toPublishableEvent(event, pseudonymise);
    if (!p) continue;
    const message = { key: p.key, value: JSON.stringify(p.envelope), headers: envelopeHeaders(p.envelope) };
    if (p.stream === 'intake') {
      intakeMessages.push(message);
      continue;
    }
    eventMessages.push(message);
    if (p.stream !== 'case') continue;
    const previous = touched.get(p.key) ?? states.get(p.key) ?? null;
    if (previous && p.streamVersion <= previous.version) continue;
    touched.set(p.key, evolveCaseState(previous, p.envelope, p.streamVersion));
  }
  for (const [id, state] of touched) {
    states.delete(id);
    states.set(id, state);
  }
  for (const id of states.keys()) {
    if (states.size <= 20_000) break;
    states.delete(id);
  }
  const stateMessages = [...touched].map(([key, state]) => ({
    key,
    value: JSON.stringify(state),
    headers: { 'schema-version': '1' },
  }));
  const requests: { topic: string; messages: OutgoingMessage[] }[][] = [];
  let request: { topic: string; messages: OutgoingMessage[] }[] = [];
  let bytes = 0;
  for (const [topic, messages] of [
    [topics.caseEvents, eventMessages],
    [topics.intakeEvents, intakeMessages],
    [topics.caseState, stateMessages],
  ] as const) {
    for (const m of messages) {
      const size = m.key.length + m.value.length + 64 + 40;
      if (bytes > 0 && bytes + size > MAX_REQUEST_BYTES) {
        requests.push(request);
        request = [];
        bytes = 0;
      }
      const last = request[request.length - 1];
      if (last?.topic === topic) last.messages.push(m);
      else request.push({ topic, messages: [m] });
      bytes += size;
    }
  }
  if (request.length > 0) requests.push(request);
  return requests;
};

/** A raw kafkajs producer with the publisher's settings, fed the relay's messages page by page. */
const rawProduce = async (
  handle: EventStoreHandle,
  kafka: ReturnType<typeof createKafkaClient>,
  topics: CaseTopics,
  {
    head,
    batchSize,
    partitions,
    pseudonymise,
  }: {
    head: LogCheckpoint;
    batchSize: number;
    partitions: number;
    pseudonymise: ReturnType<typeof hmacPseudonymiser>;
  },
): Promise<{ seconds: number; messages: number; events: number }> => {
  await new KafkajsPublisher(kafka).ensureTopics(relayTopicNames(topics).map((topic) => ({ topic, partitions })));
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    const states = new Map<string, CaseStateSummary>();
    let messages = 0;
    let events = 0;
    const next = async (after: LogCheckpoint) => {
      if (compareCheckpoints(after, head) >= 0) return null;
      const page = await handle.store.readAll({ after, limit: batchSize });
      if (page.events.length === 0) return null;
      return { page, requests: messagesOf(page, topics, states, pseudonymise) };
    };
    const started = performance.now();
    let pending = next(LOG_START);
    for (;;) {
      const current = await pending;
      if (!current) break;
      pending = next(current.page.checkpoint);
      pending.catch(() => undefined);
      events += current.page.events.length;
      for (const request of current.requests) {
        await producer.sendBatch({ topicMessages: request, acks: -1, compression: CompressionTypes.None });
        messages += request.reduce((n, t) => n + t.messages.length, 0);
      }
    }
    return { seconds: (performance.now() - started) / 1000, messages, events };
  } finally {
    await producer.disconnect();
  }
};

export interface VerifyThroughput {
  readonly events: number;
  readonly streams: number;
  readonly seconds: number;
  /** target ≥ 100,000 */
  readonly verifyEventsPerSec: number;
  readonly ok: boolean;
  /** peak RSS during the verification (MB), and at its start */
  readonly rssMb: number;
  readonly rssStartMb: number;
}

/** `verifyHashChains` over every stream of the store (and its latest audit checkpoint, if any). */
export const measureVerify = async (
  databaseUrl: string,
  options: { readonly log?: Log } = {},
): Promise<VerifyThroughput> => {
  const handle = await createEventStore({ databaseUrl, poolSize: 4 });
  try {
    const rss = sampleRss();
    const started = performance.now();
    // in ranges on worker threads, as casectl and the API verify a PostgreSQL store
    const report = await verifyHashChains(handle.db, { databaseUrl });
    const seconds = (performance.now() - started) / 1000;
    const { startMb, peakMb } = rss.stop();
    const verifyEventsPerSec = Math.round(report.events / seconds);
    options.log?.(
      `  verify ${report.events} events in ${report.streams} chains on ${report.threads} threads: ${seconds.toFixed(1)} s, ${verifyEventsPerSec} events/s, ${report.ok ? 'ok' : `BROKEN: ${report.firstBreak?.detail}`} (RSS ${startMb} → peak ${peakMb} MB)`,
    );
    return {
      events: report.events,
      streams: report.streams,
      seconds: Math.round(seconds * 10) / 10,
      verifyEventsPerSec,
      ok: report.ok,
      rssMb: peakMb,
      rssStartMb: startMb,
    };
  } finally {
    await handle.store.close();
  }
};

export interface ThroughputFigures {
  readonly rebuild: RebuildThroughput;
  readonly relay: RelayThroughput | null;
  readonly verify: VerifyThroughput;
  /** the figures of bench:scale's last line */
  readonly summary: {
    readonly rebuildEventsPerSec: number;
    readonly relayRatio: number | null;
    readonly verifyEventsPerSec: number;
    readonly rssMb: number;
    /** the rebuild was stopped after BENCH_REBUILD_SECONDS per projection: its rate is that of its first part */
    readonly rebuildPartial: boolean;
    /** the relay ran over the log's first this many events only (BENCH_RELAY_EVENTS); null: the whole log */
    readonly relayLimitedTo: number | null;
  };
}

const envNumber = (name: string): number | undefined => {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`${name} must be a positive integer, not ${value}`);
  return n;
};

export interface ThroughputOptions {
  /** null skips the relay (no broker): its figure is then null */
  readonly brokers?: readonly string[] | null;
  /** see {@link RebuildOptions.maxSecondsPerProjection}; default BENCH_REBUILD_SECONDS, else none */
  readonly rebuildMaxSecondsPerProjection?: number;
  /** see {@link RelayOptions.maxEvents}; default BENCH_RELAY_EVENTS, else the whole log */
  readonly relayMaxEvents?: number;
  readonly log?: Log;
}

/** The three measurements one after the other (verify, rebuild, relay), for bench:scale. */
export const measureThroughput = async (
  databaseUrl: string,
  options: ThroughputOptions = {},
): Promise<ThroughputFigures> => {
  const maxSecondsPerProjection = options.rebuildMaxSecondsPerProjection ?? envNumber('BENCH_REBUILD_SECONDS');
  const maxEvents = options.relayMaxEvents ?? envNumber('BENCH_RELAY_EVENTS');
  const verify = await measureVerify(databaseUrl, { log: options.log });
  const rebuild = await measureRebuild(databaseUrl, { log: options.log, maxSecondsPerProjection });
  const relay =
    options.brokers === null
      ? null
      : await measureRelay(databaseUrl, { brokers: options.brokers, maxEvents, log: options.log });
  return {
    rebuild,
    relay,
    verify,
    summary: {
      rebuildEventsPerSec: rebuild.rebuildEventsPerSec,
      relayRatio: relay?.relayRatio ?? null,
      verifyEventsPerSec: verify.verifyEventsPerSec,
      rssMb: Math.max(rebuild.rssMb, verify.rssMb),
      rebuildPartial: rebuild.partial,
      relayLimitedTo: relay?.limited ? relay.events : null,
    },
  };
};
