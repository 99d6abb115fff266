/**
 * HTTP benchmark: the API as deployed in server mode against a bare ceiling, with
 * autocannon, CONNECTIONS (16) keep-alive connections, BENCH_SECONDS (default 10) per round.
 *
 *   - the API: `node dist/apps/api/src/main.js` on PostgreSQL (a fresh database at
 *     DATABASE_URL's server), WORKERS_IN_PROCESS=false and the worker
 *     (`node dist/apps/worker/src/main.js`) in its own process, LOG_LEVEL=info, each
 *     process's log in a file of a temporary directory; local HS256 tokens signed with a
 *     fixed AUTH_SECRET (issueLocalToken, as `npm run token` does). A supervisor registers
 *     the example vendors first (config/vendors.json seeded them: each answers 200);
 *     `north-desk` is the only one speaking French, so every case of the workloads is routed to it, at work or not.
 *     Two workloads:
 *       open      POST /v1/cases, the open request of README.md's curl walk, as the support
 *                 admin (ana@acme.example, privilege support);
 *       respond   POST /v1/cases/{id}/responses {"message":…} as a north-desk agent, over
 *                 BENCH_CASES (default 256) cases opened and claimed by that agent just
 *                 before (new ones for each round); each connection has its own cases, taken
 *                 in turn, so no two requests in flight write one case. A write reads its
 *                 whole stream, so the cost of a response grows with the case's length: at
 *                 ~300 responses/s a case gets ~10 events in a 10 s round, as many as a
 *                 typical case has (bench:audit); 16 cases for a whole run would measure
 *                 streams of hundreds and drift down round after round.
 *                 No If-Match, no Idempotency-Key.
 *   - bare: bare-http-server.ts in its own process: Fastify, no auth, a `pg` Pool of the
 *     API's pool size, one route that parses the same open body and INSERTs one event row
 *     of the store's shape into another fresh database migrated with the store's migrations.
 *
 * BENCH_WORKER=off starts no worker: opens are routed by the API, responses need no read
 * model, so both workloads run, and the figures are the API's and PostgreSQL's own cost of a
 * write without the read models' upkeep (a diagnostic: the summary then says "worker":false;
 * the issue's figures are with the worker).
 *
 * After a warm-up of each, BENCH_ROUNDS (default 2) rounds of bare, open, respond alternate,
 * so that drift on a busy machine hits them alike. A rate is 2xx answers per second of a
 * round, a workload's rate the mean of its rounds, its p99 the worst round's (autocannon's
 * latency.p99); non2xx counts every API request of the measured rounds that did not get a
 * 2xx answer (non-2xx statuses, connection errors and timeouts).
 * Targets on a 2-core machine: openRatio and respondRatio ≥ 0.5, p99 ≤ 40 ms, non2xx = 0.
 * The last line is one JSON object for CI to parse:
 *   {"bench":"http","openPerSec":…,"respondPerSec":…,"barePerSec":…,"openRatio":…,
 *    "respondRatio":…,"openP99Ms":…,"respondP99Ms":…,"non2xx":…}
 *
 *   npm run bench:http          (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { issueLocalToken, type PrincipalClaims } from '../../libs/auth/src';
import { EXAMPLE_VENDORS } from '../../libs/case-domain/src';
import { EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS, migrate, PgDatabase } from '../../libs/event-store/src';
import { createTestDatabase } from '../../libs/testing/src/postgres';
import { DESK_ADMIN, DESK_AGENT, DESK_SUPERVISOR, OPEN_CASE_REQUEST } from '../../libs/testing/src/desk-people';
import { freePort } from '../../libs/testing/src/free-port';
import { waitFor } from '../../libs/testing/src/wait-for';

const CONNECTIONS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CASES = Number(process.env.BENCH_CASES ?? 256);
const WARMUP_SECONDS = Math.min(2, SECONDS);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** off: no worker process (see above) */
const WORKER = process.env.BENCH_WORKER !== 'off';
/** the API's pool: PgDatabase's default (libs/event-store/src/postgres/pg-database.ts), which the API does not change */
const API_POOL_SIZE = 10;
/** how long a process may take to start answering, and a setup request to answer */
const STARTUP_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 15_000;
const HOST = '127.0.0.1';
const ROOT = join(__dirname, '..', '..', '..');
const DIST = join(ROOT, 'dist');
const AUTH_SECRET = 'http-bench-local-token-secret-0123456789abcdef';

/** README.md's open request */
const OPEN_BODY = JSON.stringify(OPEN_CASE_REQUEST);
const RESPOND_BODY = JSON.stringify({
  message: 'Thanks for the trace. The assertion is signed with the old certificate; we are rolling it back.',
});
const [ADMIN, AGENT, SUPERVISOR] = [DESK_ADMIN, DESK_AGENT, DESK_SUPERVISOR];

// ── autocannon (it ships no types: the part used here) ────────────────────────────────
interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  onResponse?: (status: number, body: string) => void;
}
interface LoadClient {
  setRequests(requests: LoadRequest[]): void;
}
interface LoadOptions {
  url: string;
  connections: number;
  duration: number;
  requests: LoadRequest[];
  setupClient?: (client: LoadClient) => void;
  timeout?: number;
}
interface LoadResult {
  /** seconds */
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number; max: number };
  statusCodeStats: Record<string, { count: number }>;
}
const autocannon = createRequire(__filename)('autocannon') as (options: LoadOptions) => Promise<LoadResult>;

// ── processes ─────────────────────────────────────────────────────────────────────────
interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly log: string;
  exit?: string;
}
const children: Child[] = [];

const start = (name: string, script: string, env: Record<string, string>, log: string): Child => {
  const fd = openSync(log, 'a');
  try {
    const child: Child = {
      name,
      log,
      // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") goes to the API and the worker: to profile them
      process: spawn(
        process.execPath,
        [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), join(DIST, script)],
        {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
          stdio: ['ignore', fd, fd],
        },
      ),
    };
    child.process.once('exit', (code, signal) => (child.exit = signal ? `signal ${signal}` : `code ${code}`));
    child.process.once('error', (error) => (child.exit = `error ${error.message}`));
    children.push(child);
    return child;
  } finally {
    closeSync(fd); // the child holds its own copy
  }
};

const tail = async (log: string, lines = 15): Promise<string> => {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
};

/** Stops every child (SIGTERM, SIGKILL after 10 s) and waits for each to be gone. */
const stopChildren = async () => {
  await Promise.all(
    children.map(async (child) => {
      if (child.exit !== undefined || child.process.exitCode !== null || child.process.signalCode !== null) return;
      const gone = new Promise((resolve) => child.process.once('exit', resolve));
      child.process.kill('SIGTERM');
      const killed = await Promise.race([
        gone.then(() => true),
        sleep(10_000, undefined, { ref: false }).then(() => false),
      ]);
      if (!killed) {
        child.process.kill('SIGKILL');
        await Promise.race([gone, sleep(5_000, undefined, { ref: false })]);
      }
    }),
  );
};
// should the bench die without its clean-up, take the children with it
process.on('exit', () => {
  for (const child of children) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  }
});

/** What to undo at the end besides the children, last first (the temporary directory, the databases). */
const undo: (() => Promise<unknown>)[] = [];
let cleaning: Promise<void> | undefined;
/** Stops the children, shows their logs' ends when something failed, then undoes the rest; once. */
const cleanUp = (outcome: 'done' | 'failed' | 'interrupted') =>
  (cleaning ??= (async () => {
    await stopChildren();
    for (const child of children) {
      // a child that died on its own during the run is worth a look at its log too
      const died = child.exit !== undefined && !/^(signal SIGTERM|code 0)$/.test(child.exit);
      if (outcome === 'failed' || (outcome === 'done' && died)) {
        console.error(
          `--- ${child.name} (${child.exit ?? 'running'}), ${child.log} (last lines) ---\n${await tail(child.log)}`,
        );
      }
    }
    for (const step of undo.reverse()) {
      await step().catch((error: unknown) => console.error(`http bench: cleaning up: ${(error as Error).message}`));
    }
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`http bench: ${signal}: stopping the processes, dropping the databases`);
    void cleanUp('interrupted').finally(() => process.exit(130));
  });
}

/** Polls `url` until it answers 200 (bounded), failing at once if `child` exits. */
const waitUntilReady = async (child: Child, url: string) => {
  let last = 'no answer yet';
  await waitFor(
    async () => {
      if (child.exit !== undefined) throw new Error(`${child.name} exited (${child.exit}) before it was ready`);
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        last = `${res.status} ${(await res.text()).slice(0, 300)}`;
        return res.status === 200;
      } catch (error) {
        last = (error as Error).message;
        return false;
      }
    },
    () => `${child.name} did not answer 200 on ${url} (last: ${last})`,
    { timeoutMs: STARTUP_TIMEOUT_MS, intervalMs: 200 },
  );
};

/** Waits (bounded) for `line` in the child's log: the worker serves nothing on a port we know. */
const waitForLogLine = async (child: Child, line: string) => {
  await waitFor(
    async () => {
      if (child.exit !== undefined) throw new Error(`${child.name} exited (${child.exit}) before it started`);
      return (await readFile(child.log, 'utf8').catch(() => '')).includes(line);
    },
    () => `${child.name} did not log ${line}`,
    { timeoutMs: STARTUP_TIMEOUT_MS, intervalMs: 200 },
  );
};

// ── HTTP helpers ──────────────────────────────────────────────────────────────────────
const jsonHeaders = (token?: string): Record<string, string> => ({
  'content-type': 'application/json',
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

/** One setup request; anything but `expected` is an error naming the request and the answer. */
const call = async (base: string, path: string, token: string, body: string, expected: number[]) => {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: jsonHeaders(token),
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  if (!expected.includes(res.status)) throw new Error(`POST ${path} answered ${res.status}: ${text.slice(0, 500)}`);
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
};

/**
 * Opens a case as the admin and claims it as the agent; checks it went to the agent's vendor.
 * The open's answer is the customer's view, which never shows the routing (case-audience.ts):
 * the claim's answer, the agent's view, does.
 */
const openAndClaim = async (base: string, admin: string, agent: string): Promise<string> => {
  const id = String((await call(base, '/v1/cases', admin, OPEN_BODY, [201])).body.id);
  let claimed: Record<string, unknown> | undefined;
  // a case routed by the worker's re-router instead is the agent's too once that is written: 404 until then
  await waitFor(
    async () => {
      const answer = await call(base, `/v1/cases/${id}/assignment`, agent, '{}', [200, 404]);
      if (answer.status === 200) claimed = answer.body;
      return claimed !== undefined;
    },
    () => `the agent could not see case ${id} to claim it`,
    { timeoutMs: 10_000, intervalMs: 100 },
  );
  const routing = claimed?.routing as { vendorId?: string } | undefined;
  if (routing?.vendorId !== AGENT.vendor) {
    throw new Error(
      `case ${id} was routed to ${routing?.vendorId ?? 'no vendor'}, not ${AGENT.vendor}: ${JSON.stringify(routing)}`,
    );
  }
  return id;
};

// ── load ──────────────────────────────────────────────────────────────────────────────
interface Round {
  readonly perSec: number;
  readonly p99Ms: number;
  /** requests without a 2xx answer: statuses, errors, timeouts */
  readonly failed: number;
  readonly line: string;
}

/** The first answer that was not a 2xx, to say why in the round's line. */
let firstFailure: string | undefined;
const noteFailure = (status: number, body: string) => {
  if ((status < 200 || status > 299) && firstFailure === undefined) firstFailure = `${status} ${body.slice(0, 300)}`;
};

const load = async (
  url: string,
  requests: LoadRequest[],
  seconds: number,
  setupClient?: (client: LoadClient) => void,
): Promise<Round> => {
  firstFailure = undefined;
  const cpuBefore = cpuSeconds();
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, requests, setupClient, timeout: 10 });
  const cpu = cpuSeconds();
  const failed = r.non2xx + r.errors + r.timeouts;
  const perSec = Math.round(r['2xx'] / r.duration);
  const statuses = Object.entries(r.statusCodeStats)
    .map(([status, { count }]) => `${status}×${count}`)
    .join(' ');
  const line =
    `${String(perSec).padStart(6)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  max ${r.latency.max} ms` +
    `  non-2xx ${r.non2xx}  errors ${r.errors}  timeouts ${r.timeouts}` +
    (failed > 0 ? `  (statuses ${statuses}; first: ${firstFailure ?? 'none recorded'})` : '') +
    // where the machine's time went, in CPU milliseconds per answered request
    `  cpu ms/req: ${Object.entries(cpu)
      .map(([who, secs]) => `${who} ${(((secs - (cpuBefore[who] ?? 0)) * 1000) / Math.max(1, r['2xx'])).toFixed(2)}`)
      .join(' ')}`;
  return { perSec, p99Ms: r.latency.p99, failed, line };
};

/** PostgreSQL's backends come and go: each one's ticks since it was first seen, its last figure kept when it ends. */
const pgFirst = new Map<number, number>();
const pgLast = new Map<number, number>();
const pgTicks = (pid: number, now: number): void => {
  if (!pgFirst.has(pid)) pgFirst.set(pid, now);
  pgLast.set(pid, now);
};

/** CPU seconds used so far by each child process, by PostgreSQL's processes together, and by this one (autocannon). */
const cpuSeconds = (): Record<string, number> => {
  const ticks = (pid: number | string): number => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    } catch {
      return 0; // gone, or not Linux
    }
  };
  const HZ = 100;
  const out: Record<string, number> = {};
  for (const child of children) if (child.process.pid) out[child.name] = ticks(child.process.pid) / HZ;
  let postgres = 0;
  try {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d)))
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') pgTicks(Number(pid), ticks(pid));
    for (const [pid, last] of pgLast) postgres += last - (pgFirst.get(pid) as number);
  } catch {
    // not Linux: no figure
  }
  out.postgres = postgres / HZ;
  const self = process.cpuUsage();
  out.bench = (self.user + self.system) / 1e6;
  return out;
};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : 0);

// ── main ──────────────────────────────────────────────────────────────────────────────
const main = async () => {
  const settings = { BENCH_SECONDS: SECONDS, BENCH_ROUNDS: ROUNDS, BENCH_CASES: CASES };
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number from 1 (got ${value})`);
  }
  if (CASES < CONNECTIONS)
    throw new Error(`BENCH_CASES must be at least ${CONNECTIONS}: one case or more per connection`);
  const work = await mkdtemp(join(tmpdir(), 'http-bench-'));
  undo.push(() => rm(work, { recursive: true, force: true }));
  const database = async () => {
    const db = await createTestDatabase(DATABASE_URL);
    undo.push(() => db.drop());
    return db;
  };
  let outcome: 'done' | 'failed' = 'failed';
  try {
    const apiDb = await database();
    const bareDb = await database();
    const schema = new PgDatabase({ connectionString: bareDb.url });
    await migrate(schema, { component: EVENT_STORE_COMPONENT, migrations: EVENT_STORE_MIGRATIONS });
    await schema.close();

    const [apiPort, barePort] = [await freePort(), await freePort()];
    const env = {
      DATABASE_URL: apiDb.url,
      HOST,
      WORKERS_IN_PROCESS: 'false',
      LOG_LEVEL: 'info',
      AUTH_SECRET,
      DATA_DIR: join(work, 'data'),
      WORKER_METRICS_PORT: '0',
    };
    // BENCH_LOG_LEVEL (default info, the issue's setting) for the API, to see what its logging costs
    const apiEnv = { ...env, PORT: String(apiPort), LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' };
    const api = start('the API', 'apps/api/src/main.js', apiEnv, join(work, 'api.log'));
    const worker = WORKER
      ? start('the worker', 'apps/worker/src/main.js', { ...env, PORT: String(apiPort) }, join(work, 'worker.log'))
      : undefined;
    const bare = start(
      'the bare server',
      'test/bench/bare-http-server.js',
      { DATABASE_URL: bareDb.url, HOST, PORT: String(barePort), POOL_SIZE: String(API_POOL_SIZE) },
      join(work, 'bare.log'),
    );
    const apiUrl = `http://${HOST}:${apiPort}`;
    const bareUrl = `http://${HOST}:${barePort}`;
    await Promise.all([
      waitUntilReady(api, `${apiUrl}/health/ready`),
      waitUntilReady(bare, `${bareUrl}/health`),
      ...(worker ? [waitForLogLine(worker, '"msg":"worker started"')] : []),
    ]);

    const token = (claims: PrincipalClaims) => issueLocalToken(AUTH_SECRET, claims, { expiresIn: '2h' });
    const [admin, agent, supervisor] = await Promise.all([token(ADMIN), token(AGENT), token(SUPERVISOR)]);
    for (const vendor of EXAMPLE_VENDORS) {
      await call(apiUrl, '/v1/vendors', supervisor, JSON.stringify(vendor), [200, 201]);
    }
    // one of each by hand first: a refusal here says more than a round of failures
    const probe = await openAndClaim(apiUrl, admin, agent);
    await call(apiUrl, `/v1/cases/${probe}/responses`, agent, RESPOND_BODY, [200]);
    await call(bareUrl, '/events', '', OPEN_BODY, [201]);
    /** CASES new cases, opened and claimed by CONNECTIONS callers at a time */
    const claimedCases = async () => {
      const cases: string[] = [];
      let started = 0;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (started < CASES) {
            started += 1; // before the await: the other callers see it
            try {
              cases.push(await openAndClaim(apiUrl, admin, agent));
            } catch (error) {
              started = CASES; // the others stop too
              throw error;
            }
          }
        }),
      );
      return cases;
    };

    const openRequests: LoadRequest[] = [
      { method: 'POST', path: '/v1/cases', headers: jsonHeaders(admin), body: OPEN_BODY, onResponse: noteFailure },
    ];
    const bareRequests: LoadRequest[] = [
      { method: 'POST', path: '/events', headers: jsonHeaders(), body: OPEN_BODY, onResponse: noteFailure },
    ];
    const respondTo = (id: string): LoadRequest => ({
      method: 'POST',
      path: `/v1/cases/${id}/responses`,
      headers: jsonHeaders(agent),
      body: RESPOND_BODY,
      onResponse: noteFailure,
    });
    /** Responds over new cases: connection k takes cases k, k + 16, k + 32, … in turn, so no two share a case. */
    const respond = async (seconds: number) => {
      const cases = await claimedCases();
      let nextClient = 0;
      const ownCases = (client: LoadClient) => {
        const k = nextClient++ % CONNECTIONS;
        client.setRequests(cases.filter((_, i) => i % CONNECTIONS === k).map(respondTo));
      };
      return load(apiUrl, [respondTo(cases[0])], seconds, ownCases);
    };
    const workloads = {
      bare: () => load(bareUrl, bareRequests, SECONDS),
      open: () => load(apiUrl, openRequests, SECONDS),
      respond: () => respond(SECONDS),
    };

    console.log(
      `http bench: ${CONNECTIONS} connections, ${SECONDS} s per round, ${ROUNDS} rounds of bare, open, respond ` +
        `(after ${WARMUP_SECONDS} s of warm-up each); respond over ${CASES} new claimed cases each time; ` +
        `API on PostgreSQL ${WORKER ? 'with the worker in its own process' : 'WITHOUT a worker (BENCH_WORKER=off: no read model kept, a diagnostic)'}, ` +
        `LOG_LEVEL=info to a file; bare: Fastify + pg, pool ${API_POOL_SIZE}`,
    );
    const warm = [
      await load(bareUrl, bareRequests, WARMUP_SECONDS),
      await load(apiUrl, openRequests, WARMUP_SECONDS),
      await respond(WARMUP_SECONDS),
    ];
    console.log(`  warm-up: bare ${warm[0].perSec}/s, open ${warm[1].perSec}/s, respond ${warm[2].perSec}/s`);

    const results: Record<keyof typeof workloads, Round[]> = { bare: [], open: [], respond: [] };
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const name of ['bare', 'open', 'respond'] as const) {
        const r = await workloads[name]();
        results[name].push(r);
        console.log(`  round ${round} ${name.padEnd(7)} ${r.line}`);
      }
    }

    const perSec = (name: keyof typeof workloads) => Math.round(mean(results[name].map((r) => r.perSec)));
    const p99 = (name: keyof typeof workloads) => Math.max(...results[name].map((r) => r.p99Ms));
    const barePerSec = perSec('bare');
    const openPerSec = perSec('open');
    const respondPerSec = perSec('respond');
    const non2xx = [...results.open, ...results.respond].reduce((sum, r) => sum + r.failed, 0);
    const bareFailed = results.bare.reduce((sum, r) => sum + r.failed, 0);
    if (bareFailed > 0) console.log(`  note: the bare server failed ${bareFailed} requests (see the bare rounds)`);
    const summary = {
      bench: 'http',
      openPerSec,
      respondPerSec,
      barePerSec,
      openRatio: ratio(openPerSec, barePerSec),
      respondRatio: ratio(respondPerSec, barePerSec),
      openP99Ms: p99('open'),
      respondP99Ms: p99('respond'),
      non2xx,
      ...(WORKER ? {} : { worker: false }),
    };
    console.log(
      `  open ${openPerSec}/s (${summary.openRatio} of bare), respond ${respondPerSec}/s (${summary.respondRatio} of bare), ` +
        `bare ${barePerSec}/s; p99 open ${summary.openP99Ms} ms, respond ${summary.respondP99Ms} ms; non-2xx ${non2xx} ` +
        `(targets: ratios >= 0.5, p99 <= 40 ms, non-2xx 0)`,
    );
    console.log(JSON.stringify(summary));
    outcome = 'done';
  } catch (error) {
    console.error(error); // now: an interrupt's cleanup may end the process before main returns
    process.exitCode = 1;
  } finally {
    await cleanUp(outcome);
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
