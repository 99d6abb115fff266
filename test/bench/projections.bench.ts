/**
 * Projection benchmark, on a fresh PostgreSQL database at DATABASE_URL:
 *   1. appends BENCH_EVENTS events (default 200,000) of realistic case lifecycles
 *      (deskHistory of @app/case-domain/testing: opened with SLA terms, routed, claimed,
 *      answered, waiting on customers, escalated, breached, re-routed, resolved, surveyed,
 *      credited, reopened, closed), by 16 writers, each case's appends in order;
 *   2. rebuilds every case projection of the app (allProjections: case-summaries, case-queue,
 *      case-reports; not help-articles, which applies no case event, nor intakes, which applies only the
 *      Opened naming an intake) from scratch, one after the other, each into fresh tables with
 *      batches of BENCH_BATCH events (default 5,000, the default of `casectl projections rebuild`);
 *   3. prints, for each, events/s, and for all of them together the log's events per
 *      second of rebuilding (events × projections / total seconds), with the peak RSS of
 *      the process during the rebuilds (sampled every 50 ms). Target ≥ 20,000 events/s.
 * The last line is one JSON object for CI to parse.
 *
 *   npm run build && node dist/test/bench/projections.bench.js      (BENCH_EVENTS=… to shrink)
 */
import { join } from 'node:path';
import { createEventStore, type EventStore } from '../../libs/event-store/src';
import { ProjectionRunner } from '../../libs/projections/src';
import { deskHistory, type DeskAppend } from '../../libs/case-domain/src/testing';
import { createTestDatabase } from '../../libs/testing/src/postgres';
import { SlaService } from '../../libs/sla/src';
import { allProjections } from '../../libs/workers/src/projections';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);
const WRITERS = 16;
/** appends dispatched to the writers at a time (bounds the memory the history takes) */
const CHUNK = 4_000;
const ROOT = join(__dirname, '..', '..', '..');

/** Appends the history with WRITERS concurrent writers; a case always goes to the same writer, so its appends stay in order. */
const appendHistory = async (store: EventStore): Promise<{ events: number; cases: number }> => {
  const cases = new Set<string>();
  let events = 0;
  let chunk: DeskAppend[] = [];
  const flush = async () => {
    const queues: DeskAppend[][] = Array.from({ length: WRITERS }, () => []);
    for (const append of chunk) queues[parseInt(append.caseId.slice(0, 8), 16) % WRITERS].push(append);
    await Promise.all(
      queues.map(async (queue) => {
        for (const append of queue) await store.appendToStream(append.streamId, append.events, append.expectedVersion);
      }),
    );
    chunk = [];
  };
  // 400 cases in progress at a time, spread over a quarter: weeks, vendors and queues all fill up
  for (const append of deskHistory({
    events: EVENTS,
    seed: 20260302,
    concurrentCases: 400,
    spreadMinutes: 90 * 24 * 60,
  })) {
    chunk.push(append);
    cases.add(append.caseId);
    events += append.events.length;
    if (chunk.length >= CHUNK) await flush();
  }
  await flush();
  return { events, cases: cases.size };
};

const main = async () => {
  const database = await createTestDatabase(DATABASE_URL);
  try {
    const { store, db } = await createEventStore({ databaseUrl: database.url, poolSize: WRITERS });
    const appendStarted = Date.now();
    const history = await appendHistory(store);
    const appendSeconds = (Date.now() - appendStarted) / 1000;
    console.log(
      `projections bench: ${history.events} events of ${history.cases} cases appended in ${appendSeconds.toFixed(1)} s (${Math.round(history.events / appendSeconds)} events/s, ${WRITERS} writers)`,
    );

    const sla = SlaService.load({
      calendarsDir: join(ROOT, 'config', 'calendars'),
      policyFile: join(ROOT, 'config', 'sla-policy.json'),
    });
    // the read models of cases: help-articles applies no case event (its own bench is bench:search),
    // intakes only an Opened that names an intake (none here), and reading the log past them would
    // only inflate events × projections
    const runners = allProjections(sla)
      .filter((projection) => projection.name !== 'help-articles' && projection.name !== 'intakes')
      .map((projection) => new ProjectionRunner(projection, { store, db, batchSize: BATCH }));
    for (const runner of runners) await runner.prepare();

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    let total = 0;
    const perProjection: Record<string, number> = {};
    for (const runner of runners) {
      const started = Date.now();
      const result = await runner.rebuild({ batchSize: BATCH });
      const seconds = (Date.now() - started) / 1000;
      total += seconds;
      perProjection[runner.name] = Math.round(result.events / seconds);
      console.log(
        `  rebuild ${runner.name.padEnd(15)} ${result.events} events in ${seconds.toFixed(1)} s: ${perProjection[runner.name]} events/s`,
      );
    }
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const eventsPerSec = Math.round((history.events * runners.length) / total);
    const peakRssMb = Math.round(peakRss / 1024 / 1024);
    console.log(
      `  all ${runners.length} projections: ${eventsPerSec} events/s (events × projections / ${total.toFixed(1)} s), peak RSS ${peakRssMb} MB`,
    );
    await store.close();
    console.log(
      JSON.stringify({
        bench: 'projections',
        eventsPerSec,
        peakRssMb,
        events: history.events,
        batch: BATCH,
        perProjection,
      }),
    );
  } finally {
    await database.drop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
