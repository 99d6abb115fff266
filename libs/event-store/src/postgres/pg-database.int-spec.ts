import type { Pool, PoolClient } from 'pg';
import { createTestDatabase, describeWithService, testGates, waitFor, type TestDatabase } from '@app/testing';
import { createEventStore, type EventStoreHandle } from '../create-event-store';
import { EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS } from '../migrations/event-store.migrations';
import { migrate } from '../migrations/migrate';
import type { SqlQueryable, SqlTransaction } from '../sql-database.port';
import { PRESENCE_LOCK_CLASS, SqlLease } from '../sql-lease';
import { SqlEventStore } from '../sql-event-store';
import { PgDatabase, TransactionConnectionLost } from './pg-database';

const backendPid = async (q: SqlQueryable): Promise<number> =>
  (await q.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;

/** what a promise rejects with (fails the test if it resolves); call it at once, so the rejection is never unhandled */
const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );

describeWithService('DATABASE_URL', 'PostgreSQL', 'PostgreSQL adapter', (serverUrl) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(serverUrl);
  });
  afterEach(() => database?.drop());

  it('applies migrations once when two processes start at the same moment', async () => {
    const a = new PgDatabase({ connectionString: database.url });
    const b = new PgDatabase({ connectionString: database.url });
    const options = { component: EVENT_STORE_COMPONENT, migrations: EVENT_STORE_MIGRATIONS };
    try {
      const all = EVENT_STORE_MIGRATIONS.map((m) => m.version);
      const applied = await Promise.all([migrate(a, options), migrate(b, options)]);
      // one of them applied every migration, the other found nothing left to do
      expect([...applied].sort((x, y) => x.length - y.length)).toEqual([[], all]);
      const { rows } = await a.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(all.map((version) => ({ version })));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  describe('a transaction whose connection dies', () => {
    const reported: Error[] = [];
    const gates = testGates();
    const opened: PgDatabase[] = [];
    const open = (options: { idleInTransactionTimeoutMs?: number } = {}) => {
      const db = new PgDatabase({
        connectionString: database.url,
        poolSize: 2,
        onError: (e) => reported.push(e),
        ...options,
      });
      opened.push(db);
      return db;
    };
    let db: PgDatabase;
    let admin: PgDatabase; // another connection, as the operator's psql would be
    beforeEach(async () => {
      reported.length = 0;
      db = open();
      admin = open();
      await db.exec('CREATE TABLE IF NOT EXISTS t (n int NOT NULL)');
    });
    afterEach(async () => {
      gates.openAll();
      await Promise.all(opened.splice(0).map((d) => d.close()));
    });
    const terminate = async (pid: number) => {
      const { rows } = await admin.query<{ cut: boolean }>('SELECT pg_terminate_backend($1) AS cut', [pid]);
      expect(rows).toEqual([{ cut: true }]);
    };
    const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0].n;
    const idleInTransaction = async () =>
      (
        await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
        )
      ).rows[0].n;

    it('as the pool hands it over: the connection-ending message read with the connect completion fails the transaction, never the process', async () => {
      // what the socket does when a backend is cut as it opens: the server's FATAL error comes
      // in the same read as the message that completed the connection, so pg emits 'error' on
      // the client right after the pool's callback, before any awaiting code could resume
      const dying = open();
      const pool = (dying as unknown as { pool: Pool }).pool;
      const connect = pool.connect.bind(pool) as (cb: (e?: Error, c?: PoolClient, r?: () => void) => void) => void;
      let cut = false;
      jest.spyOn(pool, 'connect').mockImplementation(((
        callback?: (e?: Error, c?: PoolClient, r?: () => void) => void,
      ) => {
        const handOver = (hand: typeof callback) =>
          connect((error, client, release) => {
            hand!(error, client, release);
            if (client && !cut) {
              cut = true;
              client.emit(
                'error',
                Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
              );
            }
          });
        if (callback) return handOver(callback);
        return new Promise((resolve, reject) =>
          handOver((error, client) => (error ? reject(error) : resolve(client!))),
        );
      }) as typeof pool.connect);

      const error = await rejectionOf(dying.transaction((tx) => tx.query('INSERT INTO t VALUES (1)')));
      expect(error).toBeInstanceOf(TransactionConnectionLost);
      expect(reported).toEqual([error]);
      // nothing was written, and the next transaction gets a good connection
      await dying.transaction((tx) => tx.query('INSERT INTO t VALUES (2)'));
      expect(await count()).toBe(1);
    });

    it('between statements: fails at once with TransactionConnectionLost, the process lives on, the pool goes on', async () => {
      const started = gates.gate();
      const resume = gates.gate();
      let pid = 0;
      let later: Promise<unknown> | undefined;
      const failed = rejectionOf(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES (1)');
          pid = await backendPid(tx);
          started.open();
          await resume.opened; // waiting for something else than the database
          later = tx.query('INSERT INTO t VALUES (2)');
          await later;
        }),
      );
      await started.opened;
      await terminate(pid); // pg emits 'error' on the checked-out client: unheard, the process would end here

      // the caller learns at once, while its callback still waits
      const error = await failed;
      expect(error).toBeInstanceOf(TransactionConnectionLost);
      expect(error).toMatchObject({
        code: 'EVENT_STORE.CONNECTION_LOST',
        retriable: true,
        message: expect.stringMatching(
          /connection was lost in the middle of a transaction, which was rolled back: terminating connection due to administrator command/,
        ),
        cause: expect.objectContaining({ code: '57P01' }),
      });
      expect(reported).toEqual([error]);
      // the callback goes on: its statements fail with the same error, on no connection
      resume.open();
      await waitFor(
        () => later !== undefined,
        () => 'the callback to try its next statement',
      );
      await expect(later).rejects.toBe(error);

      // nothing of it committed; the next transaction runs, on another connection
      expect(await count()).toBe(0);
      const next = await db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (3)');
        return backendPid(tx);
      });
      expect(next).not.toBe(pid);
      expect(await count()).toBe(1);
      expect(reported).toHaveLength(1);
    });

    it("in the middle of a statement: fails with the statement's own error; the pool goes on", async () => {
      const started = gates.gate();
      let pid = 0;
      const failed = rejectionOf(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES (1)');
          pid = await backendPid(tx);
          started.open();
          await tx.query('SELECT pg_sleep(30)');
        }),
      );
      await started.opened;
      await waitFor(
        async () =>
          (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND query LIKE '%pg_sleep%'`, [pid])).rows
            .length === 1,
        () => 'the statement to run',
      );
      await terminate(pid);

      expect(await failed).toMatchObject({
        code: '57P01',
        message: 'terminating connection due to administrator command',
      });
      // reported once, though pg emits twice (the server's message, then the socket's end)
      expect(reported).toEqual([expect.objectContaining({ code: 'EVENT_STORE.CONNECTION_LOST' })]);
      expect(await count()).toBe(0);
      await db.transaction((tx) => tx.query('INSERT INTO t VALUES (2)'));
      expect(await count()).toBe(1);
    });

    it('a transaction left idle is ended by the server after idleInTransactionTimeoutMs, and close() does not wait forever', async () => {
      const stuckDb = open({ idleInTransactionTimeoutMs: 300 });
      const never = gates.gate();
      const began = Date.now();
      const stuck = rejectionOf(
        stuckDb.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES (1)'); // holds a transaction id: every log reader on the server waits for it
          await never.opened; // a caller that forgot to open its gate
        }),
      );
      await waitFor(
        async () => (await idleInTransaction()) === 1,
        () => 'the transaction to sit idle',
      );
      // the pool's end waits for the checked-out client: here, until the server ends the session
      await stuckDb.close();
      expect(await stuck).toMatchObject({
        code: 'EVENT_STORE.CONNECTION_LOST',
        cause: expect.objectContaining({ code: '25P03' }), // idle_in_transaction_session_timeout
      });
      expect(Date.now() - began).toBeGreaterThanOrEqual(300);
      expect(Date.now() - began).toBeLessThan(10_000);
      // the server sent its FATAL message before its backend left pg_stat_activity, and pg
      // destroys a socket that failed that way without waiting for the server's end of it:
      // the session is ending, not necessarily gone yet
      await waitFor(
        async () => (await idleInTransaction()) === 0,
        () => 'the ended session to leave pg_stat_activity',
      );
      expect(await count()).toBe(0);
    });

    it("sets the timeout on each connection: a minute by default; 0 leaves the database's setting", async () => {
      const show = async (d: PgDatabase) =>
        (await d.query<{ idle_in_transaction_session_timeout: string }>('SHOW idle_in_transaction_session_timeout'))
          .rows[0].idle_in_transaction_session_timeout;
      const name = (await db.query<{ name: string }>('SELECT current_database() AS name')).rows[0].name;
      await admin.exec(`ALTER DATABASE "${name}" SET idle_in_transaction_session_timeout = '7s'`);
      expect(await show(open())).toBe('1min');
      expect(await show(open({ idleInTransactionTimeoutMs: 2_500 }))).toBe('2500ms');
      expect(await show(open({ idleInTransactionTimeoutMs: 0 }))).toBe('7s');
    });

    it('refuses statements on a transaction that is over, rather than run them on a pooled connection', async () => {
      let leaked!: SqlTransaction;
      await db.transaction(async (tx) => {
        leaked = tx;
        await tx.query('INSERT INTO t VALUES (1)');
      });
      await expect(leaked.query('INSERT INTO t VALUES (2)')).rejects.toThrow('This transaction is over');
      await expect(leaked.exec('INSERT INTO t VALUES (3)')).rejects.toThrow('This transaction is over');
      expect(await count()).toBe(1);
      expect(reported).toEqual([]);
    });
  });

  it('close() resolves once its connections are gone from the server, not just asked to go', async () => {
    const admin = new PgDatabase({ connectionString: database.url, poolSize: 1 });
    const url = new URL(database.url);
    url.searchParams.set('application_name', 'closing');
    const reported: Error[] = [];
    try {
      for (let round = 0; round < 10; round += 1) {
        const db = new PgDatabase({ connectionString: url.toString(), poolSize: 6, onError: (e) => reported.push(e) });
        await db.listen('pings', () => undefined);
        await Promise.all(Array.from({ length: 6 }, () => db.query('SELECT pg_sleep(0.01)')));
        await db.transaction((tx) => tx.query('SELECT 1'));
        await db.close();
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'closing'`,
        );
        expect(rows[0].n).toBe(0);
      }
      expect(reported).toEqual([]);
    } finally {
      await admin.close();
    }
  });

  it('reports a notification handler that throws, and the other handlers still hear', async () => {
    const reported: Error[] = [];
    const db = new PgDatabase({ connectionString: database.url, onError: (e) => reported.push(e) });
    try {
      const heard: string[] = [];
      await db.listen('pings', () => {
        throw new Error('a bug in a handler');
      });
      await db.listen('pings', (payload) => heard.push(payload));
      await db.notify('pings', 'one');
      await db.notify('pings', 'two');
      await waitFor(
        () => heard.length === 2,
        () => `heard ${JSON.stringify(heard)}`,
      );
      expect(heard).toEqual(['one', 'two']);
      expect(reported.map((e) => e.message)).toEqual(['a bug in a handler', 'a bug in a handler']);
    } finally {
      await db.close();
    }
  });

  describe("a process's presence (the lock a lease's standby looks for)", () => {
    const opened: PgDatabase[] = [];
    const open = () => {
      const db = new PgDatabase({ connectionString: database.url, onError: () => undefined });
      opened.push(db);
      return db;
    };
    let admin: PgDatabase;
    beforeEach(() => {
      admin = open();
    });
    afterEach(() => Promise.all(opened.splice(0).map((d) => d.close())));
    /** the sessions that hold presence lock `key`, as another process sees them */
    const holders = async (key: number) =>
      (
        await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
             AND classid = $1::int::oid AND objid = $2::int::oid`,
          [PRESENCE_LOCK_CLASS, key],
        )
      ).rows.map((r) => r.pid);

    it('is a lock held on the listening connection, one key per process, gone when the process closes', async () => {
      const a = open();
      const b = open();
      const key = (await a.presence())!;
      expect(key).toBeGreaterThan(0);
      expect(await a.presence()).toBe(key);
      const other = (await b.presence())!;
      expect(other).not.toBe(key);
      expect(await holders(key)).toHaveLength(1);
      expect(await holders(other)).toHaveLength(1);
      await a.close();
      expect(await holders(key)).toEqual([]);
      expect(await a.presence()).toBeUndefined();
      expect(await holders(other)).toHaveLength(1);
    });

    it('is taken again, with the same key, after its connection was cut', async () => {
      const a = open();
      const key = (await a.presence())!;
      const [pid] = await holders(key);
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await waitFor(
        async () => {
          const now = await holders(key);
          return now.length === 1 && now[0] !== pid;
        },
        () => 'the presence lock to be taken again on a new connection',
      );
      expect(await a.presence()).toBe(key);
    });

    it('lets a standby take a lease from a closed (dead) holder long before it expires, never from a live one', async () => {
      const holderDb = open();
      const standbyDb = open();
      // one SqlLease each, as in two processes; the standby needs two polls that find the holder gone
      const holderLease = new SqlLease({ component: 'test', absentForMs: 0 });
      const standbyLease = new SqlLease({ component: 'test', absentForMs: 0 });
      await migrate(admin, { component: EVENT_STORE_COMPONENT, migrations: EVENT_STORE_MIGRATIONS });
      const hour = 3_600_000;
      expect(await holderLease.acquire(holderDb, 'x', 'holder', hour, await holderDb.presence())).toBe(true);
      for (let poll = 0; poll < 3; poll += 1)
        expect(await standbyLease.acquire(standbyDb, 'x', 'standby', hour, await standbyDb.presence())).toBe(false);
      await holderDb.close(); // as a crash would: the lease is not given up
      await waitFor(
        () => standbyLease.acquire(standbyDb, 'x', 'standby', hour, undefined),
        () => 'the standby to take the lease',
      );
      expect((await standbyLease.holder(admin, 'x'))?.owner).toBe('standby');
    });
  });

  describe('followers in another process', () => {
    let writer: EventStoreHandle;
    let reader: SqlEventStore;
    const readerErrors: Error[] = [];

    beforeEach(async () => {
      writer = await createEventStore({ databaseUrl: database.url, onError: () => undefined });
      // polls once a minute: within the test, only a notification can wake it
      const db = new PgDatabase({ connectionString: database.url, onError: (e) => readerErrors.push(e) });
      reader = new SqlEventStore(db, { polling: { minMs: 60_000, maxMs: 60_000 }, ownsDatabase: true });
    });
    afterEach(async () => {
      await reader?.close();
      await writer?.store.close();
    });

    it('are woken by NOTIFY, and still hear of appends after their listening connection was cut', async () => {
      const seen: unknown[] = [];
      const controller = new AbortController();
      const following = (async () => {
        for await (const { events } of reader.follow({ signal: controller.signal }))
          seen.push(...events.map((e) => e.data));
      })();
      await writer.store.appendToStream('case-1', [{ type: 'Opened', data: 1 }], 'no-stream');
      await waitFor(
        () => seen.length === 1,
        () => `the reader saw ${JSON.stringify(seen)}`,
      );

      const { rows } = await writer.db.query<{ cut: boolean }>(
        `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
         WHERE application_name = 'event-store-listener' AND datname = current_database()`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(1);
      await writer.store.appendToStream('case-1', [{ type: 'Noted', data: 2 }], 1);
      await waitFor(
        () => seen.length === 2,
        () => `the reader saw ${JSON.stringify(seen)} after the cut`,
      );
      expect(readerErrors.length).toBeGreaterThanOrEqual(1); // the cut was reported, not swallowed

      controller.abort();
      await following;
      expect(seen).toEqual([1, 2]);
    });
  });
});
