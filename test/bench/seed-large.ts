/**
 * seed:large: fills the PostgreSQL database of DATABASE_URL with a realistic support desk's
 * history, through the event store's own append path (SqlEventStore.appendInTransaction, so
 * every event is hashed into its stream's chain as the API would), many cases per transaction.
 *
 *   npm run seed:large -- --cases 1000000 [--seed 16] [--batch 100] [--concurrency 4]
 *
 * Each case is the history of one case of `deskHistory` (@app/case-domain/testing) (with the
 * incident reports turned on, so every case event type occurs): opened with SLA terms,
 * routed, claimed, answered, waiting on the customer, escalated, breached, re-routed,
 * linked to an outage, resolved, surveyed, credited, reopened, closed; four tenants, four
 * vendors, six languages; about ten events per case. Cases open over the two years before
 * 2026-12-01 (a fixed date, so a run is reproducible); a tenth are still open (opened in the
 * last 30 days of that span, cut before they are resolved).
 *
 * Resumable: case i's ids (case id, event ids) derive from the seed and i, and a batch first
 * asks which of its cases exist; those are skipped. A run stopped anywhere and run again
 * continues where it stopped; a finished store run again adds nothing. A progress line with
 * the rate goes to stderr; the last line on stdout is one JSON object.
 *
 * `recorded_at` is the time of the seeding (the store's clock, as for an import); the events'
 * own `at` carries the two years.
 */
import { parseArgs } from 'node:util';
import { createEventStore, type SqlEventStore, type SqlDatabase } from '../../libs/event-store/src';
import { toCaseStreamId, type CaseEvent } from '../../libs/case-domain/src';
import { deskHistory, seededRandom } from '../../libs/case-domain/src/testing';

const DAY_MINUTES = 24 * 60;
/** the end of the seeded span: fixed, so that the same seed gives the same events on any day */
const SPAN_END = Date.parse('2026-12-01T00:00:00Z');
const SPAN_DAYS = 730;
/** a case's longest history; a case that reaches it unclosed stays as it is */
const MAX_EVENTS_PER_CASE = 40;
const OPEN_SHARE = 0.1;

export interface SeedLargeOptions {
  readonly databaseUrl: string;
  readonly cases: number;
  /** default 16 */
  readonly seed?: number;
  /** cases per transaction; default 100 */
  readonly batch?: number;
  /** transactions in flight; default 4 */
  readonly concurrency?: number;
  /** called about once a second, and at the end */
  readonly onProgress?: (progress: SeedProgress) => void;
}

export interface SeedProgress {
  readonly cases: number;
  /** cases written by this run (the others existed) */
  readonly written: number;
  readonly skipped: number;
  /** events written by this run */
  readonly events: number;
  readonly seconds: number;
  /** events written per second by this run */
  readonly eventsPerSec: number;
  readonly done: boolean;
}

export interface SeededCase {
  readonly caseId: string;
  readonly streamId: string;
  readonly events: (CaseEvent & { eventId: string })[];
  /** still open: cut before its resolution */
  readonly open: boolean;
}

/** Case `index` of the store of `seed`: the same case, the same event ids, every time. */
export const seededCase = (seed: number, index: number): SeededCase => {
  const caseSeed = (Math.imul(seed, 1_000_003) + index) >>> 0;
  const shape = seededRandom(caseSeed ^ 0x5eed5eed);
  const open = shape() < OPEN_SHARE;
  const spanDays = open ? 30 : SPAN_DAYS - 30;
  const start = new Date(
    SPAN_END - SPAN_DAYS * DAY_MINUTES * 60_000 + (open ? (SPAN_DAYS - 30) * DAY_MINUTES * 60_000 : 0),
  );
  // an open case stops after a few steps, before any resolution
  const openLength = 2 + Math.floor(shape() * 10);
  // most cases are resolved once; one in five may be reopened (once)
  const maxCycles = shape() < 0.2 ? 2 : 1;
  const events: (CaseEvent & { eventId: string })[] = [];
  let caseId: string | undefined;
  outer: for (const append of deskHistory({
    events: MAX_EVENTS_PER_CASE,
    seed: caseSeed,
    concurrentCases: 1,
    start: start.toISOString(),
    spreadMinutes: spanDays * DAY_MINUTES,
    incidentReports: true,
    maxCycles,
  })) {
    caseId ??= append.caseId;
    if (append.caseId !== caseId) break; // closed: the generator opened the next one
    for (const event of append.events) {
      if (open && (event.type === 'Resolved' || events.length >= openLength)) break outer;
      events.push(event);
      if (event.type === 'Closed') break outer;
    }
  }
  if (!caseId) throw new Error(`case ${index} of seed ${seed} has no events`);
  return { caseId, streamId: toCaseStreamId(caseId), events, open };
};

const existingStreams = async (db: SqlDatabase, streamIds: readonly string[]): Promise<Set<string>> => {
  const { rows } = await db.query<{ stream_id: string }>(
    'SELECT stream_id FROM events WHERE stream_id = ANY($1::text[]) AND stream_version = 1',
    [streamIds],
  );
  return new Set(rows.map((row) => row.stream_id));
};

/** Writes cases [from, to) that are not there yet, in one transaction; returns what it wrote. */
const seedBatch = async (
  store: SqlEventStore,
  db: SqlDatabase,
  seed: number,
  from: number,
  to: number,
): Promise<{ written: number; skipped: number; events: number }> => {
  const cases: SeededCase[] = [];
  for (let index = from; index < to; index += 1) cases.push(seededCase(seed, index));
  const existing = await existingStreams(
    db,
    cases.map((c) => c.streamId),
  );
  const missing = cases.filter((c) => !existing.has(c.streamId));
  if (missing.length > 0)
    await db.transaction(async (tx) => {
      for (const c of missing) await store.appendInTransaction(tx, c.streamId, c.events, 'no-stream');
    });
  return {
    written: missing.length,
    skipped: cases.length - missing.length,
    events: missing.reduce((sum, c) => sum + c.events.length, 0),
  };
};

/** Seeds cases 0 … cases-1 (those missing); resolves to the final progress. */
export const seedLarge = async (options: SeedLargeOptions): Promise<SeedProgress> => {
  const { databaseUrl, cases, seed = 16, batch = 100, concurrency = 4, onProgress } = options;
  const { store, db } = await createEventStore({ databaseUrl, poolSize: concurrency + 1 });
  const started = Date.now();
  let next = 0;
  let written = 0;
  let skipped = 0;
  let events = 0;
  let lastReport = 0;
  const progress = (done: boolean): SeedProgress => {
    const seconds = (Date.now() - started) / 1000;
    return {
      cases: written + skipped,
      written,
      skipped,
      events,
      seconds,
      eventsPerSec: seconds > 0 ? Math.round(events / seconds) : 0,
      done,
    };
  };
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < cases) {
          const from = next;
          next = Math.min(cases, next + batch);
          const result = await seedBatch(store, db, seed, from, next);
          written += result.written;
          skipped += result.skipped;
          events += result.events;
          if (onProgress && next < cases && Date.now() - lastReport >= 1000) {
            lastReport = Date.now();
            onProgress(progress(false));
          }
        }
      }),
    );
  } finally {
    await store.close();
  }
  const final = progress(true);
  onProgress?.(final);
  return final;
};

const main = async () => {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' },
      seed: { type: 'string', default: '16' },
      batch: { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '4' },
    },
  });
  const databaseUrl = process.env.DATABASE_URL;
  const cases = Number(values.cases);
  if (!databaseUrl) throw new Error('seed:large needs DATABASE_URL (a PostgreSQL database)');
  for (const [name, value] of [
    ['--cases', cases],
    ['--batch', Number(values.batch)],
    ['--concurrency', Number(values.concurrency)],
  ] as const)
    if (!Number.isInteger(value) || value <= 0) throw new Error(`seed:large needs ${name} N (a positive integer)`);
  if (!Number.isInteger(Number(values.seed))) throw new Error('seed:large: --seed must be an integer');
  const tty = process.stderr.isTTY;
  const result = await seedLarge({
    databaseUrl,
    cases,
    seed: Number(values.seed),
    batch: Number(values.batch),
    concurrency: Number(values.concurrency),
    onProgress: (p) => {
      const share = Math.floor((p.cases / cases) * 100);
      const line = `seed:large ${share}% ${p.cases}/${cases} cases (${p.skipped} already there), ${p.events} events written, ${p.eventsPerSec} events/s, ${p.seconds.toFixed(0)} s`;
      process.stderr.write(tty ? `\r${line}${p.done ? '\n' : ''}` : `${line}\n`);
    },
  });
  console.log(
    JSON.stringify({
      seed: 'large',
      cases,
      written: result.written,
      skipped: result.skipped,
      events: result.events,
      seconds: Number(result.seconds.toFixed(1)),
      eventsPerSec: result.eventsPerSec,
    }),
  );
};

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
