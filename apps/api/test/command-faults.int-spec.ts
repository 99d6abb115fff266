/**
 * The write path (CommandBus → ChangeCaseHandler → StreamWriter, Idempotency-Key through
 * WriteInterceptor and IdempotencyService) under faults, on PostgreSQL:
 * - the answer of a committed write is lost (its idempotency_keys row deleted, the response
 *   failing after the commit): a retry with the same key is answered from the log, also for
 *   a key older than the keys the writer remembers per stream; a key reused with another
 *   request is refused (422), on the same case or another one, with its row or without it;
 * - the database connection is cut mid-request, by a TCP proxy between the app and
 *   PostgreSQL, once after the INSERT committed (the app never hears it) and once as the
 *   app sends it (nothing committed): the retry is true to the log; the same for the
 *   INSERT of the answer into idempotency_keys; and a held INSERT makes two processes
 *   decide the same keyed write, deterministically;
 * - the same keyed request many times at once, in one process and in two (two apps on one
 *   database: two processes' handlers, caches and queues): one copy of the events, one answer;
 * - 50 writes without If-Match on one case through two apps: all accepted, none lost; a
 *   stale If-Match is refused.
 */
import { randomUUID } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import { newCaseId } from '@app/commands';
import { createTestDatabase, describeWithService, waitFor } from '@app/testing';
import { APPEND_MANY, APPEND_ONE, INSERT_MANY, INSERT_ONE } from '../../../libs/event-store/src/event-store.sql';
import { CaseViews } from '../src/cases/case-views';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET } from './tokens';

const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const etag = (version: number) => `W/"${version}"`;
const versionOf = (r: request.Response) => Number(/^W\/"(\d+)"$/.exec(String(r.headers.etag))?.[1] ?? NaN);
const replayed = (r: request.Response) => r.headers['idempotent-replayed'] === 'true';
const northDesk = {
  id: 'north-desk',
  name: 'North Desk (Paris)',
  languages: ['fr', 'en'],
  regions: ['emea'],
  calendarId: 'europe-paris',
};
const escalation = (reason = 'The IdP rejects every assertion since the certificate rotation.') => ({
  target: 'product-team',
  reason,
});

interface RecordedCaseEvent {
  type: string;
  version: number;
  metadata: Record<string, unknown>;
}

/** An API app that listens on a port of its own: requests in parallel never share supertest's start/stop of a server. */
interface RunningApi {
  readonly t: ApiTestApp;
  readonly url: string;
  http(): ReturnType<typeof request>;
}

const startListening = async (env: Record<string, string>): Promise<RunningApi> => {
  const t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET, ...env });
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return { t, url, http: () => request(url) };
};

/**
 * One suite's world: a fresh database, `count` apps on it (the first reached through
 * `firstUrl` when given: the proxy), a pg client for what the log holds, and north-desk
 * registered (seeded from config/vendors.json), so that French cases are routed to the agent's vendor.
 */
const startWorld = async (serverUrl: string, count: number, firstUrl?: (databaseUrl: string) => Promise<string>) => {
  const database = await createTestDatabase(serverUrl);
  const sql = new Client({ connectionString: database.url });
  const tok = await testTokens();
  const apps: RunningApi[] = [];
  const close = async () => {
    await Promise.all(apps.map((a) => a.t.close().catch(() => undefined)));
    await sql.end().catch(() => undefined);
    await database.drop();
  };
  try {
    await sql.connect();
    for (let i = 0; i < count; i += 1) {
      const url = i === 0 && firstUrl ? await firstUrl(database.url) : database.url;
      apps.push(await startListening({ DATABASE_URL: url }));
      // the vendor before the second app starts: its directory reads the log on its first use
      // (config/vendors.json has seeded it already: the same details again answer 200, nothing written)
      if (i === 0)
        await apps[0]
          .http()
          .post('/v1/vendors')
          .set(as(tok.supervisor))
          .send(northDesk)
          .expect((r) => expect([200, 201]).toContain(r.status));
    }
  } catch (error) {
    await close(); // what did start, so that a failed beforeAll leaves nothing behind
    throw error;
  }
  const world = {
    database,
    sql,
    tok,
    apps,
    close,
    /** a case opened without a key (fr, P1: routed to north-desk) */
    async open(app: RunningApi = apps[0]): Promise<string> {
      const r = await app.http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201);
      return r.body.id as string;
    },
    /** the case's events as the auditor reads them (from the stream) */
    async history(id: string, app: RunningApi = apps[apps.length - 1]): Promise<RecordedCaseEvent[]> {
      const r = await app.http().get(`/v1/cases/${id}/events`).set(as(tok.auditor)).expect(200);
      return r.body.events as RecordedCaseEvent[];
    },
    /** every event in the database written under the caller's key: stream and type, in log order */
    async underKey(
      key: string,
      scope: string,
    ): Promise<{ stream_id: string; event_type: string; stream_version: string }[]> {
      const { rows } = await sql.query(
        `SELECT stream_id, event_type, stream_version FROM events
         WHERE metadata->>'idempotencyKey' = $1 AND metadata->>'idempotencyScope' = $2 ORDER BY global_position`,
        [key, scope],
      );
      return rows;
    },
    async forgetAnswer(key: string, scope: string): Promise<number> {
      const { rowCount } = await sql.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2', [scope, key]);
      return rowCount ?? 0;
    },
  };
  return world;
};
type World = Awaited<ReturnType<typeof startWorld>>;

const countOf = (events: readonly RecordedCaseEvent[], type: string) => events.filter((e) => e.type === type).length;

// ---------------------------------------------------------------------------------------
// A PostgreSQL wire-protocol aware TCP proxy that cuts one connection at a chosen moment.
// ---------------------------------------------------------------------------------------

/**
 * What happens to the next INSERT into events: the connection is cut after the server
 * committed it, or before it reaches the server; or the INSERT is held back until released.
 */
type CutMode = 'after-commit' | 'before-send' | 'hold';
type InsertTarget = 'events' | 'idempotency_keys';
interface Cut {
  readonly mode: CutMode;
  /** the frontend message that named the INSERT: P (Parse, with the SQL text), B (Bind, by statement name), Q */
  readonly trigger: string;
  /** after-commit: the server completed the INSERT and was ready again (Sync: committed) before the cut */
  committed: boolean;
  /** the connection is closed on both sides (hold: the INSERT was passed on) */
  done: boolean;
}

interface WireMessage {
  /** undefined for the untyped startup-phase messages */
  readonly type?: string;
  readonly bytes: Buffer;
}

/** no message of ours comes near this; a longer one means the stream is not what we think: cut it */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/** Splits one direction of a PostgreSQL connection into whole protocol messages. */
class WireReader {
  private buffer: Buffer = Buffer.alloc(0);
  /** single bytes expected before the next message (the answers to SSLRequest / GSSENCRequest) */
  rawBytes = 0;
  /** after an accepted SSL/GSS request the stream is opaque: passed on as it comes */
  opaque = false;

  constructor(private untyped: boolean) {}

  push(chunk: Buffer, onRequest: (code: number) => void): WireMessage[] | Buffer {
    if (this.opaque) return chunk;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: WireMessage[] = [];
    for (;;) {
      if (this.rawBytes > 0) {
        if (this.buffer.length < 1) break;
        const answer = this.buffer.subarray(0, 1);
        out.push({ type: '', bytes: answer });
        this.buffer = this.buffer.subarray(1);
        this.rawBytes -= 1;
        if (answer[0] === 0x53 /* S */ || answer[0] === 0x47 /* G */) {
          this.opaque = true;
          if (this.buffer.length > 0) out.push({ bytes: this.buffer });
          this.buffer = Buffer.alloc(0);
          break;
        }
        continue;
      }
      if (this.untyped) {
        if (this.buffer.length < 8) break;
        const length = this.buffer.readInt32BE(0);
        if (length < 8 || length > MAX_MESSAGE_BYTES) throw new Error(`bad startup message length ${length}`);
        if (this.buffer.length < length) break;
        const code = this.buffer.readInt32BE(4);
        out.push({ bytes: this.buffer.subarray(0, length) });
        this.buffer = this.buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) onRequest(code);
        else this.untyped = false;
        continue;
      }
      if (this.buffer.length < 5) break;
      const length = this.buffer.readInt32BE(1);
      if (length < 4 || length > MAX_MESSAGE_BYTES) throw new Error(`bad message length ${length}`);
      if (this.buffer.length < 1 + length) break;
      out.push({ type: String.fromCharCode(this.buffer[0]), bytes: this.buffer.subarray(0, 1 + length) });
      this.buffer = this.buffer.subarray(1 + length);
    }
    return out;
  }
}

/**
 * Between the app and PostgreSQL. Passes everything on until armed; armed, it acts on the
 * first connection that sends an INSERT into the armed table (events: the event store's
 * prepared statements by name, or the SQL text; idempotency_keys: the service's statement
 * name or its SQL text), then disarms:
 * - after-commit: the INSERT goes to the server; the server's replies are held back and,
 *   on its ReadyForQuery (the implicit transaction committed at Sync), both sockets are
 *   destroyed: committed, and the app never hears it;
 * - before-send: both sockets are destroyed before the INSERT is passed on: nothing committed;
 * - hold: the INSERT and what follows it on that connection wait for `release()`.
 */
class PgFaultProxy {
  readonly cuts: Cut[] = [];
  private readonly links = new Set<{ client: Socket; server: Socket }>();
  private armed?: CutMode;
  private armedFor: InsertTarget = 'events';
  /** passes on what a 'hold' keeps back */
  private readonly holds: (() => void)[] = [];
  private static readonly MAX_LINKS = 64;
  private readonly markers: Record<InsertTarget, Buffer[]>;

  private constructor(
    private readonly upstream: { host: string; port: number },
    private readonly server: Server,
  ) {
    this.markers = {
      events: [
        ...[INSERT_ONE, INSERT_MANY, APPEND_ONE, APPEND_MANY].map((s) => Buffer.from(`${s.name}\0`)),
        Buffer.from('INSERT INTO events'),
      ],
      // IdempotencyService.keep (apps/api/src/http/idempotency.service.ts)
      idempotency_keys: [Buffer.from('idempotency_keep\0'), Buffer.from('INSERT INTO idempotency_keys')],
    };
    server.on('connection', (client: Socket) => this.accept(client));
  }

  static async start(upstream: { host: string; port: number }): Promise<PgFaultProxy> {
    const server = createServer();
    const proxy = new PgFaultProxy(upstream, server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `databaseUrl` with the proxy's address in place of the server's */
  via(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  arm(mode: CutMode, target: InsertTarget = 'events'): void {
    this.armed = mode;
    this.armedFor = target;
  }

  disarm(): void {
    this.armed = undefined;
  }

  /** a held INSERT is waiting to be released */
  get holding(): boolean {
    return this.holds.length > 0;
  }

  /** passes every held INSERT on to the server */
  release(): void {
    for (const pass of this.holds.splice(0)) pass();
  }

  async close(): Promise<void> {
    this.disarm();
    this.holds.splice(0);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const link of this.links) {
      link.client.destroy();
      link.server.destroy();
    }
    this.links.clear();
    await closed;
  }

  private isInsert(message: WireMessage): boolean {
    if (message.type !== 'P' && message.type !== 'B' && message.type !== 'Q') return false;
    return this.markers[this.armedFor].some((marker) => message.bytes.includes(marker));
  }

  private accept(client: Socket): void {
    if (this.links.size >= PgFaultProxy.MAX_LINKS) {
      client.destroy();
      return;
    }
    const server = connect(this.upstream.port, this.upstream.host);
    const link = { client, server };
    this.links.add(link);
    client.setNoDelay(true);
    server.setNoDelay(true);
    const fromClient = new WireReader(true);
    const fromServer = new WireReader(false);
    let replyHeldFor: Cut | undefined; // after-commit: replies held back until ReadyForQuery
    let held: Buffer[] | undefined; // hold: what the client sent from the INSERT on
    let completed = false;
    let failed = false;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      client.destroy();
      server.destroy();
      this.links.delete(link);
    };
    for (const socket of [client, server]) {
      socket.on('error', end);
      socket.on('close', end);
    }

    client.on('data', (chunk: Buffer) => {
      let messages: WireMessage[] | Buffer;
      try {
        messages = fromClient.push(chunk, () => (fromServer.rawBytes += 1));
      } catch {
        return end();
      }
      if (Buffer.isBuffer(messages)) return void server.write(messages);
      const out: Buffer[] = [];
      for (const message of messages) {
        if (this.armed && !replyHeldFor && !held && this.isInsert(message)) {
          const cut: Cut = { mode: this.armed, trigger: message.type ?? '?', committed: false, done: false };
          this.armed = undefined;
          this.cuts.push(cut);
          if (cut.mode === 'before-send') {
            end();
            cut.done = true;
            return;
          }
          if (cut.mode === 'hold') {
            held = [];
            this.holds.push(() => {
              const bytes = held ?? [];
              held = undefined;
              if (!ended) server.write(Buffer.concat(bytes));
              cut.done = true;
            });
          } else replyHeldFor = cut;
        }
        if (held) held.push(message.bytes);
        else out.push(message.bytes);
      }
      if (out.length > 0) server.write(out.length === 1 ? out[0] : Buffer.concat(out));
    });

    server.on('data', (chunk: Buffer) => {
      let messages: WireMessage[] | Buffer;
      try {
        messages = fromServer.push(chunk, () => undefined);
      } catch {
        return end();
      }
      if (Buffer.isBuffer(messages)) return void client.write(messages);
      const out: Buffer[] = [];
      for (const message of messages) {
        if (replyHeldFor) {
          if (message.type === 'C') completed = true;
          if (message.type === 'E') failed = true;
          if (message.type === 'Z') {
            replyHeldFor.committed = completed && !failed;
            end();
            replyHeldFor.done = true;
            return;
          }
          continue; // held back: the app never hears of its INSERT
        }
        out.push(message.bytes);
      }
      if (out.length > 0) client.write(out.length === 1 ? out[0] : Buffer.concat(out));
    });
  }
}

describeWithService('DATABASE_URL', 'PostgreSQL', 'the write path under faults, on PostgreSQL', (serverUrl) => {
  describe('the answer of a committed write is lost', () => {
    let w: World;
    let a: RunningApi;
    let b: RunningApi;
    const ANA = 'ana';
    const EVE = 'eve';

    beforeAll(async () => {
      w = await startWorld(serverUrl, 2);
      [a, b] = w.apps;
    });
    afterAll(() => w?.close(), 60_000);
    afterEach(() => jest.restoreAllMocks());

    const escalate = (app: RunningApi, id: string, key: string | undefined, body: object = escalation()) => {
      const req = app.http().post(`/v1/cases/${id}/escalations`).set(as(w.tok.agent));
      return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
    };

    it('its idempotency_keys row deleted: the retry is answered from the log (200, same ETag and body, the change once, Idempotent-Replayed)', async () => {
      const id = await w.open();
      const key = `esc-${randomUUID()}`;
      const first = await escalate(a, id, key).expect(200);
      expect(first.body.escalations).toHaveLength(1);
      expect(replayed(first)).toBe(false);
      const version = versionOf(first);
      expect(version).toBe((await w.history(id)).length);

      expect(await w.forgetAnswer(key, EVE)).toBe(1);
      // the same process (its cache of the case remembers the key)
      const again = await escalate(a, id, key).expect(200);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(replayed(again)).toBe(true);
      expect(again.body).toEqual(first.body);

      // another process, which never saw the case: from the stream alone
      await w.forgetAnswer(key, EVE);
      const elsewhere = await escalate(b, id, key).expect(200);
      expect(elsewhere.headers.etag).toBe(first.headers.etag);
      expect(replayed(elsewhere)).toBe(true);
      expect(elsewhere.body).toEqual(first.body);
      expect(elsewhere.body.escalations).toHaveLength(1);

      const events = await w.history(id);
      expect(countOf(events, 'Escalated')).toBe(1);
      expect(events).toHaveLength(version);
      expect(await w.underKey(key, EVE)).toEqual([
        { stream_id: `case-${id}`, event_type: 'Escalated', stream_version: String(version) },
      ]);
    });

    it('a replay after later writes answers the state right after the keyed write, not the current one', async () => {
      const id = await w.open();
      const key = `esc-${randomUUID()}`;
      const first = await escalate(a, id, key).expect(200);
      await escalate(a, id, undefined, escalation('A second, unkeyed escalation.')).expect(200);
      await w.forgetAnswer(key, EVE);
      for (const app of [a, b]) {
        const again = await escalate(app, id, key).expect(200);
        expect(again.headers.etag).toBe(first.headers.etag);
        expect(again.body).toEqual(first.body);
        expect(again.body.escalations).toHaveLength(1);
        await w.forgetAnswer(key, EVE);
      }
      expect(countOf(await w.history(id), 'Escalated')).toBe(2);
    });

    it('a key reused with another body is refused (422 IDEMPOTENCY.KEY_REUSED): with its row, and without it (from the log)', async () => {
      const id = await w.open();
      const key = `esc-${randomUUID()}`;
      const first = await escalate(a, id, key).expect(200);
      const other = escalation('Another reason entirely.');

      const withRow = await escalate(a, id, key, other).expect(422);
      expect(withRow.body.code).toBe('IDEMPOTENCY.KEY_REUSED');

      expect(await w.forgetAnswer(key, EVE)).toBe(1);
      for (const app of [a, b]) {
        const fromLog = await escalate(app, id, key, other).expect(422);
        expect(fromLog.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
      }
      // the key's own request still gets its answer, and nothing else was written
      const own = await escalate(b, id, key).expect(200);
      expect(own.headers.etag).toBe(first.headers.etag);
      expect(replayed(own)).toBe(true);
      const events = await w.history(id);
      expect(countOf(events, 'Escalated')).toBe(1);
      expect(events).toHaveLength(versionOf(first));
    });

    it('a key reused on another case after its row was deleted is refused (422), not written and not a 503', async () => {
      // the key's event ids derive from (caller, key, index): the other case's write would take ids already in the log
      const first = await w.open();
      const second = await w.open();
      const key = `esc-${randomUUID()}`;
      await escalate(a, first, key).expect(200);
      const withRow = await escalate(a, second, key).expect(422);
      expect(withRow.body.code).toBe('IDEMPOTENCY.KEY_REUSED');

      expect(await w.forgetAnswer(key, EVE)).toBe(1);
      const withoutRow = await escalate(b, second, key);
      expect({ status: withoutRow.status, code: withoutRow.body.code }).toEqual({
        status: 422,
        code: 'IDEMPOTENCY.KEY_REUSED',
      });
      expect(countOf(await w.history(second), 'Escalated')).toBe(0);
      expect(countOf(await w.history(first), 'Escalated')).toBe(1);
    });

    it('the response fails after the commit (500): the retry answers 200 with the version the log holds, the change once', async () => {
      const id = await w.open();
      const key = `esc-${randomUUID()}`;
      const of = jest.spyOn(CaseViews.prototype, 'of').mockImplementationOnce(() => {
        throw new Error('the view failed after the commit');
      });
      const failed = await escalate(a, id, key);
      expect(failed.status).toBe(500);
      expect(of).toHaveBeenCalledTimes(1);
      of.mockRestore();

      // committed, although its caller got a 500
      const events = await w.history(id);
      expect(countOf(events, 'Escalated')).toBe(1);
      for (const app of [a, b]) {
        const retry = await escalate(app, id, key).expect(200);
        expect(retry.headers.etag).toBe(etag(events.length));
        expect(retry.body.version).toBe(events.length);
        expect(retry.body.escalations).toHaveLength(1);
        expect(replayed(retry)).toBe(true);
        await w.forgetAnswer(key, EVE);
      }
      expect(await w.history(id)).toHaveLength(events.length);
      expect(await w.underKey(key, EVE)).toHaveLength(1);
    });

    it('a keyed open whose response fails after the commit (500): the retry is a 201 with the same case, and the key opened one case', async () => {
      const key = `open-${randomUUID()}`;
      const expectedId = newCaseId({ scope: ANA, key, fingerprint: '' });
      const of = jest.spyOn(CaseViews.prototype, 'of').mockImplementationOnce(() => {
        throw new Error('the view failed after the commit');
      });
      const failed = await a
        .http()
        .post('/v1/cases')
        .set(as(w.tok.admin))
        .set('Idempotency-Key', key)
        .send(openCaseBody);
      expect(failed.status).toBe(500);
      expect(of).toHaveBeenCalledTimes(1);
      of.mockRestore();

      const written = await w.underKey(key, ANA);
      expect(written.map((e) => [e.stream_id, e.event_type])).toEqual([
        [`case-${expectedId}`, 'Opened'],
        [`case-${expectedId}`, 'Routed'],
      ]);
      for (const app of [a, b]) {
        const retry = await app
          .http()
          .post('/v1/cases')
          .set(as(w.tok.admin))
          .set('Idempotency-Key', key)
          .send(openCaseBody)
          .expect(201);
        expect(retry.body.id).toBe(expectedId);
        expect(retry.headers.location).toBe(`/v1/cases/${expectedId}`);
        expect(retry.headers.etag).toBe(etag(2));
        expect(replayed(retry)).toBe(true);
        expect(retry.body).not.toHaveProperty('routing'); // the customer's view (case-audience.ts)
        await w.forgetAnswer(key, ANA);
      }
      expect(await w.underKey(key, ANA)).toEqual(written);
      expect((await w.history(expectedId)).map((e) => e.type)).toEqual(['Opened', 'Routed']);
    });
    it('a keyed write with more than 256 keyed writes after it on its case, its row deleted: the retry is answered from the log, once', async () => {
      // the writer remembers the last 256 keys of a stream; an older key must still be found (its events are in the stream)
      const id = await w.open();
      const respond = (app: RunningApi, key: string, message: string) =>
        app.http().post(`/v1/cases/${id}/responses`).set(as(w.tok.agent)).set('Idempotency-Key', key).send({ message });
      const oldKey = `old-${randomUUID()}`;
      const first = await respond(a, oldKey, 'The first answer.').expect(200);
      for (let batch = 0; batch < 8; batch += 1) {
        const answers = await Promise.all(
          Array.from({ length: 33 }, (_, i) =>
            respond(a, `later-${batch}-${i}-${randomUUID()}`, `Later answer ${batch}.${i}.`),
          ),
        );
        expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
      }
      const before = (await w.history(id)).length;
      expect(before).toBe(versionOf(first) + 8 * 33);

      expect(await w.forgetAnswer(oldKey, EVE)).toBe(1);
      for (const app of [b, a]) {
        // a liveness guard, not a budget: a correct answer takes milliseconds, the fault is an answer that never comes
        const retry = await respond(app, oldKey, 'The first answer.')
          .timeout({ response: 20_000 })
          .then(
            (r) => ({ status: r.status, etag: r.headers.etag, replayed: replayed(r) }),
            (e: Error) => ({ status: `no answer: ${e.message}`, etag: undefined, replayed: undefined }),
          );
        expect(retry).toEqual({ status: 200, etag: first.headers.etag, replayed: true });
        await w.forgetAnswer(oldKey, EVE);
      }
      expect(await w.underKey(oldKey, EVE)).toHaveLength(1);
      expect(await w.history(id)).toHaveLength(before);
    });
  });

  describe('the database connection is cut in the middle of a keyed write', () => {
    let w: World;
    let proxy: PgFaultProxy;
    let p: RunningApi; // the app behind the proxy
    let d: RunningApi; // another process, connected directly
    const EVE = 'eve';
    const ANA = 'ana';

    beforeAll(async () => {
      const server = new URL(serverUrl);
      proxy = await PgFaultProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
      w = await startWorld(serverUrl, 2, async (url) => proxy.via(url));
      [p, d] = w.apps;
      // the agent's first request records it in the agent directory (an append of its own):
      // done here, so that the armed cuts below hit the writes under test
      await p.http().get(`/v1/cases/${randomUUID()}`).set(as(w.tok.agent)).expect(404);
    });
    afterAll(async () => {
      proxy?.disarm();
      await w?.close();
      await proxy?.close();
    });
    afterEach(() => {
      proxy.disarm();
      proxy.release();
    });

    const escalate = (id: string, key: string | undefined, body: object = escalation()) => {
      const req = p.http().post(`/v1/cases/${id}/escalations`).set(as(w.tok.agent));
      return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
    };
    const logVersion = async (id: string) =>
      Number(
        (
          await w.sql.query(`SELECT COALESCE(MAX(stream_version), 0) AS v FROM events WHERE stream_id = $1`, [
            `case-${id}`,
          ])
        ).rows[0].v,
      );
    it('cut after the INSERT committed: no 2xx with a wrong version; the retry answers from the log, the change once; the app recovers', async () => {
      const id = await w.open(p);
      const before = await logVersion(id);
      const key = `esc-${randomUUID()}`;
      const cutsBefore = proxy.cuts.length;
      proxy.arm('after-commit');
      const cutRequest = await escalate(id, key);
      const cut = await waitFor(
        () =>
          proxy.cuts.length > cutsBefore && proxy.cuts[proxy.cuts.length - 1].done
            ? proxy.cuts[proxy.cuts.length - 1]
            : undefined,
        () => `no cut (answer ${cutRequest.status} ${JSON.stringify(cutRequest.body)})`,
      );
      expect(cut).toMatchObject({ mode: 'after-commit', committed: true });
      expect(await logVersion(id)).toBe(before + 1);
      // the cut request's answer may be an error (5xx) or the truth; never a 2xx with another version
      expect(
        cutRequest.status >= 500 ||
          (cutRequest.status === 200 &&
            versionOf(cutRequest) === before + 1 &&
            cutRequest.body.escalations.length === 1),
      ).toBe(true);

      const retry = await escalate(id, key).expect(200);
      expect(retry.headers.etag).toBe(etag(before + 1));
      expect(retry.body.escalations).toHaveLength(1);
      expect(replayed(retry)).toBe(true);
      expect(await w.underKey(key, EVE)).toHaveLength(1);

      // by itself: the next write, unkeyed, goes through on the (re-read) case
      const next = await escalate(id, undefined, escalation('Still failing.')).expect(200);
      expect(next.headers.etag).toBe(etag(before + 2));
      expect(countOf(await w.history(id), 'Escalated')).toBe(2);
    });

    it('cut as the app sends the INSERT (nothing committed): not a 2xx; the retry writes it once; the app recovers', async () => {
      const id = await w.open(p);
      const before = await logVersion(id);
      const key = `esc-${randomUUID()}`;
      const cutsBefore = proxy.cuts.length;
      proxy.arm('before-send');
      const cutRequest = await escalate(id, key);
      const cut = await waitFor(
        () => (proxy.cuts.length > cutsBefore ? proxy.cuts[proxy.cuts.length - 1] : undefined),
        () => `no cut (answer ${cutRequest.status} ${JSON.stringify(cutRequest.body)})`,
      );
      expect(cut.mode).toBe('before-send');
      expect(await logVersion(id)).toBe(before);
      expect(await w.underKey(key, EVE)).toEqual([]);
      expect(cutRequest.status).toBeGreaterThanOrEqual(500);

      const retry = await escalate(id, key).expect(200);
      expect(retry.headers.etag).toBe(etag(before + 1));
      expect(retry.body.escalations).toHaveLength(1);
      expect(replayed(retry)).toBe(false);
      const again = await escalate(id, key).expect(200);
      expect(again.headers.etag).toBe(etag(before + 1));
      expect(replayed(again)).toBe(true);
      expect(await w.underKey(key, EVE)).toHaveLength(1);

      await escalate(id, undefined, escalation('Still failing.'))
        .expect(200)
        .expect('etag', etag(before + 2));
      expect(countOf(await w.history(id), 'Escalated')).toBe(2);
    });

    it('a keyed open cut after its INSERT committed, then one cut before: each retry is a 201 with the key’s case, written once', async () => {
      const post = (key: string) =>
        p.http().post('/v1/cases').set(as(w.tok.admin)).set('Idempotency-Key', key).send(openCaseBody);
      for (const mode of ['after-commit', 'before-send'] as const) {
        const key = `open-${mode}-${randomUUID()}`;
        const expectedId = newCaseId({ scope: ANA, key, fingerprint: '' });
        const cutsBefore = proxy.cuts.length;
        proxy.arm(mode);
        const cutRequest = await post(key);
        const cut = await waitFor(
          () =>
            proxy.cuts.length > cutsBefore && proxy.cuts[proxy.cuts.length - 1].done
              ? proxy.cuts[proxy.cuts.length - 1]
              : undefined,
          () => `no cut in ${mode} (answer ${cutRequest.status})`,
        );
        expect(cut.mode).toBe(mode);
        if (mode === 'after-commit') expect(cut.committed).toBe(true);
        expect((await w.underKey(key, ANA)).length).toBe(mode === 'after-commit' ? 2 : 0);
        // a 201 for the cut request would have to name the key's case at the log's version
        expect(
          cutRequest.status >= 500 ||
            (cutRequest.status === 201 && cutRequest.body.id === expectedId && versionOf(cutRequest) === 2),
        ).toBe(true);

        const retry = await post(key).expect(201);
        expect(retry.body.id).toBe(expectedId);
        expect(retry.headers.etag).toBe(etag(2));
        expect(replayed(retry)).toBe(mode === 'after-commit');
        const written = await w.underKey(key, ANA);
        expect(written.map((e) => [e.stream_id, e.event_type])).toEqual([
          [`case-${expectedId}`, 'Opened'],
          [`case-${expectedId}`, 'Routed'],
        ]);
      }
      // and an unkeyed open still works
      await w.open(p);
    });

    it('the write of the answer to idempotency_keys is cut: the answer is still the write’s (200), and a retry is answered from the log', async () => {
      const id = await w.open(p);
      const before = await logVersion(id);
      for (const mode of ['before-send', 'after-commit'] as const) {
        const key = `keep-${mode}-${randomUUID()}`;
        const cutsBefore = proxy.cuts.length;
        proxy.arm(mode, 'idempotency_keys');
        const answer = await escalate(id, key);
        await waitFor(
          () => proxy.cuts.length > cutsBefore && proxy.cuts[proxy.cuts.length - 1].done,
          () => `no cut of the idempotency_keys INSERT (answer ${answer.status})`,
        );
        // the answer is kept at best: the write committed, and its caller hears so
        expect(answer.status).toBe(200);
        const version = await logVersion(id);
        expect(answer.headers.etag).toBe(etag(version));
        const rows = await w.sql.query('SELECT 1 FROM idempotency_keys WHERE scope = $1 AND key = $2', [EVE, key]);
        expect(rows.rowCount).toBe(mode === 'before-send' ? 0 : 1);

        const retry = await escalate(id, key).expect(200);
        expect(retry.headers.etag).toBe(etag(version));
        expect(retry.body).toEqual(answer.body);
        expect(replayed(retry)).toBe(true);
        expect(await w.underKey(key, EVE)).toHaveLength(1);
      }
      expect(await logVersion(id)).toBe(before + 2);
    });

    it('two processes decide the same keyed write; the one whose INSERT lands second answers from the first one’s copy', async () => {
      const id = await w.open(d);
      const before = await logVersion(id);
      for (const path of ['escalations', 'responses'] as const) {
        const key = `${path}-${randomUUID()}`;
        const body = path === 'escalations' ? escalation() : { message: 'We are on it.' };
        const send = (app: RunningApi) =>
          app.http().post(`/v1/cases/${id}/${path}`).set(as(w.tok.agent)).set('Idempotency-Key', key).send(body);
        proxy.arm('hold');
        // p decides on the case as it stands and sends its INSERT, which the proxy holds back…
        const late = send(p).then((r) => r);
        await waitFor(
          () => proxy.holding,
          () => 'the INSERT of the app behind the proxy was not held',
        );
        // …while d, deciding the same, appends first
        const first = await send(d).expect(200);
        expect(replayed(first)).toBe(false);
        proxy.release();
        const second = await late;
        expect(second.status).toBe(200);
        expect(second.headers.etag).toBe(first.headers.etag);
        expect(second.body).toEqual(first.body);
        expect(replayed(second)).toBe(true);
        expect(await w.underKey(key, EVE)).toHaveLength(1);
      }
      expect(await logVersion(id)).toBe(before + 2);
      // p goes on writing on the case as the log holds it
      await escalate(id, undefined, escalation('One more.'))
        .expect(200)
        .expect('etag', etag(before + 3));
    });

    it('the proxy cut only the connections it was armed for', () => {
      expect(proxy.cuts.map((c) => c.mode)).toEqual([
        'after-commit',
        'before-send',
        'after-commit',
        'before-send',
        'before-send',
        'after-commit',
        'hold',
        'hold',
      ]);
      expect(proxy.cuts.every((c) => c.done)).toBe(true);
      // the INSERT was recognised by its SQL text (Parse) or by its prepared statement's name (Bind)
      expect(proxy.cuts.every((c) => c.trigger === 'P' || c.trigger === 'B')).toBe(true);
    });
  });

  describe('one key, many copies at once; many writes without If-Match', () => {
    let w: World;
    let a: RunningApi;
    let b: RunningApi;
    const ANA = 'ana';
    const EVE = 'eve';

    beforeAll(async () => {
      w = await startWorld(serverUrl, 2);
      [a, b] = w.apps;
    });
    afterAll(() => w?.close(), 60_000);

    const openKeyed = (app: RunningApi, key: string) =>
      app.http().post('/v1/cases').set(as(w.tok.admin)).set('Idempotency-Key', key).send(openCaseBody);
    const escalateKeyed = (app: RunningApi, id: string, key: string) =>
      app
        .http()
        .post(`/v1/cases/${id}/escalations`)
        .set(as(w.tok.agent))
        .set('Idempotency-Key', key)
        .send(escalation());
    const sameAnswer = (answers: request.Response[], status: number) => {
      expect(answers.map((r) => r.status)).toEqual(answers.map(() => status));
      expect(new Set(answers.map((r) => r.headers.etag)).size).toBe(1);
      for (const r of answers) expect(r.body).toEqual(answers[0].body);
      // one of them wrote; every other one is the replay of its answer
      expect(answers.filter((r) => !replayed(r))).toHaveLength(1);
    };

    it('10 identical keyed opens in parallel on one app: all 201 with one case id and ETag; its events written once', async () => {
      const key = `open-${randomUUID()}`;
      const answers = await Promise.all(Array.from({ length: 10 }, () => openKeyed(a, key)));
      sameAnswer(answers, 201);
      const id = answers[0].body.id as string;
      expect(id).toBe(newCaseId({ scope: ANA, key, fingerprint: '' }));
      expect(answers[0].headers.etag).toBe(etag(2));
      expect((await w.underKey(key, ANA)).map((e) => [e.stream_id, e.event_type])).toEqual([
        [`case-${id}`, 'Opened'],
        [`case-${id}`, 'Routed'],
      ]);
    });

    it('10 identical keyed escalations in parallel on one app: all 200 with one ETag; one Escalated', async () => {
      const id = await w.open(a);
      const key = `esc-${randomUUID()}`;
      const answers = await Promise.all(Array.from({ length: 10 }, () => escalateKeyed(a, id, key)));
      sameAnswer(answers, 200);
      expect(answers[0].body.escalations).toHaveLength(1);
      const events = await w.history(id);
      expect(countOf(events, 'Escalated')).toBe(1);
      expect(answers[0].headers.etag).toBe(etag(events.length));
    });

    it('the same keyed open and escalation from two apps at once (two processes): one answer, events once', async () => {
      for (let round = 0; round < 4; round += 1) {
        const key = `open-${round}-${randomUUID()}`;
        const answers = await Promise.all([a, b, a, b, a, b].map((app) => openKeyed(app, key)));
        sameAnswer(answers, 201);
        const id = answers[0].body.id as string;
        expect(id).toBe(newCaseId({ scope: ANA, key, fingerprint: '' }));
        expect(answers[0].headers.etag).toBe(etag(2));
        expect((await w.underKey(key, ANA)).map((e) => e.event_type)).toEqual(['Opened', 'Routed']);

        const escKey = `esc-${round}-${randomUUID()}`;
        const escalations = await Promise.all([b, a, b, a, b, a].map((app) => escalateKeyed(app, id, escKey)));
        sameAnswer(escalations, 200);
        expect(escalations[0].headers.etag).toBe(etag(3));
        expect(escalations[0].body.escalations).toHaveLength(1);
        expect((await w.underKey(escKey, EVE)).map((e) => [e.stream_id, e.event_type])).toEqual([
          [`case-${id}`, 'Escalated'],
        ]);
        expect((await w.history(id)).map((e) => e.type)).toEqual(['Opened', 'Routed', 'Escalated']);
      }
    });

    it('50 responses without If-Match, 25 through each app, at once: every one 200 at its own version, 50 AgentResponded', async () => {
      const id = await w.open(a);
      await a.http().post(`/v1/cases/${id}/assignment`).set(as(w.tok.agent)).send({}).expect(200);
      const before = (await w.history(id)).length;
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          (i % 2 === 0 ? a : b)
            .http()
            .post(`/v1/cases/${id}/responses`)
            .set(as(w.tok.agent))
            .send({ message: `Response number ${i}.` }),
        ),
      );
      const statuses = answers.map((r) => `${r.status}${r.status === 200 ? '' : ` ${r.body.code}`}`);
      expect(statuses).toEqual(answers.map(() => '200'));
      // each answer is the version its own write made: 50 distinct versions, right after `before`
      expect(answers.map(versionOf).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 50 }, (_, i) => before + 1 + i),
      );
      const events = await w.history(id);
      expect(events).toHaveLength(before + 50);
      expect(countOf(events, 'AgentResponded')).toBe(50);
      expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1));
      const messages = new Set(
        events
          .filter((e) => e.type === 'AgentResponded')
          .map((e) => (e as unknown as { data: { message: string } }).data.message),
      );
      expect(messages.size).toBe(50);
    });

    it('If-Match of a stale version is refused (412 CASE.STALE_VERSION) on either app, also when that app’s cache is at that version', async () => {
      const id = await w.open(a);
      await a.http().post(`/v1/cases/${id}/assignment`).set(as(w.tok.agent)).send({}).expect(200);
      const respond = (app: RunningApi, ifMatch?: string) => {
        const req = app.http().post(`/v1/cases/${id}/responses`).set(as(w.tok.agent));
        return (ifMatch ? req.set('If-Match', ifMatch) : req).send({ message: 'Looking into it.' });
      };
      // b writes (its cache is at v), then a moves the case on (v + 1): b's cache is stale
      const onB = await respond(b).expect(200);
      const v = versionOf(onB);
      await respond(a)
        .expect(200)
        .expect('etag', etag(v + 1));
      for (const app of [b, a]) {
        const stale = await respond(app, etag(v)).expect(412);
        expect(stale.body.code).toBe('CASE.STALE_VERSION');
      }
      const old = await respond(a, etag(1)).expect(412);
      expect(old.body.code).toBe('CASE.STALE_VERSION');
      expect(await w.history(id)).toHaveLength(v + 1);
      // the current version is accepted, on the app that was stale too
      await respond(b, etag(v + 1))
        .expect(200)
        .expect('etag', etag(v + 2));
    });
  });
});
