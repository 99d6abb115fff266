import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@app/testing';
import { openDatabase } from '../open-database';
import type { SqlDatabase } from '../sql-database.port';
import { PgliteDatabase } from './pglite-database';

describe('PgliteDatabase', () => {
  let db: SqlDatabase;
  beforeAll(async () => {
    db = await PgliteDatabase.open();
    await db.exec(
      'CREATE TABLE counter (n int NOT NULL); INSERT INTO counter VALUES (0); CREATE TABLE log (entry text)',
    );
  });
  afterAll(() => db.close());

  it('runs concurrent transactions one after the other, so read-modify-write loses no update', async () => {
    const increment = () =>
      db.transaction(async (tx) => {
        const { rows } = await tx.query<{ n: number }>('SELECT n FROM counter');
        await tx.query('INSERT INTO log VALUES ($1)', [`saw ${rows[0].n}`]);
        await tx.query('UPDATE counter SET n = $1', [rows[0].n + 1]);
      });
    await Promise.all(Array.from({ length: 10 }, increment));
    expect((await db.query<{ n: number }>('SELECT n FROM counter')).rows).toEqual([{ n: 10 }]);
  });

  it('keeps a query from outside out of an open transaction: it runs after the commit', async () => {
    await db.exec('CREATE TABLE gate (v int)');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inserted = false;
    const tx = db.transaction(async (t) => {
      await t.query('INSERT INTO gate VALUES (1)');
      inserted = true;
      await gate;
      await t.query('INSERT INTO gate VALUES (2)');
    });
    await waitFor(
      () => inserted,
      () => 'the transaction to insert its first row',
    );
    const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM gate');
    release();
    await tx;
    // on a shared session it would have seen the uncommitted first row alone
    expect((await outside).rows).toEqual([{ n: 2 }]);
  });

  it('rolls back a transaction that throws, and serves the next caller', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('UPDATE counter SET n = 999');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await db.query<{ n: number }>('SELECT n FROM counter')).rows).toEqual([{ n: 10 }]);
  });

  it('delivers NOTIFY to its listeners, and a NOTIFY inside a transaction only at commit', async () => {
    const payloads: string[] = [];
    const unlisten = await db.listen('pings', (p) => payloads.push(p));
    await db.notify('pings', 'now');
    await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_notify('pings', 'at commit')`);
      expect(payloads).toEqual(['now']);
    });
    await waitFor(
      () => payloads.length === 2,
      () => `got ${JSON.stringify(payloads)}`,
    );
    expect(payloads).toEqual(['now', 'at commit']);
    await unlisten();
  });
});

describe('openDatabase', () => {
  it('opens PGlite in the data directory, creating it, and finds the data there again', async () => {
    const root = await mkdtemp(join(tmpdir(), 'event-store-'));
    const dataDir = join(root, 'nested', 'data');
    try {
      const first = await openDatabase({ dataDir });
      expect(first.kind).toBe('pglite');
      await first.exec(`CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`);
      await first.close();
      expect((await stat(dataDir)).isDirectory()).toBe(true);
      const again = await openDatabase({ dataDir });
      expect((await again.query('SELECT v FROM kept')).rows).toEqual([{ v: 'still here' }]);
      await again.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('chooses PostgreSQL when a URL is given (connecting only when used)', async () => {
    const db = await openDatabase({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', dataDir: '/unused' });
    expect(db.kind).toBe('postgres');
    await db.close();
  });
});
