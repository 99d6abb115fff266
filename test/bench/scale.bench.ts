/**
 * bench:scale (issue 16): a large desk's store, read by two hundred agents and a supervisor,
 * rebuilt, relayed and verified.
 *
 *   DATABASE_URL=postgres://…/scale npm run bench:scale
 *
 * The store is the PostgreSQL database of DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/scale); when it holds fewer than BENCH_CASES (default
 * 1,000,000) cases, `seedLarge` (seed-large.ts, resumable) adds the missing ones first. Then:
 *
 *  1. The read models the reads use (case-queue, case-reports) are caught up with the log:
 *     each runner's `catchUp` in this process (no worker: a worker's timers would fire the
 *     seeded cases' overdue clocks and append to the log).
 *  2. The API (`node dist/apps/api/src/main.js`, PostgreSQL, WORKERS_IN_PROCESS=false,
 *     LOG_LEVEL=info to a file, HELP_ARTICLES_FILE empty) starts on the store. At its first
 *     start on a seeded store it registers the starting vendors the log lacks (one stream of
 *     four events), as every API start does: the only events this bench appends.
 *  3. Agents' reads: BENCH_CONNECTIONS (default 200) keep-alive connections for BENCH_SECONDS
 *     (default 30) after a warm-up, each paced at BENCH_RATE requests/s (default 1, an agent
 *     clicking once a second) in ten groups started evenly over a second, autocannon, local
 *     tokens of the agents of the four example vendors (each its own languages), split in
 *     three loads that run at the same time:
 *       list   GET /v1/queues                  an agent's queues with their counts (listP99Ms)
 *       queue  GET /v1/queues/{id}?limit=50    a page of one of the agent's queues, the first
 *                                              or the next one (keyset cursor) (queueP99Ms)
 *       case   GET /v1/cases/{id}              a case routed to the agent's vendor, among
 *                                              BENCH_SAMPLE_CASES (default 2,000) picked at
 *                                              random from the store (caseP99Ms)
 *     a third of the connections each (the case load takes the remainder).
 *  4. A supervisor's reports over a year (the last 365 days of the seeded span, [2025-12-01,
 *     2026-12-01)): REPORT_CONNECTIONS (2) connections for BENCH_SECONDS, each request one of
 *     the case reports in turn, grouped by each report's default (reportP99Ms), each computed
 *     afresh (its year ends a second earlier than the last one's: no cached answer).
 *  Before the reads, on a server with autovacuum off, VACUUM (ANALYZE) as autovacuum would.
 *  5. The throughput part (scale/throughput.ts): audit verification of every chain, a full
 *     rebuild of every projection from event 1, the Kafka relay against a raw kafkajs producer
 *     (KAFKA_BROKERS, default 127.0.0.1:9092; BENCH_KAFKA=off skips it: relayRatio null).
 *
 * A p99 is autocannon's latency.p99 of the measured round; any read without a 2xx answer (a
 * status, an error, a timeout of 10 s) fails the bench after its last line (it says which). Targets on a 2-core machine: queue, list and case p99 ≤ 50 ms,
 * report p99 ≤ 500 ms, rebuild and verify ≥ 100,000 events/s, relayRatio ≥ 0.8.
 * The last line is one JSON object:
 *   {"bench":"scale","cases":…,"events":…,"queueP99Ms":…,"listP99Ms":…,"caseP99Ms":…,
 *    "reportP99Ms":…,"rebuildEventsPerSec":…,"relayRatio":…,"verifyEventsPerSec":…,"rssMb":…}
 * BENCH_THROUGHPUT=off skips step 5 (its figures null), to measure the reads alone;
 * BENCH_CATCH_UP=off skips step 1 and says how far behind the log each of those read models is.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { issueLocalToken, type PrincipalClaims } from '../../libs/auth/src';
import { createEventStore } from '../../libs/event-store/src';
import { ProjectionRunner } from '../../libs/projections/src';
import { SlaService } from '../../libs/sla/src';
import { freePort } from '../../libs/testing/src/free-port';
import { waitFor } from '../../libs/testing/src/wait-for';
import { allProjections } from '../../libs/workers/src/projections';
import { measureThroughput, type ThroughputFigures } from './scale/throughput';
import { seedLarge } from './seed-large';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/scale';
const CASES = Number(process.env.BENCH_CASES ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const SAMPLE_CASES = Number(process.env.BENCH_SAMPLE_CASES ?? 2_000);
/** requests per second each agent's connection sends: an agent clicking once a second, all day */
const RATE = Number(process.env.BENCH_RATE ?? 1);
const REPORT_CONNECTIONS = 2;
/** each agents' load runs as this many groups of connections, started evenly over a second */
const STAGGER_GROUPS = 10;
const WARMUP_SECONDS = Math.min(5, SECONDS);
const THROUGHPUT = process.env.BENCH_THROUGHPUT !== 'off';
/** off: the reads run against the read models as they stand (kept current elsewhere), their lag said */
const CATCH_UP = process.env.BENCH_CATCH_UP !== 'off';
const KAFKA = process.env.BENCH_KAFKA !== 'off';
const HOST = '127.0.0.1';
const ROOT = join(__dirname, '..', '..', '..');
const DIST = join(ROOT, 'dist');
const AUTH_SECRET = 'scale-bench-local-token-secret-0123456789abcdef';
const STARTUP_TIMEOUT_MS = 120_000;
/** a hang guard for the catch-up of a freshly seeded store (millions of events per projection) */
const CATCH_UP_TIMEOUT_MS = 3 * 3600_000;
/** events per batch of the catch-up: larger than a worker's (500), for a store seeded behind the read models' back */
const CATCH_UP_BATCH = 5_000;
/** the year the supervisor's reports cover: the last 365 days of seed-large's span */
const REPORT_FROM = '2025-12-01T00:00:00Z';
const REPORT_TO = '2026-12-01T00:00:00Z';
const REPORTS = [
  'first-response-time',
  'sla-attainment',
  'outcomes',
  'escalation-rate',
  'customer-wait',
  'csat',
  'credits',
  'reopen-rate',
  'backlog',
];

/** The agents: one of each example vendor, with that vendor's languages (config/vendors.json). */
const AGENTS: readonly PrincipalClaims[] = [
  { vendor: 'north-desk', languages: ['fr', 'en'], regions: ['emea'], sub: 'eve@north.example' },
  { vendor: 'south-desk', languages: ['de', 'en'], regions: ['emea'], sub: 'uwe@south.example' },
  { vendor: 'east-desk', languages: ['ja', 'en'], regions: ['apac'], sub: 'kim@east.example' },
  { vendor: 'west-desk', languages: ['es', 'en'], regions: ['amer'], sub: 'raj@west.example' },
].map((a) => ({ role: 'agent', email: a.sub, ...a }) as PrincipalClaims);
const SUPERVISOR: PrincipalClaims = { role: 'supervisor', sub: 'sam@support.example', email: 'sam@support.example' };

// ── autocannon (it ships no types: the part used here) ────────────────────────────────
interface LoadRequest {
  method: 'GET';
  path: string;
  headers: Record<string, string>;
  onResponse?: (status: number, body: string) => void;
  setupRequest?: (request: LoadRequest) => LoadRequest;
}
interface LoadClient {
  setRequests(requests: LoadRequest[]): void;
}
interface LoadResult {
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p90: number; p99: number; max: number };
}
interface LoadOptions {
  url: string;
  connections: number;
  duration: number;
  /** requests per second per connection (paced); unpaced without */
  connectionRate?: number;
  ignoreCoordinatedOmission?: boolean;
  /** the result keeps its histograms encoded, for `aggregateResult` to merge several runs */
  skipAggregateResult?: boolean;
  requests: LoadRequest[];
  setupClient?: (client: LoadClient) => void;
  timeout?: number;
}
const autocannon = createRequire(__filename)('autocannon') as ((options: LoadOptions) => Promise<LoadResult>) & {
  aggregateResult(results: LoadResult[], options: Pick<LoadOptions, 'url' | 'connections'>): LoadResult;
};

// ── the API process ───────────────────────────────────────────────────────────────────
let api: { process: ChildProcess; log: string; exit?: string } | undefined;
const undo: (() => Promise<unknown>)[] = [];

const startApi = (env: Record<string, string>, log: string) => {
  const fd = openSync(log, 'a');
  try {
    const child = spawn(process.execPath, [join(DIST, 'apps/api/src/main.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
      stdio: ['ignore', fd, fd],
    });
    const started: NonNullable<typeof api> = { process: child, log };
    child.once('exit', (code, signal) => (started.exit = signal ? `signal ${signal}` : `code ${code}`));
    api = started;
    return started;
  } finally {
    closeSync(fd);
  }
};

const stopApi = async () => {
  const child = api?.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  if (!(await Promise.race([gone.then(() => true), sleep(10_000, false, { ref: false })]))) child.kill('SIGKILL');
};
process.on('exit', () => {
  if (api && api.process.exitCode === null && api.process.signalCode === null) api.process.kill('SIGKILL');
});

const tail = async (log: string, lines = 20) =>
  (await readFile(log, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-lines).join('\n');

// ── steps ─────────────────────────────────────────────────────────────────────────────
const say = (line: string) => console.log(line);

/** Cases and events in the store: one pass over `events`. */
const storeSize = async (): Promise<{ cases: number; events: number }> => {
  const { store, db } = await createEventStore({ databaseUrl: DATABASE_URL, poolSize: 1 });
  try {
    const { rows } = await db.query<{ cases: string; events: string }>(
      `SELECT count(*) FILTER (WHERE stream_version = 1 AND stream_id LIKE 'case-%') AS cases, count(*) AS events
         FROM events`,
    );
    return { cases: Number(rows[0].cases), events: Number(rows[0].events) };
  } finally {
    await store.close();
  }
};

const sla = () =>
  SlaService.load({
    calendarsDir: join(ROOT, 'config', 'calendars'),
    policyFile: join(ROOT, 'config', 'sla-policy.json'),
  });

/** the read models the measured reads use: the queues' (lists and pages) and the reports' (a case is read from its stream) */
const READ_MODELS = ['case-queue', 'case-reports'];

/**
 * The read models the reads use caught up with the log's head, both at once (each runner's
 * batches keep one PostgreSQL backend busy), with their lag as they go. The others (case
 * summaries, help articles, intakes) are not read here; the rebuild of the throughput part
 * builds every one.
 */
const catchUpReadModels = async () => {
  const projections = allProjections(sla()).filter((p) => READ_MODELS.includes(p.name));
  const handle = await createEventStore({ databaseUrl: DATABASE_URL, poolSize: 2 * projections.length });
  try {
    await Promise.all(
      projections.map(async (projection) => {
        const runner = new ProjectionRunner(projection, {
          store: handle.store,
          db: handle.db,
          batchSize: CATCH_UP_BATCH,
          onError: (e) => console.error(`  ${projection.name}: ${e.message}`),
        });
        const started = performance.now();
        await runner.prepare();
        const before = await runner.lag();
        const progress = setInterval(() => {
          void runner
            .lag()
            .then((lag) => say(`  catching up ${projection.name}: ${lag.events} events behind`))
            .catch(() => undefined);
        }, 60_000);
        try {
          await runner.catchUp({ timeoutMs: CATCH_UP_TIMEOUT_MS });
        } finally {
          clearInterval(progress);
        }
        say(
          `  ${projection.name.padEnd(15)} caught up: ${before.events} events applied in ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
      }),
    );
  } finally {
    await handle.store.close();
  }
};

/**
 * A server with autovacuum off (as this machine's is) never vacuums nor analyses what the
 * seed and the catch-up wrote: plans without statistics, index-only scans reading the heap
 * (a vendor's queue counts 135 ms instead of 4 ms). No production server runs so: do what
 * autovacuum would have done, once (later runs find little left to do).
 */
const vacuumIfAutovacuumOff = async () => {
  const { store, db } = await createEventStore({ databaseUrl: DATABASE_URL, poolSize: 1 });
  try {
    const { rows } = await db.query<{ autovacuum: string }>('SHOW autovacuum');
    if (rows[0].autovacuum === 'on') return;
    const started = performance.now();
    await db.query('VACUUM (ANALYZE)');
    say(
      `autovacuum is off on this server: VACUUM (ANALYZE) as it would have run, ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await store.close();
  }
};

/** How far behind the log each read model the reads use stands (BENCH_CATCH_UP=off). */
const sayLag = async () => {
  const handle = await createEventStore({ databaseUrl: DATABASE_URL, poolSize: 2 });
  try {
    for (const projection of allProjections(sla()).filter((p) => READ_MODELS.includes(p.name))) {
      const runner = new ProjectionRunner(projection, { store: handle.store, db: handle.db });
      const lag = await runner.lag();
      say(
        `  ${projection.name.padEnd(15)} not caught up by this run (BENCH_CATCH_UP=off): ${lag.events} events behind the log`,
      );
    }
  } finally {
    await handle.store.close();
  }
};

interface Sample {
  /** per agent (index in AGENTS): the agent's queue ids, and cases routed to its vendor it may read */
  readonly queues: string[][];
  readonly cases: string[][];
}

/** What the agents will ask for: their queues (from the API) and cases of their vendors, picked at random. */
const sample = async (base: string, tokens: string[]): Promise<Sample> => {
  const queues = await Promise.all(
    tokens.map(async (token, i) => {
      const res = await fetch(`${base}/v1/queues`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`GET /v1/queues for ${AGENTS[i].sub} answered ${res.status}`);
      const { items } = (await res.json()) as { items: { id: string; count: number }[] };
      const held = items.filter((q) => q.count > 0).map((q) => q.id);
      if (held.length === 0) throw new Error(`${AGENTS[i].sub} has no queue holding a case: the read models are empty`);
      return held;
    }),
  );
  const { store, db } = await createEventStore({ databaseUrl: DATABASE_URL, poolSize: 1 });
  try {
    const cases = await Promise.all(
      AGENTS.map(async (agent) => {
        const claims = agent as PrincipalClaims & { vendor: string; languages: string[] };
        // the case summaries hold the language; the queue rows the vendor a case is routed to now
        const { rows } = await db.query<{ case_id: string }>(
          `SELECT case_id FROM case_queue
            WHERE vendor_id = $1 AND split_part(language, '-', 1) = ANY($2::text[])
            ORDER BY random() LIMIT $3`,
          [claims.vendor, claims.languages, Math.ceil(SAMPLE_CASES / AGENTS.length)],
        );
        if (rows.length === 0) throw new Error(`no case routed to ${claims.vendor} in the sample`);
        return rows.map((r) => r.case_id);
      }),
    );
    return { queues, cases };
  } finally {
    await store.close();
  }
};

/** The first answer that was not a 2xx, to say why. */
let firstFailure: string | undefined;
const noteFailure = (status: number, body: string) => {
  if ((status < 200 || status > 299) && firstFailure === undefined) firstFailure = `${status} ${body.slice(0, 300)}`;
};

interface Measured {
  readonly name: string;
  readonly result: LoadResult;
}

const line = ({ name, result: r }: Measured) =>
  `  ${name.padEnd(7)} ${String(Math.round(r['2xx'] / r.duration)).padStart(6)} req/s  p50 ${r.latency.p50} ms  p90 ${r.latency.p90} ms  p99 ${r.latency.p99} ms  max ${r.latency.max} ms  non-2xx ${r.non2xx}  errors ${r.errors}  timeouts ${r.timeouts}`;

const failures = (measured: readonly Measured[]) =>
  measured.reduce((n, { result: r }) => n + r.non2xx + r.errors + r.timeouts, 0);

/**
 * The agents' three loads at once, CONNECTIONS in all: connection k is agent k mod 4's, and
 * asks for its lists, its queues' pages (the first, then the next by the cursor the previous
 * answer gave, starting again at the end) or its cases, in turn.
 */
const agentsRead = async (base: string, tokens: string[], s: Sample, seconds: number): Promise<Measured[]> => {
  const headers = (agent: number) => ({ authorization: `Bearer ${tokens[agent]}` });
  const clients = (perClient: (agent: number) => LoadRequest[]) => {
    let next = 0;
    return (client: LoadClient) => client.setRequests(perClient(next++ % AGENTS.length));
  };
  const listOf = (agent: number): LoadRequest[] => [
    { method: 'GET', path: '/v1/queues', headers: headers(agent), onResponse: noteFailure },
  ];
  const pagesOf = (agent: number): LoadRequest[] => {
    // one request that follows its own cursor through the agent's queues
    let queue = 0;
    let cursor: string | undefined;
    const path = () =>
      `/v1/queues/${s.queues[agent][queue]}?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    return [
      {
        method: 'GET',
        path: path(),
        headers: headers(agent),
        setupRequest: (request) => ({ ...request, path: path() }),
        onResponse: (status, body) => {
          noteFailure(status, body);
          const next = status === 200 ? (JSON.parse(body) as { nextCursor?: string }).nextCursor : undefined;
          // a few pages deep at most, as an agent looks; then the next queue
          if (next && Math.random() < 0.7) cursor = next;
          else {
            cursor = undefined;
            queue = (queue + 1) % s.queues[agent].length;
          }
        },
      },
    ];
  };
  const casesOf = (agent: number): LoadRequest[] => {
    const ids = s.cases[agent];
    let at = Math.floor(Math.random() * ids.length);
    return [
      {
        method: 'GET',
        path: `/v1/cases/${ids[at]}`,
        headers: headers(agent),
        setupRequest: (request) => ({ ...request, path: `/v1/cases/${ids[(at = (at + 1) % ids.length)]}` }),
        onResponse: noteFailure,
      },
    ];
  };
  const third = Math.floor(CONNECTIONS / 3);
  const loads: [string, number, (agent: number) => LoadRequest[]][] = [
    ['list', third, listOf],
    ['queue', third, pagesOf],
    ['case', CONNECTIONS - 2 * third, casesOf],
  ];
  const results = await Promise.all(
    loads.map(async ([, connections, perClient]) => {
      const setupClient = clients(perClient);
      // autocannon paces each connection with a one-second interval started with the
      // connection, so the connections of one run all send in the same instant: staggered
      // groups spread the agents' clicks over the second, as real agents' are
      const n = Math.min(STAGGER_GROUPS, connections);
      const groups = Array.from(
        { length: n },
        (_, g) => Math.floor(((g + 1) * connections) / n) - Math.floor((g * connections) / n),
      );
      const runs = await Promise.all(
        groups.map(async (size, g) => {
          await sleep(Math.round((g * 1000) / RATE / groups.length));
          return autocannon({
            url: base,
            connections: size,
            duration: seconds,
            connectionRate: RATE,
            // its coordinated-omission correction takes 1/rate (seconds) for milliseconds: off
            ignoreCoordinatedOmission: true,
            skipAggregateResult: true,
            requests: perClient(0),
            setupClient,
            timeout: 10,
          });
        }),
      );
      return autocannon.aggregateResult(runs, { url: base, connections });
    }),
  );
  return loads.map(([name], i) => ({ name, result: results[i] }));
};

/** reports asked so far, the warm-up's too: no two requests ask for the same period */
let reportRequests = 0;

/**
 * A supervisor's reports over a year, REPORT_CONNECTIONS at a time, each request the next
 * report. Each is computed afresh: the API keeps a report while its read model stands still
 * (CheckpointCache), which the log of a working desk never does, so each request's year ends
 * one second before the previous one's of the same report.
 */
const supervisorReads = async (base: string, token: string, seconds: number): Promise<Measured> => {
  const path = () => {
    const n = reportRequests++;
    const to = new Date(Date.parse(REPORT_TO) - Math.floor(n / REPORTS.length) * 1000).toISOString();
    return `/v1/reports/${REPORTS[n % REPORTS.length]}?from=${encodeURIComponent(REPORT_FROM)}&to=${encodeURIComponent(to)}`;
  };
  const request: LoadRequest = {
    method: 'GET',
    path: path(),
    headers: { authorization: `Bearer ${token}` },
    setupRequest: (r) => ({ ...r, path: path() }),
    onResponse: noteFailure,
  };
  const result = await autocannon({
    url: base,
    connections: REPORT_CONNECTIONS,
    duration: seconds,
    requests: [request],
    timeout: 30,
  });
  return { name: 'report', result };
};

// ── main ──────────────────────────────────────────────────────────────────────────────
const main = async () => {
  for (const [name, value] of Object.entries({
    BENCH_CASES: CASES,
    BENCH_SECONDS: SECONDS,
    BENCH_CONNECTIONS: CONNECTIONS,
    BENCH_SAMPLE_CASES: SAMPLE_CASES,
    BENCH_RATE: RATE,
  }))
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number from 1 (got ${value})`);
  if (CONNECTIONS < 3) throw new Error('BENCH_CONNECTIONS must be at least 3: one per load');
  const work = await mkdtemp(join(tmpdir(), 'scale-bench-'));
  undo.push(() => rm(work, { recursive: true, force: true }));
  let outcome: 'done' | 'failed' = 'failed';
  try {
    const store = new URL(DATABASE_URL);
    say(`scale bench: store ${store.host}${store.pathname}, ${CASES} cases wanted`);
    let size = await storeSize();
    say(`  the store holds ${size.cases} cases, ${size.events} events`);
    if (size.cases < CASES) {
      say(`  seeding the missing cases (seed-large, resumable) up to ${CASES}`);
      let last = 0;
      await seedLarge({
        databaseUrl: DATABASE_URL,
        cases: CASES,
        onProgress: (p) => {
          if (p.done || Date.now() - last > 30_000) {
            last = Date.now();
            say(`  seed-large: ${p.cases}/${CASES} cases, ${p.events} events written, ${p.eventsPerSec} events/s`);
          }
        },
      });
      size = await storeSize();
      say(`  the store now holds ${size.cases} cases, ${size.events} events`);
    }

    say(`read models: ${CATCH_UP ? 'catching up with the log' : 'as they stand'} (${READ_MODELS.join(', ')})`);
    if (CATCH_UP) await catchUpReadModels();
    else await sayLag();

    const port = await freePort();
    const base = `http://${HOST}:${port}`;
    const child = startApi(
      {
        DATABASE_URL,
        HOST,
        PORT: String(port),
        WORKERS_IN_PROCESS: 'false',
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
        AUTH_SECRET,
        DATA_DIR: join(work, 'data'),
        // no help article seeded into the store: the reads do not use them
        HELP_ARTICLES_FILE: '',
      },
      join(work, 'api.log'),
    );
    // live, not ready: ready counts every read model's lag, seconds at millions of events behind
    let last = 'no answer yet';
    await waitFor(
      async () => {
        if (child.exit !== undefined) throw new Error(`the API exited (${child.exit}) before it was ready`);
        try {
          const res = await fetch(`${base}/health/live`, { signal: AbortSignal.timeout(2_000) });
          last = `${res.status}`;
          return res.status === 200;
        } catch (error) {
          last = (error as Error).message;
          return false;
        }
      },
      () => `the API did not answer 200 on /health/live (last: ${last})`,
      { timeoutMs: STARTUP_TIMEOUT_MS, intervalMs: 250 },
    );
    // the API's start may have registered the starting vendors: fold them in too
    if (CATCH_UP) await catchUpReadModels();
    await vacuumIfAutovacuumOff();

    const token = (claims: PrincipalClaims) => issueLocalToken(AUTH_SECRET, claims, { expiresIn: '4h' });
    const tokens = await Promise.all(AGENTS.map(token));
    const supervisor = await token(SUPERVISOR);
    const s = await sample(base, tokens);
    say(
      `agents' reads: ${CONNECTIONS} connections (list, queue, case: a third each), each ${RATE} request/s, ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up; ` +
        `${AGENTS.length} agents (${AGENTS.map((a) => (a as { vendor: string }).vendor).join(', ')}), ` +
        `${s.queues.reduce((n, q) => n + q.length, 0)} queues, ${s.cases.reduce((n, c) => n + c.length, 0)} sampled cases`,
    );
    firstFailure = undefined;
    await agentsRead(base, tokens, s, WARMUP_SECONDS);
    firstFailure = undefined;
    const agents = await agentsRead(base, tokens, s, SECONDS);
    for (const m of agents) say(line(m));
    say(
      `a supervisor's reports over [${REPORT_FROM}, ${REPORT_TO}): ${REPORT_CONNECTIONS} connections, ${SECONDS} s, ` +
        `${REPORTS.length} reports in turn, each computed afresh (no two over the same period)`,
    );
    await supervisorReads(base, supervisor, WARMUP_SECONDS);
    const report = await supervisorReads(base, supervisor, SECONDS);
    say(line(report));
    const failed = failures([...agents, report]);
    const failure = firstFailure;
    await stopApi();

    let throughput: ThroughputFigures | undefined;
    if (THROUGHPUT) {
      say('throughput: audit verification, a full rebuild of every projection, the Kafka relay against raw kafkajs');
      throughput = await measureThroughput(DATABASE_URL, { brokers: KAFKA ? undefined : null, log: say });
    }
    const p99 = (name: string) => agents.find((m) => m.name === name)?.result.latency.p99 ?? null;
    const summary = {
      bench: 'scale',
      cases: size.cases,
      events: size.events,
      queueP99Ms: p99('queue'),
      listP99Ms: p99('list'),
      caseP99Ms: p99('case'),
      reportP99Ms: report.result.latency.p99,
      rebuildEventsPerSec: throughput?.summary.rebuildEventsPerSec ?? null,
      relayRatio: throughput?.summary.relayRatio ?? null,
      verifyEventsPerSec: throughput?.summary.verifyEventsPerSec ?? null,
      rssMb: throughput?.summary.rssMb ?? null,
    };
    say(
      `  targets: queue, list, case p99 <= 50 ms; report p99 <= 500 ms; rebuild, verify >= 100000 events/s; relayRatio >= 0.8`,
    );
    console.log(JSON.stringify(summary));
    // the figures are printed either way; a read that got no 2xx answer (a status, an error, a timeout) fails the run
    if (failed > 0) throw new Error(`${failed} reads failed (first: ${failure ?? 'a connection error or timeout'})`);
    outcome = 'done';
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await stopApi();
    if (outcome === 'failed' && api)
      console.error(`--- the API (${api.exit ?? 'running'}), last lines ---\n${await tail(api.log)}`);
    for (const step of undo.reverse()) await step().catch(() => undefined);
  }
};

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void stopApi().finally(() => process.exit(130));
  });

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
