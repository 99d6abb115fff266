/**
 * Audit benchmark, on a fresh PostgreSQL database at DATABASE_URL:
 *   1. loads a history of CASES cases (default 100,000) of EVENTS_PER_CASE events each
 *      (default 10: 1,000,000 events; each case routed to a vendor right after its opening,
 *      as the API does), with multi-row INSERT … SELECT FROM unnest batches,
 *      the hash chain computed in the same way as the store's append (the same JCS and
 *      SHA-256 functions of @app/event-store; the verification in step 2 is the proof);
 *   2. verifies every chain (`verifyHashChains`: keyset batches, flat memory) and prints
 *      events/s (target ≥ 50,000);
 *   3. answers a point-in-time queue query (`readQueueAsOf`, replayed from the log) at a
 *      moment halfway through that history, three times, and prints the median ms
 *      (target ≤ 2,000).
 * The last line is one JSON object for CI to parse.
 *
 *   npm run build && node dist/test/bench/audit.bench.js        (BENCH_CASES=… to shrink)
 */
import { randomUUID } from 'node:crypto';
import { PRIORITIES, type Priority } from '../../libs/case-domain/src';
import {
  canonicalEventContent,
  chainHash,
  createEventStore,
  genesisHash,
  type SqlDatabase,
} from '../../libs/event-store/src';
import { readQueueAsOf, takeAuditCheckpoint, verifyHashChains } from '../../libs/audit/src';
import { createTestDatabase } from '../../libs/testing/src/postgres';
// a deterministic pseudo-random stream, so every run loads the same history
import { seededRandom as random } from '../../libs/case-domain/src/testing/seeded-random';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const EVENTS_PER_CASE = 10;
const INSERT_BATCH = 5_000;
const LOADERS = 3;
const LANGUAGES = ['fr', 'en', 'de', 'es', 'it'];
const VENDORS = ['north-desk', 'south-desk', 'east-desk'];
const START = Date.parse('2026-01-05T08:00:00.000Z');
/** cases open one a minute; each takes a few hours to a few days */
const OPEN_EVERY_MS = 60_000;
const QUEUE = 'fr-P2';

interface Row {
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  data: string;
  metadata: string;
  recordedAt: string;
  hash: string;
}

/** One case's ten events, shaped as @app/case-domain writes them, chained as the store does. */
const caseRows = (n: number, next: () => number): Row[] => {
  const caseId = randomUUID();
  const streamId = `case-${caseId}`;
  const language = LANGUAGES[n % LANGUAGES.length];
  const priority = PRIORITIES[Math.floor(next() * 4)] as Priority;
  const lower = PRIORITIES[Math.min(3, PRIORITIES.indexOf(priority) + 1)];
  const agentId = `agent-${Math.floor(next() * 200)}`;
  const vendorId = VENDORS[Math.floor(next() * VENDORS.length)];
  let t = START + n * OPEN_EVERY_MS;
  const step = () => (t += Math.floor(5 * 60_000 + next() * 8 * 3_600_000));
  const admin = { id: `admin-${n % 977}`, role: 'support-admin', org: 'acme.example' };
  const agent = { id: agentId, role: 'agent', vendor: vendorId };
  const events: [string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      'Opened',
      {
        tenant: 'acme.example',
        requester: { id: admin.id, email: `${admin.id}@acme.example` },
        subject: `Case ${n}: SSO login fails`,
        description: 'Since 9:00 nobody in sales can sign in through SSO; the error says invalid assertion.',
        product: 'cloud-identity',
        language,
        channel: 'email',
        impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
        workaround: 'none',
        priority,
      },
      admin,
    ],
    [
      'Routed',
      {
        vendorId,
        queueId: `${language}-${priority}`,
        reason: 'follow-the-sun',
        trigger: 'opened',
        candidates: [{ vendorId, atWork: true }],
      },
      { id: 'system:router', role: 'system' },
    ],
    [
      'PriorityChanged',
      { from: priority, to: lower, reason: 'Only one user is affected.' },
      { id: 'sam', role: 'supervisor' },
    ],
    ['InfoRequested', { agentId, items: ['logs'], message: 'Please send the SAML trace.', firstResponse: true }, agent],
    [
      'InfoProvided',
      {
        message: 'Trace attached.',
        attachments: [{ name: 'trace.har', size: 2048, contentType: 'application/json', sha256: 'a'.repeat(64) }],
        endsWait: true,
      },
      admin,
    ],
    ['AgentAssigned', { agentId, forced: false }, agent],
    // (Routed replaced an AgentResponded here: ten events a case, the log keeps its size)
    ['Escalated', { target: 'product-team', reason: 'Assertion signature rejected by the IdP.' }, agent],
    ['Resolved', { outcome: 'solved', summary: 'The certificate rotation was rolled back.', cycle: 1 }, agent],
    ['SurveySent', { surveyId: randomUUID(), cycle: 1 }, { id: 'system:surveys', role: 'system' }],
    ['Closed', { outcome: 'solved', cycle: 1 }, { id: 'system:timer', role: 'system' }],
  ];
  let previous: Uint8Array = genesisHash(streamId);
  return events.map(([type, extra, actor], i) => {
    const at = new Date(i === 0 || type === 'Routed' ? t : step()).toISOString(); // routed as it opens
    const data = { caseId, at, byId: actor.id, ...extra };
    const metadata = { actor, tenant: 'acme.example', correlationId: randomUUID() };
    const version = i + 1;
    const canonical = canonicalEventContent({
      type,
      streamVersion: version,
      schemaVersion: 1,
      data,
      metadata,
      recordedAt: at,
    });
    const hash = chainHash(previous, canonical);
    previous = hash;
    return {
      streamId,
      version,
      eventId: randomUUID(),
      type,
      data: JSON.stringify(data),
      metadata: JSON.stringify(metadata),
      recordedAt: at,
      hash: hash.toString('hex'),
    };
  });
};

const INSERT = `INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, recorded_at, hash)
SELECT s, v, id, t, 1, d, m, r, decode(h, 'hex')
FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[], $7::timestamptz[], $8::text[]) AS u(s, v, id, t, d, m, r, h)`;

const insert = (db: SqlDatabase, rows: Row[]) =>
  db.query(INSERT, [
    rows.map((r) => r.streamId),
    rows.map((r) => r.version),
    rows.map((r) => r.eventId),
    rows.map((r) => r.type),
    rows.map((r) => r.data),
    rows.map((r) => r.metadata),
    rows.map((r) => r.recordedAt),
    rows.map((r) => r.hash),
  ]);

const load = async (db: SqlDatabase): Promise<number> => {
  const next = random(42);
  const casesPerBatch = INSERT_BATCH / EVENTS_PER_CASE;
  let n = 0;
  let loaded = 0;
  const loader = async () => {
    while (n < CASES) {
      const first = n;
      n = Math.min(CASES, n + casesPerBatch);
      const rows: Row[] = [];
      for (let c = first; c < n; c += 1) rows.push(...caseRows(c, next));
      await insert(db, rows);
      loaded += rows.length;
    }
  };
  await Promise.all(Array.from({ length: LOADERS }, loader));
  return loaded;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const main = async () => {
  const database = await createTestDatabase(DATABASE_URL);
  const { store, db } = await createEventStore({ databaseUrl: database.url, poolSize: LOADERS + 1 });
  try {
    let started = Date.now();
    const loaded = await load(db);
    const loadMs = Date.now() - started;
    await db.exec('VACUUM ANALYZE events');
    console.log(
      `audit bench: loaded ${loaded} events of ${CASES} cases in ${(loadMs / 1000).toFixed(1)} s (${Math.round((loaded / loadMs) * 1000)} events/s)`,
    );

    started = Date.now();
    const checkpoint = await takeAuditCheckpoint(store, db, { now: new Date() });
    const checkpointMs = Date.now() - started;
    console.log(
      checkpoint.taken
        ? `  checkpoint of ${checkpoint.checkpoint.streams} chains' heads   ${checkpointMs} ms`
        : `  no checkpoint: ${checkpoint.reason} (a transaction elsewhere on the server holds back the snapshot's xmin?)`,
    );

    started = Date.now();
    const report = await verifyHashChains(db, { databaseUrl: database.url });
    const verifyMs = Date.now() - started;
    if (!report.ok || report.events !== loaded + (checkpoint.taken ? 1 : 0))
      throw new Error(`verification failed: ${JSON.stringify(report.firstBreak ?? report)}`);
    const verifyEventsPerSec = Math.round((report.events / verifyMs) * 1000);
    console.log(
      `  verify ${report.events} events in ${report.streams} chains   ${verifyMs} ms, ${verifyEventsPerSec} events/s (checkpoint: ${report.checkpoint ? (report.checkpoint.matches ? 'matches' : 'MISMATCH') : 'none'})`,
    );

    const asOf = new Date(START + (CASES * OPEN_EVERY_MS) / 2);
    const runs: number[] = [];
    let size = 0;
    let replayed = 0;
    for (let run = 0; run < 3; run += 1) {
      started = Date.now();
      const queue = await readQueueAsOf(db, QUEUE, asOf);
      runs.push(Date.now() - started);
      size = queue.cases.length;
      replayed = queue.eventsReplayed;
    }
    const asOfQueueMs = median(runs);
    console.log(
      `  queue ${QUEUE} as of ${asOf.toISOString()}: ${size} cases, ${replayed} events replayed   ${runs.join(' / ')} ms (median ${asOfQueueMs})`,
    );
    console.log(
      JSON.stringify({ bench: 'audit', events: report.events, cases: CASES, verifyEventsPerSec, asOfQueueMs }),
    );
  } finally {
    await store.close();
    await database.drop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
