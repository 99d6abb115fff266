/**
 * Append throughput: 16 concurrent writers, each appending one event per commit to its own
 * stream, for BENCH_SECONDS (default 10) against
 *   (a) SqlEventStore on PostgreSQL at DATABASE_URL (a fresh database),
 *   (b) a bare `pg` INSERT of the same row shape into the same table (another fresh
 *       database): same JSON, and like every row the adapter writes, a recorded time and a
 *       32-byte hash (a fixed one: the cost of computing it is the adapter's); same pool
 *       size; the ceiling the adapter is measured against,
 *   (c) SqlEventStore on PGlite (embedded, in a temporary data directory).
 * (a) and (b) alternate in quarters so that drift on a busy machine hits both alike.
 * The last line is one JSON object for CI to parse.
 *
 *   npm run build && node dist/test/bench/append.bench.js      (the build compiles test/bench too)
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import {
  createEventStore,
  EVENT_STORE_COMPONENT,
  EVENT_STORE_MIGRATIONS,
  migrate,
  PgDatabase,
  type EventStore,
} from '../../libs/event-store/src';
import { createTestDatabase } from '../../libs/testing/src/postgres';

const WRITERS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_MS = Math.min(2_000, (SECONDS * 1000) / 5);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A case event of a typical size: ~300 B of data, ~200 B of metadata. */
const data = {
  caseId: randomUUID(),
  at: '2026-03-02T09:30:00.000Z',
  byId: 'agent-0042',
  channel: 'email',
  message: 'Thanks for the logs. The printer driver crashes on duplex jobs; a fixed build is attached. '.repeat(2),
};
const metadata = {
  actor: { id: 'agent-0042', role: 'agent', org: 'support' },
  tenant: 'acme-corp',
  correlationId: randomUUID(),
  causationId: randomUUID(),
};

type AppendOne = (streamId: string, expectedVersion: number) => Promise<void>;

/** Runs WRITERS loops of `append` for `ms`; returns how many appends committed. */
const run = async (append: AppendOne, ms: number, label: string): Promise<number> => {
  const deadline = Date.now() + ms;
  const counts = await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      const streamId = `bench-${label}-${w}-${randomUUID()}`;
      let version = 0;
      while (Date.now() < deadline) {
        await append(streamId, version);
        version += 1;
      }
      return version;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
};

const viaStore =
  (store: EventStore): AppendOne =>
  async (streamId, expected) => {
    await store.appendToStream(streamId, [{ type: 'AgentResponded', data, metadata }], expected);
  };

const INSERT = `INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata,
  recorded_at, hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;
const HASH = createHash('sha256').update('bench').digest();
const viaRawInsert =
  (pool: Pool): AppendOne =>
  async (streamId, expected) => {
    await pool.query(INSERT, [
      streamId,
      expected + 1,
      randomUUID(),
      'AgentResponded',
      1,
      data,
      metadata,
      new Date().toISOString(),
      HASH,
    ]);
  };

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);

const main = async () => {
  const measuredMs = SECONDS * 1000;
  const slices = 4;
  const ours = await createTestDatabase(DATABASE_URL);
  const bare = await createTestDatabase(DATABASE_URL);
  const pgliteDir = await mkdtemp(join(tmpdir(), 'append-bench-'));
  try {
    const pg = await createEventStore({ databaseUrl: ours.url, poolSize: WRITERS });
    const schema = new PgDatabase({ connectionString: bare.url });
    await migrate(schema, { component: EVENT_STORE_COMPONENT, migrations: EVENT_STORE_MIGRATIONS });
    await schema.close();
    const pool = new Pool({ connectionString: bare.url, max: WRITERS });

    await run(viaStore(pg.store), WARMUP_MS, 'warm-a');
    await run(viaRawInsert(pool), WARMUP_MS, 'warm-b');
    let a = 0;
    let b = 0;
    for (let slice = 1; slice <= slices; slice += 1) {
      a += await run(viaStore(pg.store), measuredMs / slices, `a${slice}`);
      b += await run(viaRawInsert(pool), measuredMs / slices, `b${slice}`);
    }
    await pg.store.close();
    await pool.end();

    const lite = await createEventStore({ dataDir: pgliteDir });
    await run(viaStore(lite.store), WARMUP_MS, 'warm-c');
    const c = await run(viaStore(lite.store), measuredMs, 'c');
    await lite.store.close();

    const pgEventsPerSec = perSecond(a, measuredMs);
    const rawInsertsPerSec = perSecond(b, measuredMs);
    const pgliteEventsPerSec = perSecond(c, measuredMs);
    const ratio = Math.round((pgEventsPerSec / rawInsertsPerSec) * 1000) / 1000;
    const sizes = `data ${JSON.stringify(data).length} B, metadata ${JSON.stringify(metadata).length} B`;
    console.log(`append bench: ${WRITERS} writers, one event per commit, ${SECONDS} s per target (${sizes})`);
    console.log(`  (a) SqlEventStore on PostgreSQL  ${pgEventsPerSec} events/s`);
    console.log(`  (b) bare pg INSERT               ${rawInsertsPerSec} inserts/s`);
    console.log(`  (c) SqlEventStore on PGlite      ${pgliteEventsPerSec} events/s (data directory)`);
    console.log(`  ratio a/b                        ${ratio}`);
    console.log(JSON.stringify({ bench: 'append', pgEventsPerSec, rawInsertsPerSec, pgliteEventsPerSec, ratio }));
  } finally {
    await Promise.all([ours.drop(), bare.drop(), rm(pgliteDir, { recursive: true, force: true })]);
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
