import { PgliteDatabase } from './pglite/pglite-database';
import { SqlLease } from './sql-lease';

describe('SqlLease (one lease SQL for any lease table)', () => {
  let db: PgliteDatabase;
  const lease = new SqlLease({ table: 'test_leases', key: 'thing', prepared: true });

  beforeAll(async () => {
    db = await PgliteDatabase.open();
    await db.exec(`CREATE TABLE test_leases (
      thing text PRIMARY KEY, owner text NOT NULL, expires_at timestamptz NOT NULL)`);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec('DELETE FROM test_leases');
  });

  it('is taken when free, renewed by its owner, refused to another while unexpired', async () => {
    expect(await lease.acquire(db, 'a', 'one', 60_000)).toBe(true);
    expect(await lease.acquire(db, 'a', 'one', 60_000)).toBe(true);
    expect(await lease.acquire(db, 'a', 'two', 60_000)).toBe(false);
    expect(await lease.acquire(db, 'b', 'two', 60_000)).toBe(true); // another key, another lease
    expect((await lease.holder(db, 'a'))?.owner).toBe('one');
    expect((await lease.holder(db, 'a'))?.expiresAt).toBeInstanceOf(Date);
  });

  it('is taken over once expired, and has no holder then', async () => {
    await db.query(`INSERT INTO test_leases VALUES ('a', 'one', now() - interval '1 second')`);
    expect(await lease.holder(db, 'a')).toBeUndefined();
    expect(await lease.acquire(db, 'a', 'two', 60_000)).toBe(true);
    expect((await lease.holder(db, 'a'))?.owner).toBe('two');
  });

  it('is given up only by its owner', async () => {
    await lease.acquire(db, 'a', 'one', 60_000);
    await lease.release(db, 'a', 'two');
    expect((await lease.holder(db, 'a'))?.owner).toBe('one');
    await lease.release(db, 'a', 'one');
    expect(await lease.holder(db, 'a')).toBeUndefined();
  });

  it('takes plain identifiers only', () => {
    expect(() => new SqlLease({ table: 'x; DROP TABLE y', key: 'k' })).toThrow(TypeError);
  });
});
