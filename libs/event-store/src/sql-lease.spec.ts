import { EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS } from './migrations/event-store.migrations';
import { migrate } from './migrations/migrate';
import { PgliteDatabase } from './pglite/pglite-database';
import { SqlLease } from './sql-lease';

describe('SqlLease (one lease SQL, one leases table keyed by component and name)', () => {
  let db: PgliteDatabase;
  const lease = new SqlLease({ component: 'test', prepared: true });
  const other = new SqlLease({ component: 'other' });

  beforeAll(async () => {
    db = await PgliteDatabase.open();
    await migrate(db, { component: EVENT_STORE_COMPONENT, migrations: EVENT_STORE_MIGRATIONS });
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec('DELETE FROM leases');
  });

  it('is taken when free, renewed by its owner, refused to another while unexpired', async () => {
    expect(await lease.acquire(db, 'a', 'one', 60_000)).toBe(true);
    expect(await lease.acquire(db, 'a', 'one', 60_000)).toBe(true);
    expect(await lease.acquire(db, 'a', 'two', 60_000)).toBe(false);
    expect(await lease.acquire(db, 'b', 'two', 60_000)).toBe(true); // another key, another lease
    expect((await lease.holder(db, 'a'))?.owner).toBe('one');
    expect((await lease.holder(db, 'a'))?.expiresAt).toBeInstanceOf(Date);
  });

  it("is another component's own: the same name there is another lease", async () => {
    expect(await lease.acquire(db, 'a', 'one', 60_000)).toBe(true);
    expect(await other.holder(db, 'a')).toBeUndefined();
    expect(await other.acquire(db, 'a', 'two', 60_000)).toBe(true);
    expect((await lease.holder(db, 'a'))?.owner).toBe('one');
    expect((await other.holder(db, 'a'))?.owner).toBe('two');
  });

  it('is taken over once expired, and has no holder then', async () => {
    await db.query(`INSERT INTO leases VALUES ('test', 'a', 'one', now() - interval '1 second')`);
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
});
