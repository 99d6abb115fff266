/**
 * The API on PostgreSQL while its database connections are cut again and again, by the
 * server (`pg_terminate_backend`, SQLSTATE 57P01), under load: writes and reads from a few
 * concurrent loops, with projections, timers and the re-router running in-process.
 * - no answer is a 500: each failure is a 503 `STORE.UNAVAILABLE` problem document with
 *   `Retry-After` (a lost connection is retriable);
 * - the API recovers by itself: the pool makes new connections, the listening connection
 *   re-LISTENs, the followers follow the log again, with no restart;
 * - nothing acknowledged is lost: every 2xx write is in the log at the version it
 *   answered, and a write whose first attempt failed answers from the log when retried with
 *   the same Idempotency-Key (its events once).
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import { createTestDatabase, describeWithService, waitFor, type TestDatabase } from '@app/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const versionOf = (r: request.Response) => Number(/^W\/"(\d+)"$/.exec(String(r.headers.etag))?.[1] ?? NaN);
const LOOPS = 4;
const OPERATIONS_PER_LOOP = 50; // 200 in all
/** the cuts are spread over the run: one after every this many answers */
const ANSWERS_PER_CUT = 6;
/** a write whose attempt failed is sent again, with its key, at most this many times */
const MAX_ATTEMPTS = 30;

interface Answer {
  readonly what: string;
  readonly status: number;
  readonly retryAfter?: string;
  readonly contentType?: string;
  readonly code?: unknown;
}

/** A write the API acknowledged (2xx): the log must hold it at that version, under that key. */
interface Acknowledged {
  readonly caseId: string;
  readonly key: string;
  readonly scope: string;
  readonly version: number;
  readonly types: readonly string[];
}

describeWithService('DATABASE_URL', 'PostgreSQL', 'the API while its database connections are cut', (serverUrl) => {
  let database: TestDatabase;
  let sql: Client;
  let t: ApiTestApp;
  let url: string;
  let tok: TestTokens;
  const http = () => request(url);

  beforeAll(async () => {
    database = await createTestDatabase(serverUrl);
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    tok = await testTokens();
    t = await startApiTestApp({
      AUTH_SECRET: TEST_AUTH_SECRET,
      DATABASE_URL: database.url,
      WORKERS_IN_PROCESS: 'true',
    });
    await t.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    // French cases go to north-desk, the agent's vendor (already there when the vendors file seeded it)
    const vendor = await http()
      .post('/v1/vendors')
      .set(as(tok.supervisor))
      .send({
        id: 'north-desk',
        name: 'North Desk (Paris)',
        languages: ['fr', 'en'],
        regions: ['emea'],
        calendarId: 'europe-paris',
      });
    expect([200, 201]).toContain(vendor.status);
  }, 120_000);

  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await sql?.end().catch(() => undefined);
    await database?.drop();
  }, 60_000);

  /** ends every session of the app on the test database (not this client's): pool, listener, followers */
  const cutConnections = async (): Promise<number> => {
    const { rows } = await sql.query<{ ended: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return rows.filter((r) => r.ended).length;
  };
  const listenerConnected = async () =>
    (
      await sql.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'event-store-listener'`,
      )
    ).rowCount! > 0;

  it('answers 503 with Retry-After (never 500), recovers by itself, and loses nothing it acknowledged', async () => {
    const answers: Answer[] = [];
    const acknowledged: Acknowledged[] = [];
    let retriedWrites = 0;
    const record = (what: string, r: request.Response) => {
      answers.push({
        what,
        status: r.status,
        retryAfter: r.headers['retry-after'],
        contentType: r.headers['content-type'],
        code: r.status >= 400 ? r.body?.code : undefined,
      });
      progress();
    };

    // the cutter: wakes after every ANSWERS_PER_CUT answers (not on a timer), until the loops are done
    let wake: () => void = () => undefined;
    const progress = () => {
      if (answers.length % ANSWERS_PER_CUT === 0) wake();
    };
    let loopsDone = false;
    const cuts: number[] = [];
    const cutter = (async () => {
      while (!loopsDone) {
        await new Promise<void>((resolve) => (wake = resolve));
        if (!loopsDone) cuts.push(await cutConnections());
      }
    })();

    /** a keyed write, sent again with its key after each failure until it is acknowledged */
    const write = async (what: string, send: () => request.Test, okStatus: number): Promise<request.Response> => {
      for (let attempt = 1; ; attempt += 1) {
        const r = await send();
        record(what, r);
        if (r.status === okStatus) {
          if (attempt > 1) retriedWrites += 1;
          return r;
        }
        if (r.status !== 503 || attempt >= MAX_ATTEMPTS)
          throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)} on attempt ${attempt}`);
      }
    };

    const loop = async (n: number) => {
      const openKey = `open-${n}-${randomUUID()}`;
      const opened = await write(
        'open',
        () => http().post('/v1/cases').set(as(tok.admin)).set('Idempotency-Key', openKey).send(openCaseBody),
        201,
      );
      const caseId = opened.body.id as string;
      acknowledged.push({
        caseId,
        key: openKey,
        scope: 'ana',
        version: versionOf(opened),
        types: ['Opened', 'Routed'],
      });
      const claimKey = `claim-${n}-${randomUUID()}`;
      const claimed = await write(
        'claim',
        () =>
          http().post(`/v1/cases/${caseId}/assignment`).set(as(tok.agent)).set('Idempotency-Key', claimKey).send({}),
        200,
      );
      acknowledged.push({ caseId, key: claimKey, scope: 'eve', version: versionOf(claimed), types: ['AgentAssigned'] });
      for (let i = 2; i < OPERATIONS_PER_LOOP; i += 1) {
        if (i % 2 === 0) {
          const key = `respond-${n}-${i}-${randomUUID()}`;
          const r = await write(
            'respond',
            () =>
              http()
                .post(`/v1/cases/${caseId}/responses`)
                .set(as(tok.agent))
                .set('Idempotency-Key', key)
                .send({ message: `Response ${i} of loop ${n}.` }),
            200,
          );
          acknowledged.push({ caseId, key, scope: 'eve', version: versionOf(r), types: ['AgentResponded'] });
        } else {
          const r = await http().get(`/v1/cases/${caseId}`).set(as(tok.agent));
          record('read', r);
          if (r.status === 200) {
            // a read never shows less than what was acknowledged on its case before it was sent
            const known = Math.max(...acknowledged.filter((a) => a.caseId === caseId).map((a) => a.version));
            expect(r.body.version).toBeGreaterThanOrEqual(known);
          }
        }
      }
    };

    try {
      await Promise.all(Array.from({ length: LOOPS }, (_, n) => loop(n)));
    } finally {
      loopsDone = true;
      wake();
      await cutter;
    }

    // no 500, ever; every failure a 503 problem document saying when to come back
    const failures = answers.filter((a) => a.status >= 300);
    expect(failures.filter((a) => a.status !== 503)).toEqual([]);
    for (const failure of failures)
      expect(failure).toEqual({
        what: failure.what,
        status: 503,
        retryAfter: '1',
        contentType: expect.stringMatching(/^application\/problem\+json/),
        code: 'STORE.UNAVAILABLE',
      });
    // a write that failed was sent again with its key until acknowledged
    expect(retriedWrites > 0).toBe(failures.some((a) => a.what !== 'read'));
    // the cuts did hit requests in flight (else this test proves nothing)
    expect(cuts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(failures.length).toBeGreaterThan(0);
    // every read that went through answered; every write was acknowledged in the end (below)
    expect(answers.filter((a) => a.what === 'read' && a.status === 200).length).toBeGreaterThan(0);

    // recovered by itself: once a request goes through, the next ones all do (new connections, no restart)
    await waitFor(
      async () => (await http().get('/health/ready')).status === 200,
      () => 'the API did not become ready again',
      { timeoutMs: 20_000 },
    );
    const caseIds = [...new Set(acknowledged.map((a) => a.caseId))];
    await waitFor(
      async () => (await http().get(`/v1/cases/${caseIds[0]}`).set(as(tok.agent))).status === 200,
      () => 'no read went through after the cuts',
      { timeoutMs: 20_000 },
    );
    for (const id of caseIds) {
      const after = await http()
        .post(`/v1/cases/${id}/responses`)
        .set(as(tok.agent))
        .send({ message: 'All good again.' });
      expect({ status: after.status, code: after.body.code }).toEqual({ status: 200, code: undefined });
      await http().get(`/v1/cases/${id}`).set(as(tok.agent)).expect(200);
    }

    // the listening connection is back (re-LISTENed), and the projections follow the log again
    await waitFor(listenerConnected, () => 'the event-store listener did not reconnect', { timeoutMs: 20_000 });
    const fresh = await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201);
    const listed = await http()
      .get(`/v1/cases?after=${fresh.headers['x-log-position']}&limit=200`)
      .set(as(tok.supervisor))
      .expect(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(fresh.body.id);

    // nothing acknowledged is lost: each keyed write is in its case's stream, at the version it answered, once
    const { rows } = await sql.query<{ key: string; stream_id: string; stream_version: string; event_type: string }>(
      `SELECT metadata->>'idempotencyKey' AS key, stream_id, stream_version, event_type FROM events
        WHERE metadata->>'idempotencyKey' = ANY($1) ORDER BY global_position`,
      [acknowledged.map((a) => a.key)],
    );
    const missing: string[] = [];
    for (const a of acknowledged) {
      const stored = rows.filter((r) => r.key === a.key);
      const expected = a.types.map((type, i) => ({
        stream_id: `case-${a.caseId}`,
        event_type: type,
        stream_version: String(a.version - a.types.length + 1 + i),
      }));
      const actual = stored.map(({ stream_id, event_type, stream_version }) => ({
        stream_id,
        event_type,
        stream_version,
      }));
      if (JSON.stringify(actual) !== JSON.stringify(expected))
        missing.push(`${a.key}: expected ${JSON.stringify(expected)}, log has ${JSON.stringify(actual)}`);
    }
    expect(missing).toEqual([]);
    expect(acknowledged).toHaveLength(LOOPS * (2 + (OPERATIONS_PER_LOOP - 2) / 2));
  }, 300_000);
});
